"""Catalogues complete in every language; every language renders and is signed;
``garita notice verify`` works offline from the published key set."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

import garita.notices
from garita.cli import app as cli
from garita.notices import core, i18n, keys, pades, render, seal
from garita.notices.schemas import Member, NoticePayload

RING = keys.build({}, {}, None, "test dev secret", production=False)
PAYLOAD = NoticePayload(
    confirmation_number="7K3M9QX2PA", port="ELP", appointment_date=dt.date(2024, 9, 13),
    slot=dt.time(9, 30), issued_at=dt.datetime(2024, 9, 11, 17, 5, tzinfo=dt.UTC),
    members=[Member(given_names="Ana María", family_names="Pérez Gómez",
                    date_of_birth=dt.date(1990, 4, 2)),
             Member(given_names="Jean-Baptiste", family_names="Désir",
                    date_of_birth=dt.date(2015, 1, 1))])
TOKEN = core.sign(PAYLOAD, RING.signer)


def signed_pdf(language: str = "es", token: str = TOKEN, ring: keys.KeyRing = RING) -> bytes:
    """The PDF as the notice.pdf route makes it: rendered, then PAdES-signed."""
    assert ring.signer is not None and ring.pdf_signer is not None
    body = render.pdf_bytes(PAYLOAD, token, ring.signer.kid, language, render.find_font())
    return pades.sign(body, ring.pdf_signer)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_in_the_code_is_translated_in_every_language():
    source = Path(garita.notices.__file__).parent
    ids = {m[2] for m in extract_from_dir(str(source), method_map=[("**.py", "python")])}
    assert len(ids) > 20
    for language in i18n.LANGUAGES:
        with i18n.po_path(language).open("rb") as f:
            catalog = read_po(f, locale=language)
        for msgid in ids:
            message = catalog.get(msgid)
            assert message is not None and message.string, f"{language}: missing {msgid!r}"
            assert not message.fuzzy, f"{language}: fuzzy {msgid!r}"
            assert _fields(message.string) == _fields(msgid), f"{language}: {msgid!r}"
        if language != "en":  # really translated, not copied
            copied = [m for m in ids if catalog.get(m).string == m and m not in ("Date",)]
            assert not copied, f"{language}: untranslated {copied}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_language_renders(language):
    pdf = signed_pdf(language)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    _ = i18n.translations(language).gettext
    for msgid in ("Confirmation number", "Date of birth", "Port of entry"):
        assert _(msgid) in text
    assert "7K3M9-QX2PA" in text and "DÉSIR" in text
    assert "09:30 MDT (America/Denver)" in text  # El Paso's clock, its zone named
    assert seal.verify_pdf(pdf, RING).valid


def test_cli_verifies_offline_with_the_published_keys(tmp_path):
    keyfile = tmp_path / "keys.json"
    keyfile.write_text(json.dumps(RING.jwks()))
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(signed_pdf("ru"))
    png = tmp_path / "notice.png"
    render.qr_image(TOKEN).save(png)
    runner = CliRunner()
    for target in (str(pdf), str(png), TOKEN):
        r = runner.invoke(cli, ["notice", "verify", "--keys", str(keyfile), target])
        assert r.exit_code == 0, r.output
        assert "VALID" in r.output and "7K3M9QX2PA" in r.output and "development key" in r.output
    bad = TOKEN[:-6] + ("AAA" if TOKEN[-6:-3] != "AAA" else "BBB") + TOKEN[-3:]
    r = runner.invoke(cli, ["notice", "verify", "--keys", str(keyfile), bad])
    assert r.exit_code == 1 and "NOT VALID" in r.output
    empty = tmp_path / "empty.json"
    empty.write_text('{"keys": []}')
    r = runner.invoke(cli, ["notice", "verify", "--keys", str(empty), str(png)])
    assert r.exit_code == 1 and "unknown_key" in r.output
    r = runner.invoke(cli, ["notice", "keygen"])
    assert r.exit_code == 0 and re.search(r"GARITA_NOTICE_ACTIVE_KID=[A-Z0-9]{8}", r.output)
    lines = dict(line.split("=", 1) for line in r.output.splitlines() if line.startswith("GARITA"))
    made = keys.build({lines["GARITA_NOTICE_ACTIVE_KID"]: json.loads(
        lines["GARITA_NOTICE_SIGNING_KEYS"].strip("'"))[lines["GARITA_NOTICE_ACTIVE_KID"]]},
        {}, None, "x", production=True,
        pdf_key=(lines["GARITA_NOTICE_PDF_KEY"], lines["GARITA_NOTICE_PDF_CERT"]))
    assert made.pdf_signer is not None and not made.dev  # production accepts what keygen makes


def test_qr_survives_a_photo_like_downscale():
    image = render.qr_image(TOKEN, scale=4).resize((300, 300), Image.BILINEAR)
    assert render.read_qr(image) == TOKEN


def test_without_a_unicode_font_latin_notices_render_and_cyrillic_ones_say_why():
    assert render.pdf_bytes(PAYLOAD, TOKEN, "K1", "es", None).startswith(b"%PDF")
    with pytest.raises(render.FontMissing, match="fonts-dejavu-core"):
        render.pdf_bytes(PAYLOAD, TOKEN, "K1", "ru", None)
