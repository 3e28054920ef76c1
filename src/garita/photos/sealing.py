"""Photos at rest: AES-256-GCM under a key from ``GARITA_PHOTO_KEY``.

Each sealed photo is ``nonce (12 bytes) || ciphertext+tag``; the associated data
names the appointment and the person, so a sealed photo copied onto another row
does not open (and an altered byte fails the tag). ``key_id`` is a public
fingerprint stored beside it: after a rotation the old key opens the old photos
(``GARITA_PHOTO_KEY_PREVIOUS``) until the retention has deleted them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def derive(secret: str) -> bytes:
    """The 32-byte AES key for a configured secret (a label keeps it apart from other uses)."""
    return hashlib.sha256(b"garita-photo-key\x00" + secret.encode()).digest()


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"garita-photo-key-id\x00" + key).hexdigest()[:16]


def _aad(offer_id: int, person_id: int) -> bytes:
    return f"garita-photo:{offer_id}:{person_id}".encode()


@dataclass(frozen=True)
class PhotoKeys:
    """The current key and the previous ones, by key id."""

    current: bytes
    previous: tuple[bytes, ...] = ()

    @classmethod
    def of(cls, secret: str, previous: tuple[str, ...] = ()) -> PhotoKeys:
        return cls(derive(secret), tuple(derive(p) for p in previous))

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def seal(self, jpeg: bytes, offer_id: int, person_id: int) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self.current).encrypt(nonce, jpeg, _aad(offer_id, person_id))

    def open(self, sealed: bytes, kid: str, offer_id: int, person_id: int) -> bytes:
        """The JPEG, or ValueError: unknown key, altered bytes, or moved to another row."""
        key = next((k for k in (self.current, *self.previous) if key_id(k) == kid), None)
        if key is None:
            raise ValueError(f"photo key {kid} is not configured (GARITA_PHOTO_KEY_PREVIOUS)")
        try:
            return AESGCM(key).decrypt(sealed[:12], sealed[12:], _aad(offer_id, person_id))
        except InvalidTag as exc:
            raise ValueError("the sealed photo does not open: altered or moved") from exc
