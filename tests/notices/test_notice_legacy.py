"""Notices issued before the standard formats keep verifying everywhere they did: the
``GN1.`` token and the comment-sealed PDF, made by the old code (tests/notices/data), through
the library, ``garita notice verify`` (offline and --online), POST /notices/verify, the QR
and PDF routes and the port's check-in by scanning."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from notices_kit import legacy_token
from PIL import Image
from sqlalchemy import update
from typer.testing import CliRunner

from garita.cli import app as cli
from garita.notices import core, keys, render, seal
from garita.notices.models import Notice
from garita.notices.schemas import Member, NoticePayload
from garita.offers.models import Offer
from kit import settings_for, staff

DATA = Path(__file__).parent / "data"
TOKEN = (DATA / "legacy-GN1-token.txt").read_text().strip()
PDF = (DATA / "legacy-notice-es.pdf").read_bytes()
RING = keys.build({}, {}, None, "test dev secret", production=False)  # the key they used
PAYLOAD = NoticePayload(
    confirmation_number="7K3M9QX2PA", port="ELP", appointment_date=dt.date(2024, 9, 13),
    slot=dt.time(9, 30), issued_at=dt.datetime(2024, 9, 11, 17, 5, tzinfo=dt.UTC),
    members=[Member(given_names="Ana María", family_names="Pérez Gómez",
                    date_of_birth=dt.date(1990, 4, 2)),
             Member(given_names="Jean-Baptiste", family_names="Désir",
                    date_of_birth=dt.date(2015, 1, 1))])
runner = CliRunner()


def test_a_token_issued_before_still_verifies():
    assert TOKEN.startswith("GN1.")
    verdict = core.verify(TOKEN, RING.public)
    assert verdict.valid and verdict.payload == PAYLOAD
    assert legacy_token(PAYLOAD, RING.signer) == TOKEN  # the test helper is the old format


def test_a_pdf_sealed_before_still_verifies_and_any_change_fails():
    verdict = seal.verify_pdf(PDF, RING)
    assert verdict.valid and verdict.payload == PAYLOAD, verdict.message
    for i in range(0, len(PDF), max(1, len(PDF) // 400)):
        changed = PDF[:i] + bytes([PDF[i] ^ 0x01]) + PDF[i + 1:]
        assert not seal.verify_pdf(changed, RING).valid, i
    # a well-formed page with another date, under the original signature line
    signature_line = PDF[PDF.rfind(b"\n" + seal.SEAL) + 1:]
    moved = PAYLOAD.model_copy(update={"appointment_date": dt.date(2024, 9, 14)})
    forged = render.pdf_bytes(moved, TOKEN, RING.signer.kid, "es", None) + signature_line
    assert seal.verify_pdf(forged, RING).reason == "bad_signature"
    assert seal.verify_pdf(PDF + b"%", RING).reason == "malformed"
    other = keys.build({}, {}, None, "another secret", production=False)
    assert seal.verify_pdf(PDF, other).reason == "unknown_key"


def test_the_cli_verifies_them_offline_with_todays_keys_json(tmp_path):
    keyfile = tmp_path / "keys.json"
    keyfile.write_text(json.dumps(RING.jwks()))
    pdf = tmp_path / "old.pdf"
    pdf.write_bytes(PDF)
    for target in (str(pdf), TOKEN):
        r = runner.invoke(cli, ["notice", "verify", "--keys", str(keyfile), target])
        assert r.exit_code == 0 and "VALID" in r.output and "7K3M9QX2PA" in r.output, r.output


def _as_issued_before(client, offer_id: int, headers: dict) -> str:
    """Make the offer's notice a GN1 one, as if it had been issued before the change."""
    issued = client.get(f"/offers/{offer_id}/notice", headers=headers).json()
    assert issued["token"].startswith("GN2:")
    ring = client.app.state.notice_keys
    old = legacy_token(NoticePayload(**issued["payload"]), ring.signer)
    with client.app.state.engine.begin() as c:
        c.execute(update(Notice).where(Notice.offer_id == offer_id).values(token=old))
    return old


def test_an_issued_gn1_notice_works_through_the_api_and_at_the_port(client, clock, appointment):
    me, offer = appointment["headers"], appointment["offer"]
    old = _as_issued_before(client, offer["id"], me)
    v = client.post("/notices/verify", json={"token": old}).json()
    assert v["valid"] and v["reason"] == "ok"
    assert v["live"] == {"status": "confirmed", "still_valid": True}
    assert client.get(f"/offers/{offer['id']}/notice", headers=me).json()["token"] == old
    png = client.get(f"/offers/{offer['id']}/notice.png", headers=me).content
    assert render.read_qr(Image.open(io.BytesIO(png))) == old
    pdf = client.get(f"/offers/{offer['id']}/notice.pdf", headers=me).content
    ring = keys.from_jwks(client.get("/notices/keys.json").text)
    assert seal.token_in_pdf(pdf) == old and seal.verify_pdf(pdf, ring).valid

    day = dt.date.fromisoformat(offer["appointment_date"])
    clock.set_et(day, 10)  # 07:00 in San Ysidro: the first slots
    r = client.post("/ports/SYS/checkins", headers=staff(client, "officer", port="SYS"),
                    json={"token": old, "identity_confirmed": True})
    assert r.status_code == 201, r.text
    assert r.json()["offer_id"] == offer["id"] and r.json()["method"] == "token"


def test_an_issued_gn1_notice_checks_online(client, appointment, database_url, monkeypatch):
    settings = settings_for(database_url)
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    monkeypatch.setenv("GARITA_SECRET_KEY", settings.secret_key.get_secret_value())
    offer_id = appointment["offer"]["id"]
    old = _as_issued_before(client, offer_id, appointment["headers"])
    future = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
    with client.app.state.engine.begin() as c:
        c.execute(update(Offer).where(Offer.id == offer_id).values(appointment_date=future))
    r = runner.invoke(cli, ["notice", "verify", old, "--online"])
    assert r.exit_code == 0 and "register: confirmed" in r.output, r.output
