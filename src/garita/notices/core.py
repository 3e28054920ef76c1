"""Pure notice logic: confirmation numbers, the two token formats, validity rules.

New notices carry a standard token (``GN2:``, a CWT in a COSE_Sign1, base45: see
:mod:`garita.notices.cose` and :func:`claims`). Notices issued before it carry
the project's own ``GN1.`` token, which still verifies everywhere; both are
read by :func:`verify`, which tells them apart by the prefix.

The legacy token was built for QR codes. QR's alphanumeric mode stores upper-case
letters, digits and ``.`` at 5.5 bits a character, against 8 for byte mode, so
every part is upper-case base32 (RFC 4648, no padding)::

    GN1.<KID>.<BASE32(raw deflate(canonical JSON payload))>.<BASE32(Ed25519 signature)>

The signature covers the ASCII text ``GN1.<KID>.<payload>``, so the version,
the key id and every payload character are protected. Encodings must be
canonical (re-encoding the decoded bytes gives the same text): base32's spare
bits in a last character would otherwise let a changed token verify.

Nothing here touches a database, settings, the clock or files.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import zlib
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from garita.notices import cose
from garita.notices.schemas import Member, NoticePayload
from garita.policy.ports import PORTS

PREFIX = "GN1"  # the legacy format; new notices are cose.PREFIX ("GN2:")
MAX_PAYLOAD = 16_384  # bytes after inflating; a ten-person notice is under 2 kB
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_LENGTH = 10  # 50 bits from a CSPRNG
_NUMBER = re.compile(f"[{CROCKFORD}]{{{NUMBER_LENGTH}}}")
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
KID = re.compile(r"[A-Z0-9]{1,16}")

# Where each port's day starts and ends (an appointment is good through its day there).

# --- confirmation numbers -------------------------------------------------------------

def confirmation_number(random_bytes: bytes) -> str:
    """Ten Crockford base32 characters from at least 7 random bytes (50 bits used).

    >>> confirmation_number(bytes(7))
    '0000000000'
    """
    if len(random_bytes) < 7:
        raise ValueError("need 7 random bytes")
    value = int.from_bytes(random_bytes[:7], "big") >> 6
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(NUMBER_LENGTH)))


def normalise_number(text: str) -> str | None:
    """What a person typed → the canonical number, or None if it cannot be one.

    Crockford's rules: case-insensitive, hyphens and spaces ignored, I/L read as
    1 and O as 0, so hand-copied numbers still match.
    """
    cleaned = re.sub(r"[\s-]", "", text).upper().translate(_ALIASES)
    return cleaned if _NUMBER.fullmatch(cleaned) else None


def grouped(number: str) -> str:
    """'7K3M9QX2PA' → '7K3M9-QX2PA', for print."""
    return f"{number[:5]}-{number[5:]}"


# --- encoding -------------------------------------------------------------------------

def b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


_TO_HEX32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghijklmnopqrstuv")
_B32 = re.compile("[A-Z2-7]*")


def unb32(text: str) -> bytes | None:
    """Decode strictly: upper case only, and only the canonical text of its bytes.

    Done through ``int(..., 32)`` (C speed; the stdlib decoder loops in Python):
    the RFC 4648 alphabet is mapped onto base32hex digits, and the spare low bits
    of the last character must be zero, which is what makes the text canonical.
    """
    if len(text) % 8 not in (0, 2, 4, 5, 7) or not _B32.fullmatch(text):
        return None
    if not text:
        return b""
    size, spare = divmod(5 * len(text), 8)
    value = int(text.translate(_TO_HEX32), 32)
    if value & ((1 << spare) - 1):
        return None
    return (value >> spare).to_bytes(size, "big")


def pack(payload: NoticePayload) -> bytes:
    """Canonical compact JSON (short keys, sorted, no spaces), raw-deflated."""
    compact = {"v": 1, "c": payload.confirmation_number, "p": payload.port,
               "d": payload.appointment_date.isoformat(), "s": payload.slot.strftime("%H:%M"),
               "i": payload.issued_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "m": [[m.given_names, m.family_names, m.date_of_birth.isoformat()]
                     for m in payload.members]}
    text = json.dumps(compact, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    return squeeze.compress(text.encode("utf-8")) + squeeze.flush()


def unpack(data: bytes) -> NoticePayload:
    """Inverse of :func:`pack`; raises ValueError on anything unexpected."""
    try:
        inflate = zlib.decompressobj(-15)
        text = inflate.decompress(data, MAX_PAYLOAD)
        if inflate.unconsumed_tail or not inflate.eof:
            raise ValueError("payload too large or truncated")
        raw = json.loads(text.decode("utf-8"))
        if raw.get("v") != 1:
            raise ValueError("unknown payload version")
        return NoticePayload(
            confirmation_number=raw["c"], port=raw["p"], appointment_date=raw["d"],
            slot=raw["s"], issued_at=raw["i"],
            members=[Member(given_names=g, family_names=f, date_of_birth=b)
                     for g, f, b in raw["m"]])
    except (zlib.error, UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"unreadable payload: {exc}") from exc


# --- signing and verifying ------------------------------------------------------------

class Signer(Protocol):
    @property
    def kid(self) -> str: ...  # read-only: a frozen signer (keys.ActiveSigner) fits

    def sign(self, message: bytes) -> bytes: ...


def sign_token(prefix: str, body: bytes, signer: Signer) -> str:
    """``<prefix>.<KID>.<BASE32(body)>.<BASE32(signature)>``, the signature over the head.

    Shared by every signed document (notices ``GN1``, corridor permits ``GP1``):
    the prefix is signed too, so one kind can never pass as another.
    """
    head = f"{prefix}.{signer.kid}.{b32(body)}"
    return f"{head}.{b32(signer.sign(head.encode('ascii')))}"


def open_token(token: str, prefix: str,
               public_keys: dict[str, Ed25519PublicKey]) -> tuple[str, str | None, bytes | None]:
    """(reason, kid, body): reason ``ok`` with the signed body bytes, or one of
    ``malformed``, ``unknown_key``, ``bad_signature`` (see :data:`REASONS`) and no body.

    Only the envelope: what the body means is the caller's business.
    """
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != prefix or not KID.fullmatch(parts[1]):
        return "malformed", None, None
    kid = parts[1]
    body, signature = unb32(parts[2]), unb32(parts[3])
    if body is None or signature is None or len(signature) != 64:
        return "malformed", kid, None
    key = public_keys.get(kid)
    if key is None:
        return "unknown_key", kid, None
    try:
        key.verify(signature, token[: -len(parts[3]) - 1].encode("ascii"))
    except (InvalidSignature, UnicodeEncodeError):
        return "bad_signature", kid, None
    return "ok", kid, body


# --- the standard token (GN2) ---------------------------------------------------------

ISSUER = "garita"
NOTICE_CLAIM = -65537  # private-use CWT claim (RFC 8392 §9.1: below -65536)


def claims(payload: NoticePayload) -> dict:
    """The CWT claims: iss, iat, exp (the end of the appointment's day at the port, so a
    generic CWT verifier sees an old notice as expired) and the notice itself."""
    day_after = dt.datetime.combine(payload.appointment_date + dt.timedelta(days=1), dt.time(),
                                    tzinfo=PORTS[payload.port].zone)
    return {1: ISSUER, 6: int(payload.issued_at.timestamp()), 4: int(day_after.timestamp()),
            NOTICE_CLAIM: {"c": payload.confirmation_number, "p": payload.port,
                           "d": payload.appointment_date.isoformat(),
                           "s": payload.slot.strftime("%H:%M"),
                           "m": [_member_row(m) for m in payload.members]}}


def _member_row(m: Member) -> list[str]:
    """[given, family, born] — and nationality, sex when known (notices issued before
    2026-12 have three fields, and still read: see :func:`_member`)."""
    row = [m.given_names, m.family_names, m.date_of_birth.isoformat()]
    return row + [m.nationality, m.sex] if m.nationality and m.sex else row


def _member(row: list) -> Member:
    if len(row) == 3:
        g, f, b = row
        return Member(given_names=g, family_names=f, date_of_birth=b)
    g, f, b, nationality, sex = row  # ValueError on any other length
    return Member(given_names=g, family_names=f, date_of_birth=b, nationality=nationality,
                  sex=sex)


def from_claims(raw: dict) -> NoticePayload:
    """Inverse of :func:`claims`; raises ValueError on anything unexpected."""
    try:
        notice = raw[NOTICE_CLAIM]
        if raw[1] != ISSUER or not isinstance(raw[6], int):
            raise ValueError("not a Garita notice")
        return NoticePayload(
            confirmation_number=notice["c"], port=notice["p"], appointment_date=notice["d"],
            slot=notice["s"], issued_at=dt.datetime.fromtimestamp(raw[6], dt.UTC),
            members=[_member(row) for row in notice["m"]])
    except (KeyError, TypeError, ValueError, OverflowError, OSError) as exc:
        raise ValueError(f"unreadable payload: {exc}") from exc


def sign(payload: NoticePayload, signer: Signer) -> str:
    """A new notice's token: the standard format."""
    return cose.seal(claims(payload), signer)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a token; ``reason`` is a stable code, ``message`` says more."""

    valid: bool
    reason: str
    message: str
    kid: str | None = None
    payload: NoticePayload | None = None


REASONS = {
    "ok": "Signature valid: the notice is as issued.",
    "malformed": "Not a Garita notice token (expected GN2:… or GN1.<key>.<payload>.<signature>).",
    "unknown_key": "Signed with a key that is not in the public key set.",
    "bad_signature": "The signature does not match: the notice was changed or forged.",
    "bad_payload": "Signed, but the content cannot be read by this version.",
}


def _no(reason: str, kid: str | None = None) -> Verdict:
    return Verdict(False, reason, REASONS[reason], kid)


def verify(token: str, public_keys: dict[str, Ed25519PublicKey]) -> Verdict:
    """Check a token of either format against a key set. Needs nothing but the public keys."""
    if token.startswith(cose.PREFIX):
        reason, kid, raw = cose.open_token(token, public_keys)
        if raw is None:
            return _no(reason, kid)
        try:
            return Verdict(True, "ok", REASONS["ok"], kid, from_claims(raw))
        except ValueError:
            return _no("bad_payload", kid)
    reason, kid, body = open_token(token, PREFIX, public_keys)
    if body is None:
        return _no(reason, kid)
    try:
        payload = unpack(body)
    except ValueError:
        return _no("bad_payload", kid)
    return Verdict(True, "ok", REASONS["ok"], kid, payload)


# --- validity against the register ---------------------------------------------------

def port_today(port: str, now: dt.datetime) -> dt.date:
    return now.astimezone(PORTS[port].zone).date()


def still_valid(status: str, appointment_date: dt.date, port: str, now: dt.datetime) -> bool:
    """Confirmed and not yet past its day at the port."""
    return status == "confirmed" and appointment_date >= port_today(port, now)


def live_status(status: str, appointment_date: dt.date, port: str, now: dt.datetime) -> str:
    """The offer's status, with 'expired' for a confirmed appointment whose day is over."""
    if status == "confirmed" and appointment_date < port_today(port, now):
        return "expired"
    return status
