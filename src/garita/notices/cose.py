"""The standard envelope of a notice: a CWT in a COSE_Sign1, zlib-compressed, in base45.

The layering is the EU digital COVID certificate's (``HC1:``), with our own prefix::

    GN2:<BASE45(zlib(COSE_Sign1 = tag 18 [protected, {}, CWT claims, Ed25519 signature]))>

* protected header ``{1 (alg): -8 (EdDSA), 4 (kid): b"<KID>"}``: the key id is
  signed, and the unprotected header must be empty;
* base45 (RFC 9285) uses only characters of QR's alphanumeric mode, like the
  base32 of ``GN1`` tokens, so the code stays as small.

Signing builds the RFC 9052 §4.4 ``Sig_structure`` with cbor2 and signs it
through the :class:`Signer` protocol (the private key stays behind it, as for
``GN1`` tokens and corridor permits, so it can live in an HSM later). Verifying
is done by python-cwt, a maintained COSE implementation, so every token this
server accepts has passed a standard verifier. Both are checked against each
other in the tests.

Canonical form: the COSE bytes must re-encode to themselves. The zlib framing
and deflate's padding bits are not unique, so another text can carry the same
signed bytes and verify; the register (live status, port check-in, boarding)
matches the token text exactly as issued, so such a copy reads as not issued.

Pure: no database, settings, clock or files.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from typing import Any, Protocol

import base45
import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cwt import COSE, COSEKey
from cwt.exceptions import CWTError

PREFIX = "GN2:"
MAX_COSE = 16_384  # bytes after inflating; a ten-person notice is under 2 kB
ALG, KID_LABEL, EDDSA = 1, 4, -8
KID = re.compile(r"[A-Z0-9]{1,16}")
_BASE45 = re.compile(r"[0-9A-Z $%*+\-./:]*")
_COSE = COSE.new()


class Signer(Protocol):
    @property
    def kid(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


def seal(claims: dict[int, Any], signer: Signer) -> str:
    """The claims as a signed, compressed, base45 token."""
    protected = cbor2.dumps({ALG: EDDSA, KID_LABEL: signer.kid.encode("ascii")})
    payload = cbor2.dumps(claims, canonical=True)
    to_sign = cbor2.dumps(["Signature1", protected, b"", payload])
    sign1 = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signer.sign(to_sign)]))
    return PREFIX + base45.b45encode(zlib.compress(sign1, 9)).decode("ascii")


def signed_bytes(token: str) -> bytes | None:
    """The COSE_Sign1 bytes a token carries (its identity), or None if it cannot be read."""
    if not token.startswith(PREFIX) or not _BASE45.fullmatch(token, len(PREFIX)):
        return None  # the base45 decoder would forgive a trailing newline
    try:
        inflate = zlib.decompressobj()
        data = inflate.decompress(base45.b45decode(token[len(PREFIX):]), MAX_COSE)
    except (ValueError, zlib.error):
        return None
    if inflate.unconsumed_tail or not inflate.eof or inflate.unused_data:
        return None
    return data


def _parts(data: bytes) -> tuple[str, bytes] | None:
    """(kid, payload) of a well-formed, canonical Sign1 with the only header we issue."""
    try:
        obj = cbor2.loads(data)
        if not (isinstance(obj, cbor2.CBORTag) and obj.tag == 18 and isinstance(obj.value, list)
                and len(obj.value) == 4 and cbor2.dumps(obj) == data):
            return None
        protected, unprotected, payload, _ = obj.value
        header = cbor2.loads(protected) if isinstance(protected, bytes) else None
    except (cbor2.CBORError, ValueError, TypeError, RecursionError):
        return None
    if (unprotected != {} or not isinstance(payload, bytes) or not isinstance(header, dict)
            or set(header) != {ALG, KID_LABEL} or header[ALG] != EDDSA
            or not isinstance(header[KID_LABEL], bytes)):
        return None
    kid = header[KID_LABEL].decode("ascii", "replace")
    return (kid, payload) if KID.fullmatch(kid) else None


@lru_cache(maxsize=64)
def _cose_key(raw: bytes, kid: str) -> Any:
    """OKP, Ed25519, x, alg EdDSA, and the kid (python-cwt picks the key by it)."""
    return COSEKey.new({1: 1, -1: 6, -2: raw, 3: EDDSA, 2: kid.encode("ascii")})


def open_token(token: str, public_keys: dict[str, Ed25519PublicKey]
               ) -> tuple[str, str | None, dict | None]:
    """(reason, kid, claims): ``ok`` with the CWT claims, else ``malformed``,
    ``unknown_key``, ``bad_signature`` or ``bad_payload`` and no claims."""
    data = signed_bytes(token)
    parts = _parts(data) if data is not None else None
    if parts is None:
        return "malformed", None, None
    kid = parts[0]
    key = public_keys.get(kid)
    if key is None:
        return "unknown_key", kid, None
    try:  # a ValueError from python-cwt is a signature that does not verify, too
        payload = _COSE.decode(data, _cose_key(key.public_bytes(Encoding.Raw, PublicFormat.Raw), kid))
    except (CWTError, ValueError):
        return "bad_signature", kid, None
    try:
        claims = cbor2.loads(payload)
    except (cbor2.CBORError, ValueError, TypeError, RecursionError):
        return "bad_payload", kid, None
    return ("ok", kid, claims) if isinstance(claims, dict) else ("bad_payload", kid, None)
