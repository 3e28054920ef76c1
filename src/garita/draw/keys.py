"""Draw keys: a stateless, order-independent keyed hash of each request's ticket.

The random tier orders requests by this key, and the longest-waiting tier uses
it to break ties between equal registration times. It is specified exactly, so
anyone can re-run a published draw in any language:

1. ``k = int.from_bytes(SHA-256(KEY_DOMAIN || seed)[:8], "big")`` — an unsigned
   64-bit number. ``KEY_DOMAIN`` is the ASCII bytes ``garita-draw-key-v1`` then one
   zero byte.
2. for each ticket ``t`` (unsigned 64-bit): ``z = t XOR k``, then the splitmix64
   finaliser, all arithmetic modulo 2**64::

       z = (z XOR (z >> 30)) * 0xBF58476D1CE4E5B9
       z = (z XOR (z >> 27)) * 0x94D049BB133111EB
       z =  z XOR (z >> 31)

   ``key = z``.

Why the domain prefix rather than plain SHA-256(seed): the draw's commitment is
SHA-256(seed), published *before* the request window closes (DESIGN §7). Keys
derived from that same digest would let anyone rank every ticket before the
draw. Hashing ``KEY_DOMAIN || seed`` gives an unrelated value that stays secret
until the seed itself is revealed.

Both steps are bijections of 64-bit numbers, so distinct tickets always get
distinct keys (no ties in the random order) and a key depends on its ticket and
the seed only — never on the other requests or their order.
"""

from __future__ import annotations

import hashlib

import numpy as np

KEY_DOMAIN = b"garita-draw-key-v1\x00"
_MUL1 = np.uint64(0xBF58476D1CE4E5B9)
_MUL2 = np.uint64(0x94D049BB133111EB)


def seed_key(seed: bytes) -> int:
    """The 64-bit number ``k`` mixed into every ticket (step 1 of the module docstring)."""
    if not isinstance(seed, bytes | bytearray):
        raise ValueError(f"seed must be bytes, got {type(seed).__name__}")
    digest = hashlib.sha256(KEY_DOMAIN + bytes(seed)).digest()
    return int.from_bytes(digest[:8], "big")


def draw_keys(seed: bytes, tickets: np.ndarray) -> np.ndarray:
    """Key of each ticket as a uint64 array, elementwise (see the module docstring)."""
    z = np.asarray(tickets, dtype=np.uint64) ^ np.uint64(seed_key(seed))
    z ^= z >> np.uint64(30)
    z *= _MUL1
    z ^= z >> np.uint64(27)
    z *= _MUL2
    z ^= z >> np.uint64(31)
    return z


def draw_key(seed: bytes, ticket: int) -> int:
    """Scalar reference of `draw_keys` in plain Python integers (for verifiers and tests)."""
    mask = (1 << 64) - 1
    z = (ticket ^ seed_key(seed)) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return z ^ (z >> 31)
