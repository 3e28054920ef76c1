"""Secrets the database keeps, sealed: AES-256-GCM under a key from the settings, with
rotation. One construction for every feature that stores something a copy of the
database must not give away (the photos taken at confirmation, two-factor secrets).

A box is ``nonce (12 bytes) || ciphertext+tag``. The caller's associated data names the
row the box belongs to, so a box copied onto another row does not open, and an altered
byte fails the tag. A key is named by a public fingerprint (``key id``) stored beside
the box: after a rotation the previous keys still open older boxes. Each use gets its
own label, so one configured secret never yields the same key for two purposes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class KeyNotConfigured(ValueError):
    """The box was sealed under a key that is neither the current one nor a previous one."""


class Altered(ValueError):
    """The box does not open under its key: altered, or moved from another row."""


@dataclass(frozen=True)
class SealKeys:
    """The current key and the previous ones (rotation) of one use (``label``)."""

    label: bytes
    current: bytes
    previous: tuple[bytes, ...] = ()

    @classmethod
    def of(cls, label: str, secret: str, previous: tuple[str, ...] = ()) -> SealKeys:
        """The 32-byte AES keys for configured secrets: SHA-256 of the label and the secret."""
        tag = label.encode()
        return cls(tag, _derive(tag, secret), tuple(_derive(tag, p) for p in previous))

    def key_id(self, key: bytes) -> str:
        return hashlib.sha256(self.label + b"-id\x00" + key).hexdigest()[:16]

    @property
    def current_id(self) -> str:
        return self.key_id(self.current)

    def seal(self, data: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self.current).encrypt(nonce, data, aad)

    def open(self, box: bytes, kid: str, aad: bytes) -> bytes:
        key = next((k for k in (self.current, *self.previous) if self.key_id(k) == kid), None)
        if key is None:
            raise KeyNotConfigured(kid)
        try:
            return AESGCM(key).decrypt(box[:12], box[12:], aad)
        except InvalidTag as exc:
            raise Altered(kid) from exc


def _derive(label: bytes, secret: str) -> bytes:
    return hashlib.sha256(label + b"\x00" + secret.encode()).digest()
