"""The notice PDF is signed as PAdES: pyHanko's own validator accepts it against the
certificate published in keys.json; every byte is held; an appended edit and a re-save are
each reported as such; PDF keys rotate; production needs a real PDF key."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from garita.cli import app as cli
from garita.notices import core, keys, pades, pdfkeys, render, seal
from garita.notices.schemas import Member, NoticePayload
from garita.settings import Settings

RING = keys.build({}, {}, None, "pades test secret", production=False)
PAYLOAD = NoticePayload(
    confirmation_number="0123456789", port="BRO", appointment_date=dt.date(2024, 9, 13),
    slot=dt.time(8), issued_at=dt.datetime(2024, 9, 11, 17, 5, tzinfo=dt.UTC),
    members=[Member(given_names="Ana", family_names="Pérez", date_of_birth=dt.date(1990, 4, 2))])


def signed(ring: keys.KeyRing = RING, token_ring: keys.KeyRing = RING) -> bytes:
    assert token_ring.signer is not None and ring.pdf_signer is not None
    token = core.sign(PAYLOAD, token_ring.signer)
    body = render.pdf_bytes(PAYLOAD, token, token_ring.signer.kid, "es", None)
    return pades.sign(body, ring.pdf_signer)


PDF = signed()


def test_pyhanko_validates_it_as_pades_against_the_published_certificate():
    """What a third party does with keys.json: the EC key's x5c is the trust anchor."""
    ec_key = next(k for k in RING.jwks()["keys"] if k["kty"] == "EC")
    assert ec_key["crv"] == "P-256" and ec_key["alg"] == "ES256"
    root = asn1_x509.Certificate.load(base64.b64decode(ec_key["x5c"][0]))
    (sig,) = PdfFileReader(io.BytesIO(PDF)).embedded_signatures
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES, not adbe.pkcs7
    status = validate_pdf_signature(
        sig, signer_validation_context=ValidationContext(trust_roots=[root],
                                                         allow_fetching=False))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.dump() == root.dump()


def test_a_signed_notice_verifies_with_its_qr_token():
    verdict = seal.verify_pdf(PDF, RING)
    assert verdict.valid and verdict.payload == PAYLOAD and verdict.kid == RING.signer.kid
    # a PDF signed by our PDF key whose QR token was signed elsewhere is still refused
    forger = keys.build({}, {}, None, "a forger", production=False)
    assert seal.verify_pdf(signed(RING, forger), RING).reason == "unknown_key"


def test_every_byte_is_held():
    step = max(1, len(PDF) // 40)
    contents = PDF.index(b"/Contents <") + len(b"/Contents <")
    end = PDF.index(b">", contents)
    padding = [end - 400, end - 1]  # zeros after the CMS object, which no signature covers
    assert PDF[end - 400:end].strip(b"0") == b""
    # CMS parts outside the signed attributes: SignedData's version (hex digit 51) and its
    # digest algorithms (67: sha256's OID), then every 53rd hex digit of the rest
    cms = [contents + 51, contents + 67, *range(contents, end - 400, 53)]
    for i in [*range(0, len(PDF), step), *padding, *cms]:
        changed = PDF[:i] + bytes([PDF[i] ^ 0x01]) + PDF[i + 1:]
        assert not seal.verify_pdf(changed, RING).valid, i


def test_an_appended_edit_is_reported_as_an_edit():
    writer = IncrementalPdfFileWriter(io.BytesIO(PDF))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict = seal.verify_pdf(out.getvalue(), RING)
    assert not verdict.valid and verdict.reason == "modified"
    assert "edited after it was signed" in verdict.message


def test_a_resaved_pdf_is_reported_as_changed():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    out = io.BytesIO()
    writer.write(out)
    verdict = seal.verify_pdf(out.getvalue(), RING)
    assert not verdict.valid and verdict.reason == "bad_signature"
    assert "re-saved" in verdict.message


def test_unsigned_and_foreign_pdfs_are_refused():
    body = render.pdf_bytes(PAYLOAD, core.sign(PAYLOAD, RING.signer), "K", "es", None)
    assert seal.verify_pdf(body, RING).reason == "malformed"
    other = keys.build({}, {}, None, "another server", production=False)
    verdict = seal.verify_pdf(PDF, other)
    assert verdict.reason == "unknown_key" and "certificate" in verdict.message


def test_pdf_key_rotation_keeps_signed_pdfs_valid():
    kid_a, key_a, cert_a = pdfkeys.generate(dt.datetime.now(dt.UTC))
    _, key_b, cert_b = pdfkeys.generate(dt.datetime.now(dt.UTC))
    ring_a = keys.build({}, {}, None, "s", production=False, pdf_key=(key_a, cert_a))
    old = signed(ring_a, ring_a)  # token key: the same dev key in every ring here
    ring_b = keys.build({}, {}, None, "s", production=False, pdf_key=(key_b, cert_b),
                        pdf_retired=(cert_a,))
    assert seal.verify_pdf(old, ring_b).valid
    published = keys.from_jwks(json.dumps(ring_b.jwks()))
    assert kid_a in published.pdf and seal.verify_pdf(old, published).valid
    without = keys.build({}, {}, None, "s", production=False, pdf_key=(key_b, cert_b))
    assert seal.verify_pdf(old, without).reason == "unknown_key"


def test_pdf_key_settings_are_checked():
    _, key_a, cert_a = pdfkeys.generate(dt.datetime.now(dt.UTC))
    _, key_b, cert_b = pdfkeys.generate(dt.datetime.now(dt.UTC))
    with pytest.raises(ValueError, match="does not belong"):
        keys.build({}, {}, None, "s", production=False, pdf_key=(key_a, cert_b))
    with pytest.raises(ValueError, match="GARITA_NOTICE_PDF_CERT"):
        keys.build({}, {}, None, "s", production=False, pdf_key=(key_a, "not a cert"))
    with pytest.raises(ValueError, match="GARITA_NOTICE_PDF_RETIRED_CERTS\\[0\\]"):
        keys.build({}, {}, None, "s", production=False, pdf_key=(key_a, cert_a),
                   pdf_retired=("%%%",))
    with pytest.raises(ValueError, match="set both"):
        keys.from_settings(Settings(notice_pdf_key=key_a))
    ed = keys.generate()[1]
    with pytest.raises(ValueError, match="PKCS#8"):
        keys.build({}, {}, None, "s", production=False, pdf_key=(ed, cert_a))


def test_the_cli_says_whether_a_pdf_was_edited_or_resaved(tmp_path):
    keyfile = tmp_path / "keys.json"
    keyfile.write_text(json.dumps(RING.jwks()))
    good, edited = tmp_path / "notice.pdf", tmp_path / "edited.pdf"
    good.write_bytes(PDF)
    at = PDF.index(b"/Lang (es)") + 7
    edited.write_bytes(PDF[:at] + b"en" + PDF[at + 2:])  # edited in place, same length
    runner = CliRunner()
    r = runner.invoke(cli, ["notice", "verify", "--keys", str(keyfile), str(good)])
    assert r.exit_code == 0 and "VALID" in r.output, r.output
    r = runner.invoke(cli, ["notice", "verify", "--keys", str(keyfile), str(edited)])
    assert r.exit_code == 1 and "NOT VALID" in r.output and "changed after it was signed" in (
        r.output.replace("\n", " ")), r.output
