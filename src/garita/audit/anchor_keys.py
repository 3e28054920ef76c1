"""The Ed25519 keys of audit anchors: the signing key from settings, earlier public keys.

A key is named by its thumbprint (``kid``: 8 base32 characters of the SHA-256 of
the raw public key), printed into every anchor, so an anchor signed before a
rotation still verifies as long as its public key stays in
``GARITA_AUDIT_ANCHOR_PREVIOUS_KEYS``. With no key configured, a development key
is derived from the token secret (kid ``DEV…``); production refuses to start
without a real key (``Settings.secret_problems``).

Reading keys from text is infrastructure (``garita.keytext``), shared with the
notice signer.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from garita import keytext

# Key text and thumbprints are shared with the notice signer (garita.keytext).
b64, unb64, kid_of = keytext.b64, keytext.unb64, keytext.thumbprint
private_from_text, public_from_text = keytext.private_from_text, keytext.public_from_text


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
    return kid_of(key.public_key()), b64(seed), b64(keytext.public_raw(key.public_key()))
