"""Tickets: a request's pseudonym in the day's published draw lists.

The published input list must let anyone rerun the draw without
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

"""

from __future__ import annotations

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

TICKET_DOMAIN = int.from_bytes(b"garita-t", "big")
_MASK63 = np.uint64((1 << 63) - 1)


def tickets(key: bytes, request_ids: np.ndarray) -> np.ndarray:
    """Tickets (uint64, < 2**63) of many request ids in one AES call."""
    ids = np.asarray(request_ids, dtype=np.uint64)
    blocks = np.empty((ids.size, 2), dtype=">u8")
    blocks[:, 0] = TICKET_DOMAIN
    blocks[:, 1] = ids
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    out = np.frombuffer(encryptor.update(blocks.tobytes()) + encryptor.finalize(), dtype=">u8")
    return out[0::2].astype(np.uint64) & _MASK63


def ticket(key: bytes, request_id: int) -> int:
    """The ticket of one request (what an applicant sees to find themselves in the list).

    Same value as :func:`tickets`, without numpy: it runs once per request on the
    hot route."""
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    block = encryptor.update(TICKET_DOMAIN.to_bytes(8, "big") + request_id.to_bytes(8, "big"))
    return int.from_bytes(block[:8], "big") & ((1 << 63) - 1)
