"""Issuing, reading and verifying notices through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io

from notices_kit import confirmed
from PIL import Image
from pypdf import PdfReader

from garita.notices import core, keys, render, seal
from garita.notices.schemas import NoticePayload
from kit import applicant, register


def test_notice_is_issued_once_and_names_the_group(client, clock, appointment):
    me, offer = appointment["headers"], appointment["offer"]
    r = client.get(f"/offers/{offer['id']}/notice", headers=me)
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["confirmation_number"]) == 10 and body["language"] == "es"
    p = body["payload"]
    assert p["port"] == "SYS" and p["appointment_date"] == offer["appointment_date"]
    people = appointment["registration"]["people"]
    assert [(m["given_names"], m["date_of_birth"]) for m in p["members"]] == [
        (x["given_names"], x["date_of_birth"]) for x in people]
    again = client.get(f"/offers/{offer['id']}/notice", headers=me).json()
    assert again["token"] == body["token"]  # the same notice, not a second one

    v = client.post("/notices/verify", json={"token": body["token"]}).json()
    assert v["valid"] and v["reason"] == "ok"
    assert v["live"] == {"status": "confirmed", "still_valid": True}
    assert v["payload"]["confirmation_number"] == body["confirmation_number"]
    clock.set_et(dt.date.fromisoformat(offer["appointment_date"]) + dt.timedelta(days=1), 9)
    v = client.post("/notices/verify", json={"token": body["token"]}).json()
    assert v["valid"] and v["live"] == {"status": "expired", "still_valid": False}


def test_pdf_and_qr_carry_the_token(client, appointment):
    me, offer = appointment["headers"], appointment["offer"]
    token = client.get(f"/offers/{offer['id']}/notice", headers=me).json()["token"]
    assert token.startswith("GN2:")  # new notices are issued in the standard format
    png = client.get(f"/offers/{offer['id']}/notice.png", headers=me)
    assert png.headers["content-type"] == "image/png"
    assert render.read_qr(Image.open(io.BytesIO(png.content))) == token
    ring = keys.from_jwks(client.get("/notices/keys.json").text)
    for language in ("es", "ru"):
        pdf = client.get(f"/offers/{offer['id']}/notice.pdf?language={language}", headers=me)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert seal.token_in_pdf(pdf.content) == token
        verdict = seal.verify_pdf(pdf.content, ring)
        assert verdict.valid, verdict.message
        text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
        assert verdict.payload.confirmation_number[:5] in text
    bad = client.get(f"/offers/{offer['id']}/notice.pdf?language=fr", headers=me)
    assert bad.status_code == 422 and "language" in bad.json()["detail"]


def test_only_the_owner_gets_the_notice_and_only_when_confirmed(client, clock, appointment):
    offer = appointment["offer"]
    stranger = applicant(client)
    r = client.get(f"/offers/{offer['id']}/notice", headers=stranger)
    assert r.status_code == 404 and "not yours" in r.json()["detail"]
    assert client.get(f"/offers/{offer['id']}/notice").status_code == 401
    assert client.get("/offers/999999/notice", headers=stranger).status_code == 404


def test_unconfirmed_offer_has_no_notice(client, clock):
    from notices_kit import DAY

    from kit import TIJUANA, ask, staff

    clock.set_et(DAY, 14)
    me = applicant(client)
    reg = register(client, me)
    ask(client, me, reg["id"], TIJUANA)
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    client.post(f"/draws/{DAY}", headers=staff(client))
    offer = client.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]
    r = client.get(f"/offers/{offer['id']}/notice", headers=me)
    assert r.status_code == 422 and "once every member" in r.json()["detail"]


def test_verify_says_why_not(client, appointment):
    me, offer = appointment["headers"], appointment["offer"]
    token = client.get(f"/offers/{offer['id']}/notice", headers=me).json()["token"]
    flipped = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    foreign = keys.build({}, {}, None, "not this server's", production=False).signer
    payload = client.post("/notices/verify", json={"token": token}).json()["payload"]
    cases = {"hello": "malformed", flipped: "malformed",  # the compressed stream breaks
             core.sign(NoticePayload(**payload), foreign): "unknown_key"}
    for sent, reason in cases.items():
        v = client.post("/notices/verify", json={"token": sent}).json()
        assert v == {"valid": False, "reason": reason, "message": v["message"],
                     "kid": v["kid"], "payload": None, "live": None}
    r = client.post("/notices/verify", json={})
    assert r.status_code == 422 and "token" in r.json()["detail"]


def test_a_token_signed_by_a_key_we_trust_but_never_issued_is_not_valid_live(client, clock):
    """A leaked key could sign a forged notice; the register still says not_issued."""
    from garita.notices import core
    from garita.notices.schemas import Member, NoticePayload

    forged = NoticePayload(confirmation_number="0000000000", port="SYS",
                           appointment_date=dt.date(2024, 9, 20), slot=dt.time(9),
                           issued_at=dt.datetime(2024, 9, 11, tzinfo=dt.UTC),
                           members=[Member(given_names="X", family_names="Y",
                                           date_of_birth=dt.date(1990, 1, 1))])
    token = core.sign(forged, client.app.state.notice_keys.signer)
    v = client.post("/notices/verify", json={"token": token}).json()
    assert v["valid"] and v["live"] == {"status": "not_issued", "still_valid": False}


def test_group_of_ten_with_long_names_fits_a_scannable_qr(client, clock):
    long = "María de los Ángeles Guadalupe"
    body = confirmed(client, clock, members=9, language="ru",
                     lead={"given_names": long, "family_names": "Hernández Villalobos de la Cruz",
                           "date_of_birth": "1980-01-01", "country_of_birth": "VEN",
                           "nationality": "VEN", "sex": "F"})
    me, offer = body["headers"], body["offer"]
    token = client.get(f"/offers/{offer['id']}/notice", headers=me).json()["token"]
    assert token.startswith("GN2:")  # new notices are issued in the standard format
    png = client.get(f"/offers/{offer['id']}/notice.png", headers=me).content
    assert render.read_qr(Image.open(io.BytesIO(png))) == token
    pdf = client.get(f"/offers/{offer['id']}/notice.pdf", headers=me)
    assert pdf.status_code == 200 and seal.token_in_pdf(pdf.content) == token


def test_a_russian_pdf_without_a_unicode_font_is_503_with_the_way_out(client, clock):
    got = confirmed(client, clock, language="ru")
    client.app.state.notice_font = None  # a machine without fonts-dejavu-core
    me, offer = got["headers"], got["offer"]
    r = client.get(f"/offers/{offer['id']}/notice.pdf", headers=me)
    assert r.status_code == 503 and "language=en" in r.json()["detail"]
    assert client.get(f"/offers/{offer['id']}/notice.pdf?language=es",
                      headers=me).status_code == 200


def test_a_redownload_is_the_signed_pdf_kept_not_signed_again(client, appointment):
    """Signing twice gives two different files (signing time, ECDSA's fresh nonce): a
    second download being byte-identical shows it was not signed again."""
    from garita.notices import pades, signed

    me, offer = appointment["headers"], appointment["offer"]
    url = f"/offers/{offer['id']}/notice.pdf"
    first = client.get(url, params={"language": "pt"}, headers=me)
    assert first.status_code == 200, first.text
    held = signed.kept()
    again = client.get(url, params={"language": "pt"}, headers=me)
    assert again.content == first.content and signed.kept() == held
    other = client.get(url, params={"language": "en"}, headers=me)
    assert other.content != first.content and signed.kept() == held + 1
    assert seal.verify_pdf(again.content, keys.from_jwks(
        client.get("/notices/keys.json").text)).valid
    notice = client.get(f"/offers/{offer['id']}/notice", headers=me).json()
    unsigned = render.pdf_bytes(NoticePayload.model_validate(notice["payload"]),
                                notice["token"], notice["kid"], "pt",
                                client.app.state.notice_font)
    key = client.app.state.notice_keys.pdf_signer
    assert pades.sign(unsigned, key) != pades.sign(unsigned, key)
