"""Run with the code before COSE/PAdES (PYTHONPATH=<old src>) to make the legacy fixtures."""
import datetime as dt
import sys
from pathlib import Path

import garita
from garita.notices import core, keys, render, seal
from garita.notices.schemas import Member, NoticePayload

assert garita.__file__.startswith("/tmp/oldsrc"), f"run the old code: {garita.__file__}"

RING = keys.build({}, {}, None, "test dev secret", production=False)
PAYLOAD = NoticePayload(
    confirmation_number="7K3M9QX2PA", port="ELP", appointment_date=dt.date(2024, 9, 13),
    slot=dt.time(9, 30), issued_at=dt.datetime(2024, 9, 11, 17, 5, tzinfo=dt.UTC),
    members=[Member(given_names="Ana María", family_names="Pérez Gómez",
                    date_of_birth=dt.date(1990, 4, 2)),
             Member(given_names="Jean-Baptiste", family_names="Désir",
                    date_of_birth=dt.date(2015, 1, 1))])
token = core.sign(PAYLOAD, RING.signer)
out = Path(sys.argv[1])
(out / "legacy-GN1-token.txt").write_text(token + "\n")
pdf = render.pdf_bytes(PAYLOAD, token, "es", None)  # the old signature: no kid argument
(out / "legacy-notice-es.pdf").write_bytes(seal.seal(pdf, RING.signer))
print(token[:40], RING.signer.kid)
