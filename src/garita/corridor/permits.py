"""Transit permit tokens: the notice envelope with the permit prefix.

Same keys (the notice key ring, published as JWKS) and the same envelope
(``garita.notices.core.sign_token`` / ``open_token``: Ed25519 over
``GP1.<KID>.<payload>``); only the prefix and the payload differ, so a permit
can never pass as a notice and there is one verifier to keep correct::

    GP1.<KID>.<BASE32(raw deflate(canonical JSON))>.<BASE32(signature)>
"""

from __future__ import annotations

import json
import zlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from garita.notices.core import MAX_PAYLOAD, Signer, open_token, sign_token

PREFIX = "GP1"
WHY = {
    "malformed": "not a Garita permit token (GP1.<key>.<payload>.<signature>)",
    "unknown_key": "signed with a key that is not in the public key set",
    "bad_signature": "the signature does not match: the permit was changed or forged",
    "bad_payload": "signed, but the content cannot be read",
}


def sign(payload: dict, signer: Signer) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    return sign_token(PREFIX, squeeze.compress(text.encode("utf-8")) + squeeze.flush(), signer)


def verify(token: str, public_keys: dict[str, Ed25519PublicKey]) -> tuple[dict | None, str]:
    """(payload, "ok") or (None, reason in words) — needs nothing but the public keys."""
    reason, _, body = open_token(token.strip(), PREFIX, public_keys)
    if body is None:
        return None, WHY[reason]
    try:
        inflate = zlib.decompressobj(-15)
        payload = json.loads(inflate.decompress(body, MAX_PAYLOAD))
        if inflate.unconsumed_tail or not inflate.eof or not isinstance(payload, dict):
            raise ValueError("payload too large, truncated or not an object")
        return payload, "ok"
    except (zlib.error, ValueError):
        return None, WHY["bad_payload"]
