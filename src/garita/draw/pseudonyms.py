"""Secrets of the verifiable draw: pseudonymous tickets and the sealed seed.

Pure functions over keys and values (no settings, no database): the edge
builds a `DrawSecrets` from settings and passes it in.

*Tickets.* The published input list must let anyone rerun the draw without
letting anyone link a row back to a registration. A ticket is a keyed
pseudorandom function of the request id: AES-256 of the 16-byte block
``TICKET_DOMAIN (8 bytes) || request id (8 bytes, big-endian)``, first 8 bytes
of the ciphertext read big-endian, top bit cleared (63 bits, so it fits a
signed 64-bit column anywhere). ECB mode is right here, not a mistake: every
block is distinct (distinct ids), so ECB is exactly "AES as a PRP applied to
each id", and one `encryptor().update()` call does a million ids in
milliseconds. Without the key, a ticket says nothing about its request;
with it, the server recomputes a ticket from an id, so nothing is stored.
Two ids colliding in 63 bits has probability ~n²/2⁶⁴ (≈5·10⁻⁸ for 1 M).

*Seed sealing.* The committed seed is stored AES-GCM-encrypted with the day
as associated data, so a database reader learns nothing before the reveal
and a sealed seed copied to another day fails to open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TICKET_DOMAIN = int.from_bytes(b"garita-t", "big")
_MASK63 = np.uint64((1 << 63) - 1)


def _derive(label: bytes, secret: str | bytes) -> bytes:
    raw = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hashlib.sha256(label + b"\x00" + raw).digest()


@dataclass(frozen=True)
class DrawSecrets:
    """The two 32-byte keys of the draw, derived from the configured secrets."""

    seed_key: bytes
    ticket_key: bytes

    @classmethod
    def of(cls, seed_secret: object, ticket_secret: object) -> DrawSecrets:
        """From strings or pydantic ``SecretStr`` values (settings.seed_key, .ticket_key)."""
        reveal = [getattr(s, "get_secret_value", lambda s=s: s)() for s in
                  (seed_secret, ticket_secret)]
        return cls(_derive(b"garita-seed-key", reveal[0]), _derive(b"garita-ticket-key", reveal[1]))

    @property
    def ticket_key_id(self) -> str:
        """A public fingerprint of the ticket key: publications name the key they used."""
        return hashlib.sha256(b"garita-ticket-key-id\x00" + self.ticket_key).hexdigest()[:16]


def tickets(key: bytes, request_ids: np.ndarray) -> np.ndarray:
    """Tickets (uint64, < 2**63) of many request ids in one AES call."""
    ids = np.asarray(request_ids, dtype=np.uint64)
    blocks = np.empty((ids.size, 2), dtype=">u8")
    blocks[:, 0] = TICKET_DOMAIN
    blocks[:, 1] = ids
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305 - see docstring
    out = np.frombuffer(encryptor.update(blocks.tobytes()) + encryptor.finalize(), dtype=">u8")
    return out[0::2].astype(np.uint64) & _MASK63


def ticket(key: bytes, request_id: int) -> int:
    """The ticket of one request (what an applicant sees to find themselves in the list).

    Same value as :func:`tickets`, without numpy: it runs once per request on the
    hot route."""
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305 - see above
    block = encryptor.update(TICKET_DOMAIN.to_bytes(8, "big") + request_id.to_bytes(8, "big"))
    return int.from_bytes(block[:8], "big") & ((1 << 63) - 1)


def new_seed() -> bytes:
    return secrets.token_bytes(32)


def seal(key: bytes, day: dt.date, seed: bytes) -> str:
    nonce = os.urandom(12)
    return (nonce + AESGCM(key).encrypt(nonce, seed, day.isoformat().encode())).hex()


def unseal(key: bytes, day: dt.date, sealed: str) -> bytes:
    """The seed, or ValueError if the key is wrong or the sealed value was altered or moved."""
    raw = bytes.fromhex(sealed)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], day.isoformat().encode())
    except InvalidTag as exc:
        raise ValueError("the sealed seed does not open with this key for this day") from exc
