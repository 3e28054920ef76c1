"""Ed25519 keys as text, the one way every feature reads them from settings.

Infrastructure: the notice signer and the audit anchor signer (features in
different layers) both take a PEM key or a raw 32-byte key in base64/base64url,
and name a public key by its thumbprint.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


def b64(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64(text: str) -> bytes:
    """base64url or base64, padded or not."""
    text = text.strip().replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(*RAW)


def thumbprint(key: Ed25519PublicKey, prefix: str = "") -> str:
    """A kid from the public key itself: ``prefix`` + base32 of its SHA-256, 8 characters."""
    digest = base64.b32encode(hashlib.sha256(public_raw(key)).digest()).decode("ascii")
    return (prefix + digest)[:8]


def private_from_text(text: str) -> Ed25519PrivateKey:
    """A PEM private key, or the raw 32-byte seed in base64/base64url."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the PEM key is not an Ed25519 key")
        return key
    seed = unb64(text)
    if len(seed) != 32:
        raise ValueError("an Ed25519 private key is 32 bytes (base64url)")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_from_text(text: str) -> Ed25519PublicKey:
    raw = unb64(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes (base64url)")
    return Ed25519PublicKey.from_public_bytes(raw)
