"""Transit permit tokens, signed like appointment notices and verified the same way.

Same keys (the notice key ring, published as JWKS), same encoding
(``garita.notices.core.b32`` of raw-deflated canonical JSON, Ed25519 over the
head), a different prefix so a permit can never pass as a notice::

    GP1.<KID>.<BASE32(payload)>.<BASE32(signature)>
"""

from __future__ import annotations

import json
import zlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from garita.notices.core import KID, Signer, b32, unb32

PREFIX = "GP1"


def sign(payload: dict, signer: Signer) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = squeeze.compress(text.encode("utf-8")) + squeeze.flush()
    head = f"{PREFIX}.{signer.kid}.{b32(body)}"
    return f"{head}.{b32(signer.sign(head.encode('ascii')))}"


def verify(token: str, public_keys: dict[str, Ed25519PublicKey]) -> tuple[dict | None, str]:
    """(payload, "ok") or (None, reason) — needs nothing but the public keys."""
    parts = token.strip().split(".")
    if len(parts) != 4 or parts[0] != PREFIX or not KID.fullmatch(parts[1]):
        return None, "not a Garita permit token (GP1.<key>.<payload>.<signature>)"
    body, signature = unb32(parts[2]), unb32(parts[3])
    key = public_keys.get(parts[1])
    if body is None or signature is None or key is None:
        return None, "unknown signing key or damaged token"
    try:
        key.verify(signature, ".".join(parts[:3]).encode("ascii"))
        return json.loads(zlib.decompressobj(-15).decompress(body, 8192)), "ok"
    except InvalidSignature:
        return None, "the signature does not match: the permit was changed or forged"
    except (zlib.error, ValueError):
        return None, "signed, but the content cannot be read"
