"""Photos at rest: AES-256-GCM under a key from ``GARITA_PHOTO_KEY``.

Each sealed photo is ``nonce (12 bytes) || ciphertext+tag``; the associated data
names the appointment and the person, so a sealed photo copied onto another row
does not open (and an altered byte fails the tag). ``key_id`` is a public
fingerprint stored beside it: after a rotation the old key opens the old photos
(``GARITA_PHOTO_KEY_PREVIOUS``) until the retention has deleted them.
"""

from __future__ import annotations

from dataclasses import dataclass

from garita.sealbox import Altered, KeyNotConfigured, SealKeys

LABEL = "garita-photo-key"


def _aad(offer_id: int, person_id: int) -> bytes:
    return f"garita-photo:{offer_id}:{person_id}".encode()


@dataclass(frozen=True)
class PhotoKeys:
    """The photo keys (``garita.sealbox``), a box per (offer, person)."""

    box: SealKeys

    @classmethod
    def of(cls, secret: str, previous: tuple[str, ...] = ()) -> PhotoKeys:
        return cls(SealKeys.of(LABEL, secret, previous))

    @property
    def current_id(self) -> str:
        return self.box.current_id

    def seal(self, jpeg: bytes, offer_id: int, person_id: int) -> bytes:
        return self.box.seal(jpeg, _aad(offer_id, person_id))

    def open(self, sealed: bytes, kid: str, offer_id: int, person_id: int) -> bytes:
        """The JPEG, or ValueError: unknown key, altered bytes, or moved to another row."""
        try:
            return self.box.open(sealed, kid, _aad(offer_id, person_id))
        except KeyNotConfigured as exc:
            raise ValueError(f"photo key {kid} is not configured "
                             "(GARITA_PHOTO_KEY_PREVIOUS)") from exc
        except Altered as exc:
            raise ValueError("the sealed photo does not open: altered or moved") from exc
