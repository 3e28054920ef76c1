"""The Ed25519 keys of audit anchors: the signing key from settings, earlier public keys.

A key is named by its thumbprint (``kid``: 8 base32 characters of the SHA-256 of
the raw public key), printed into every anchor, so an anchor signed before a
rotation still verifies as long as its public key stays in
``GARITA_AUDIT_ANCHOR_PREVIOUS_KEYS``. With no key configured, a development key
is derived from the token secret (kid ``DEV…``); production refuses to start
without a real key (``Settings.secret_problems``).

Audit sits below ``notices`` in the layers, so it cannot borrow the notice key
ring; these few lines over ``cryptography`` are its own.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64(text: str) -> bytes:
    text = text.strip().replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def kid_of(key: Ed25519PublicKey, prefix: str = "") -> str:
    digest = hashlib.sha256(key.public_bytes(*RAW)).digest()
    return (prefix + base64.b32encode(digest).decode("ascii"))[:8]


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


def dev_key(secret: str) -> Ed25519PrivateKey:
    """A deterministic development key from the token secret. Never for production."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"garita-audit-anchors",
                info=b"development anchor key").derive(secret.encode("utf-8"))
    return Ed25519PrivateKey.from_private_bytes(seed)


@dataclass(frozen=True)
class AnchorKeys:
    """The key that signs new anchors and every public key that verifies old ones."""

    kid: str
    signer: Ed25519PrivateKey | None
    public: dict[str, Ed25519PublicKey]
    dev: bool = False

    def sign(self, message: bytes) -> bytes:
        if self.signer is None:
            raise ValueError("no anchor signing key: set GARITA_AUDIT_ANCHOR_KEY")
        return self.signer.sign(message)


def build(key_text: str | None, previous: list[str], dev_secret: str) -> AnchorKeys:
    """The ring from settings' values; raises ValueError naming the setting to fix."""
    try:
        signer = private_from_text(key_text) if key_text else dev_key(dev_secret)
    except ValueError as exc:
        raise ValueError(f"GARITA_AUDIT_ANCHOR_KEY: {exc}") from exc
    kid = kid_of(signer.public_key(), "" if key_text else "DEV")
    public = {kid: signer.public_key()}
    for i, text in enumerate(previous):
        try:
            key = public_from_text(text)
        except ValueError as exc:
            raise ValueError(f"GARITA_AUDIT_ANCHOR_PREVIOUS_KEYS[{i}]: {exc}") from exc
        public.setdefault(kid_of(key), key)
    return AnchorKeys(kid=kid, signer=signer, public=public, dev=not key_text)


def from_settings(settings) -> AnchorKeys:
    """The ring for these settings (the edge calls this; engines are handed the ring)."""
    key = settings.audit_anchor_key
    return build(key.get_secret_value() if key is not None else None,
                 list(settings.audit_anchor_previous_keys),
                 settings.secret_key.get_secret_value())


def generate() -> tuple[str, str, str]:
    """A new key pair: (kid, private seed base64url, public key base64url)."""
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
    return kid_of(key.public_key()), b64(seed), b64(key.public_key().public_bytes(*RAW))
