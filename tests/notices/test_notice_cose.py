"""The GN2 token is a standard CWT in a COSE_Sign1: tools that are not ours read it with
nothing but the published keys.json, and what we do not issue is refused."""

from __future__ import annotations

import base64
import datetime as dt
import zlib

import base45
import cbor2
import cwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cwt import COSE, COSEKey
from notices_kit import legacy_token

from garita.notices import core, cose, keys, render
from garita.notices.schemas import Member, NoticePayload

RING = keys.build({}, {}, None, "cose test secret", production=False)
assert RING.signer is not None
SIGNER = RING.signer
JWK = next(k for k in RING.jwks()["keys"] if k["kty"] == "OKP")


def payload(day: dt.date, members: int = 2, name: str = "Ana María") -> NoticePayload:
    return NoticePayload(
        confirmation_number="7K3M9QX2PA", port="SYS", appointment_date=day, slot=dt.time(9, 30),
        issued_at=dt.datetime(2024, 9, 11, 17, 5, tzinfo=dt.UTC),
        members=[Member(given_names=f"{name} {i}", family_names="Pérez Gómez",
                        date_of_birth=dt.date(1990, 4, 2)) for i in range(members)])


def sign1(token: str) -> bytes:
    """What any EU-DCC-style reader does: strip the prefix, base45-decode, inflate."""
    assert token.startswith("GN2:")
    return zlib.decompress(base45.b45decode(token[4:]))


def test_a_standard_cose_library_verifies_it_with_the_published_jwk():
    p = payload(dt.date(2024, 9, 13))
    token = core.sign(p, SIGNER)
    claims = cbor2.loads(COSE.new().decode(sign1(token), COSEKey.from_jwk(JWK)))
    assert claims[1] == "garita" and claims[6] == int(p.issued_at.timestamp())
    notice = claims[core.NOTICE_CLAIM]
    assert notice["c"] == "7K3M9QX2PA" and notice["p"] == "SYS" and notice["d"] == "2024-09-13"
    assert notice["m"][0] == ["Ana María 0", "Pérez Gómez", "1990-04-02"]
    other = next(k for k in keys.build({}, {}, None, "another", False).jwks()["keys"]
                 if k["kty"] == "OKP")
    with pytest.raises(cwt.VerifyError):
        COSE.new().decode(sign1(token), COSEKey.from_jwk(other | {"kid": JWK["kid"]}))


def test_the_signature_is_rfc9052_over_the_sig_structure():
    """Checked with cbor2 and cryptography alone, as a verifier in another language would."""
    token = core.sign(payload(dt.date(2024, 9, 13)), SIGNER)
    message = cbor2.loads(sign1(token))
    assert isinstance(message, cbor2.CBORTag) and message.tag == 18  # COSE_Sign1
    protected, unprotected, body, signature = message.value
    assert cbor2.loads(protected) == {1: -8, 4: SIGNER.kid.encode()} and unprotected == {}
    x = base64.urlsafe_b64decode(JWK["x"] + "=" * (-len(JWK["x"]) % 4))
    Ed25519PublicKey.from_public_bytes(x).verify(
        signature, cbor2.dumps(["Signature1", protected, b"", body]))


def test_a_generic_cwt_verifier_sees_the_appointment_day_as_the_expiry():
    today = dt.datetime.now(dt.UTC).date()
    ahead = core.sign(payload(today + dt.timedelta(days=5)), SIGNER)
    claims = cwt.decode(sign1(ahead), COSEKey.from_jwk(JWK))
    # the end of the appointment's day in San Ysidro (UTC-7 or -8)
    end = dt.datetime.fromtimestamp(claims[4], dt.UTC)
    assert end.date() == today + dt.timedelta(days=6) and end.hour in (7, 8)
    past = core.sign(payload(dt.date(2024, 9, 13)), SIGNER)
    with pytest.raises(cwt.VerifyError, match="expired"):
        cwt.decode(sign1(past), COSEKey.from_jwk(JWK))
    assert core.verify(past, RING.public).valid  # the signature holds; the register says expired


def _token(protected: dict, unprotected: dict, claims: object, tag: int = 18,
           untagged: bool = False, canonical: bool = True) -> str:
    """A token signed with our key but built differently from what we issue."""
    head = cbor2.dumps(protected)
    body = cbor2.dumps(claims)
    signature = SIGNER.sign(cbor2.dumps(["Signature1", head, b"", body]))
    inner = [head, unprotected, body, signature]
    data = cbor2.dumps(inner if untagged else cbor2.CBORTag(tag, inner))
    if not canonical:  # the same array, its length written in two bytes instead of one
        data = data[:1] + b"\x98\x04" + data[2:]
    return cose.PREFIX + base45.b45encode(zlib.compress(data)).decode()


KID = SIGNER.kid.encode()
GOOD = core.claims(payload(dt.date(2024, 9, 13)))


@pytest.mark.parametrize(("case", "token", "reason"), [
    ("as issued", _token({1: -8, 4: KID}, {}, GOOD), "ok"),
    ("unprotected header", _token({1: -8, 4: KID}, {4: KID}, GOOD), "malformed"),
    ("kid unprotected", _token({1: -8}, {4: KID}, GOOD), "malformed"),
    ("another algorithm", _token({1: -7, 4: KID}, {}, GOOD), "malformed"),
    ("an extra header", _token({1: -8, 4: KID, 3: 0}, {}, GOOD), "malformed"),
    ("untagged", _token({1: -8, 4: KID}, {}, GOOD, untagged=True), "malformed"),
    ("COSE_Mac0 tag", _token({1: -8, 4: KID}, {}, GOOD, tag=17), "malformed"),
    ("non-canonical CBOR", _token({1: -8, 4: KID}, {}, GOOD, canonical=False), "malformed"),
    ("unknown kid", _token({1: -8, 4: b"ZZZZ9999"}, {}, GOOD), "unknown_key"),
    ("not claims", _token({1: -8, 4: KID}, {}, [1, 2]), "bad_payload"),
    ("another issuer", _token({1: -8, 4: KID}, {}, GOOD | {1: "elsewhere"}), "bad_payload"),
    ("no notice claim", _token({1: -8, 4: KID}, {}, {1: "garita", 6: 0}), "bad_payload"),
    ("not base45", "GN2:abc", "malformed"),
    ("not zlib", cose.PREFIX + base45.b45encode(b"\xd2\x84").decode(), "malformed"),
])
def test_only_what_we_issue_verifies(case, token, reason):
    verdict = core.verify(token, RING.public)
    assert verdict.reason == reason, case
    assert verdict.valid is (reason == "ok")


def test_a_ten_person_qr_stays_scannable_at_print_size_and_no_larger_than_gn1():
    """The PDF draws the QR at scale 2 in a 68 mm box; zxing-cpp must read it back."""
    p = payload(dt.date(2024, 9, 13), members=10, name="María de los Ángeles Guadalupe")
    new, old = core.sign(p, SIGNER), legacy_token(p, SIGNER)
    images = {fmt: render.qr_image(t, scale=2) for fmt, t in (("GN2", new), ("GN1", old))}
    assert render.read_qr(images["GN2"]) == new and render.read_qr(images["GN1"]) == old
    # one QR version is 4 modules: at most one version larger than the legacy code
    assert images["GN2"].width <= images["GN1"].width + 2 * 4
