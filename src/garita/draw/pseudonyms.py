"""Secrets of the verifiable draw: pseudonymous tickets and the sealed seed.

Pure functions over keys and values (no settings, no database): the edge
builds a `DrawSecrets` from settings and passes it in.

*Tickets* are the requests' pseudonyms (:mod:`garita.requests.tickets`).

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

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from garita.requests.tickets import ticket, tickets

__all__ = ["DrawSecrets", "new_seed", "seal", "ticket", "tickets", "unseal"]



def _derive(label: bytes, secret: str | bytes) -> bytes:
    raw = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hashlib.sha256(label + b"\x00" + raw).digest()


@dataclass(frozen=True)
class DrawSecrets:
    """The two 32-byte keys of the draw, derived from the configured secrets."""

    seed_key: bytes
    ticket_key: bytes
    previous_seed_keys: tuple[bytes, ...] = ()  # rotation: seeds sealed before it still open

    @classmethod
    def of(cls, seed_secret: object, ticket_secret: object,
           previous_seed_secrets: tuple[object, ...] = ()) -> DrawSecrets:
        """From strings or pydantic ``SecretStr`` values (settings.seed_key, .ticket_key)."""
        def reveal(s: object) -> str:
            return str(getattr(s, "get_secret_value", lambda: s)())

        return cls(_derive(b"garita-seed-key", reveal(seed_secret)),
                   _derive(b"garita-ticket-key", reveal(ticket_secret)),
                   tuple(_derive(b"garita-seed-key", reveal(p)) for p in previous_seed_secrets))

    @property
    def ticket_key_id(self) -> str:
        """A public fingerprint of the ticket key: publications name the key they used."""
        return hashlib.sha256(b"garita-ticket-key-id\x00" + self.ticket_key).hexdigest()[:16]


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
