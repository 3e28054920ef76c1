"""Tokens of both formats (GN2 standard, GN1 legacy): any change fails, wrong and unknown
keys fail, rotation keeps old notices valid."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notices_kit import legacy_token

from garita.notices import core, cose, keys
from garita.notices.schemas import Member, NoticePayload

KID_A, SEED_A, PUB_A = keys.generate()
KID_B, SEED_B, PUB_B = keys.generate()
RING_A = keys.build({KID_A: SEED_A}, {}, None, "unused", production=False)
FORMATS = {"GN2": core.sign, "GN1": legacy_token}


def _unchanged_or_invalid(changed: str, token: str, ring) -> bool:
    """A changed token fails, except where a GN2 text differs only in its zlib framing
    (deflate padding bits): then it carries the very same signed bytes."""
    if not core.verify(changed, ring).valid:
        return True
    return token.startswith(cose.PREFIX) and cose.signed_bytes(changed) == cose.signed_bytes(token)

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                max_size=60)
members = st.builds(Member, given_names=names, family_names=names,
                    date_of_birth=st.dates(dt.date(1920, 1, 1), dt.date(2024, 1, 1)))
payloads = st.builds(
    NoticePayload,
    confirmation_number=st.binary(min_size=7, max_size=7).map(core.confirmation_number),
    port=st.sampled_from(["SYS", "BRO", "ELP"]),
    appointment_date=st.dates(dt.date(2023, 5, 12), dt.date(2025, 1, 20)),
    slot=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    members=st.lists(members, min_size=1, max_size=10),
    issued_at=st.datetimes(dt.datetime(2023, 1, 1), dt.datetime(2025, 1, 1),
                           timezones=st.just(dt.UTC)).map(lambda d: d.replace(microsecond=0)))


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60, deadline=None)
@given(payload=payloads)
def test_round_trip(fmt, payload):
    token = FORMATS[fmt](payload, RING_A.signer)
    assert token.startswith(fmt)
    verdict = core.verify(token, RING_A.public)
    assert verdict.valid and verdict.payload == payload and verdict.kid == KID_A


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40, deadline=None)
@given(payload=payloads, data=st.data())
def test_any_changed_character_fails(fmt, payload, data):
    token = FORMATS[fmt](payload, RING_A.signer)
    i = data.draw(st.integers(0, len(token) - 1))
    new = data.draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567.0189a= $%*+-/:").filter(
        lambda c: c != token[i]))
    assert _unchanged_or_invalid(token[:i] + new + token[i + 1:], token, RING_A.public)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_position_of_one_token_is_protected(fmt):
    payload = NoticePayload(confirmation_number="7K3M9QX2PA", port="SYS",
                            appointment_date=dt.date(2024, 9, 13), slot=dt.time(9, 30),
                            issued_at=dt.datetime(2024, 9, 11, 17, 5, tzinfo=dt.UTC),
                            members=[Member(given_names="Ana", family_names="Pérez",
                                            date_of_birth=dt.date(1990, 4, 2))])
    token = FORMATS[fmt](payload, RING_A.signer)
    for i, c in enumerate(token):
        for new in {"A", "7", ".", "Q", ":", " "} - {c}:
            assert _unchanged_or_invalid(token[:i] + new + token[i + 1:], token,
                                         RING_A.public), i
    assert not core.verify(token + "A", RING_A.public).valid
    assert not core.verify(token[:-1], RING_A.public).valid
    assert not core.verify(token + "\n", RING_A.public).valid


@pytest.mark.parametrize("fmt", FORMATS)
def test_wrong_and_unknown_keys_fail(fmt):
    payload = NoticePayload(confirmation_number="7K3M9QX2PA", port="BRO",
                            appointment_date=dt.date(2024, 9, 13), slot=dt.time(9, 30),
                            issued_at=dt.datetime(2024, 9, 11, tzinfo=dt.UTC),
                            members=[Member(given_names="A", family_names="B",
                                            date_of_birth=dt.date(1990, 4, 2))])
    token = FORMATS[fmt](payload, RING_A.signer)
    other = keys.build({KID_B: SEED_B}, {}, None, "x", production=False)
    assert core.verify(token, other.public).reason == "unknown_key"
    # the right kid but the wrong key material: a substituted key set
    impostor = {KID_A: keys.public_from_text(PUB_B)}
    assert core.verify(token, impostor).reason == "bad_signature"


@pytest.mark.parametrize("fmt", FORMATS)
def test_rotation_keeps_old_notices_valid(fmt):
    payload = NoticePayload(confirmation_number="0123456789", port="NOG",
                            appointment_date=dt.date(2024, 9, 13), slot=dt.time(8),
                            issued_at=dt.datetime(2024, 9, 11, tzinfo=dt.UTC),
                            members=[Member(given_names="A", family_names="B",
                                            date_of_birth=dt.date(1990, 4, 2))])
    old = FORMATS[fmt](payload, RING_A.signer)
    # B becomes active, A stays a signing key: both verify, new notices use B
    both = keys.build({KID_A: SEED_A, KID_B: SEED_B}, {}, KID_B, "x", production=False)
    assert core.verify(old, both.public).valid
    assert core.verify(core.sign(payload, both.signer), both.public).kid == KID_B
    # then A's private key is dropped and only its public key kept
    retired = keys.build({KID_B: SEED_B}, {KID_A: PUB_A}, None, "x", production=False)
    assert core.verify(old, retired.public).valid
    published = keys.from_jwks(__import__("json").dumps(retired.jwks()))
    assert core.verify(old, published.public).valid
    assert {k["kid"] for k in retired.jwks()["keys"] if k["kty"] == "OKP"} == {KID_A, KID_B}


def test_key_settings_are_checked():
    with pytest.raises(ValueError, match="production needs a real key"):
        keys.build({}, {}, None, "dev", production=True)
    with pytest.raises(ValueError, match="GARITA_NOTICE_PDF_KEY is empty"):
        keys.build({KID_A: SEED_A}, {}, None, "dev", production=True)
    with pytest.raises(ValueError, match="GARITA_NOTICE_ACTIVE_KID"):
        keys.build({KID_A: SEED_A, KID_B: SEED_B}, {}, None, "x", production=False)
    with pytest.raises(ValueError, match="not among"):
        keys.build({KID_A: SEED_A}, {}, KID_B, "x", production=False)
    with pytest.raises(ValueError, match="32 bytes"):
        keys.build({"K1": "c2hvcnQ"}, {}, None, "x", production=False)
    dev = keys.build({}, {}, None, "dev secret", production=False)
    assert dev.signer.kid.startswith("DEV") and dev.jwks()["keys"][0]["dev_only"]
    assert dev.signer.kid == keys.build({}, {}, None, "dev secret", False).signer.kid


def test_confirmation_numbers():
    assert core.normalise_number("7k3m9-qx2pa") == "7K3M9QX2PA"
    assert core.normalise_number("OIL00 00000") == "0110000000"
    assert core.normalise_number("7K3M9QX2P") is None
    assert core.normalise_number("7K3M9QX2PU") is None  # U is not in Crockford's alphabet
    assert len({core.confirmation_number(bytes([i]) * 7) for i in range(256)}) == 256
