"""Signed anchors of the audit log: the format, its signature, and the check against
the database. Pure: values in, values out (the files and the queries live in
``anchor_files`` and ``service``).

Why: each lane is a hash chain, so an edited entry breaks its lane — unless the
editor recomputes the rest of the lane and its head, which anyone with write
access to the database can do. An anchor is a signed checkpoint of every lane
head (lane, seq, hash) kept *outside* the database; an entry that was anchored
cannot change, disappear or be cut off without disagreeing with the anchor, and
the anchor cannot be re-signed without the key.

The document (``FORMAT``), all of it UTF-8 JSON::

    {"format": "garita-audit-anchor/1", "anchored_at": "<ISO 8601, UTC>",
     "reason": "schedule" | "draw YYYY-MM-DD" | ...,
     "lanes": [{"lane": 0, "seq": 12, "hash": "<hex>"}, ...],   # sorted by lane
     "digest": "<hex SHA-256 of canonical(lanes)>",
     "kid": "<signing key id>", "signature": "<base64url Ed25519>"}

``canonical(x)`` is ``json.dumps(x, sort_keys=True, separators=(",", ":"))``;
the signature covers ``canonical`` of the document without ``signature``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from garita.audit.anchor_keys import AnchorKeys, b64, unb64

FORMAT = "garita-audit-anchor/1"


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def lanes_digest(lanes: list[dict]) -> str:
    return hashlib.sha256(canonical(lanes)).hexdigest()


def make(heads: list[tuple[int, int, str]], anchored_at: str, reason: str,
         keys: AnchorKeys) -> dict:
    """A signed anchor of these lane heads (lane, seq, hash)."""
    lanes = [{"lane": lane, "seq": seq, "hash": h} for lane, seq, h in sorted(heads)]
    body = {"format": FORMAT, "anchored_at": anchored_at, "reason": reason, "lanes": lanes,
            "digest": lanes_digest(lanes), "kid": keys.kid}
    return body | {"signature": b64(keys.sign(canonical(body)))}


@dataclass(frozen=True)
class Problem:
    """One verdict line: which anchor, which lane (None: the anchor itself), what is wrong."""

    anchor: str
    lane: int | None
    problem: str

    def __str__(self) -> str:
        where = f"lane {self.lane}: " if self.lane is not None else ""
        return f"{where}{self.problem} (anchor {self.anchor})"


def check_signature(name: str, doc: Any, public: Mapping[str, Ed25519PublicKey]) -> Problem | None:
    """None if ``doc`` is a well-formed anchor signed by one of ``public``'s keys."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return Problem(name, None, f"not an audit anchor (format is not {FORMAT})")
    try:
        lanes = doc["lanes"]
        body = {k: doc[k] for k in ("format", "anchored_at", "reason", "lanes", "digest", "kid")}
        signature = unb64(str(doc["signature"]))
        ok_lanes = all(isinstance(e["lane"], int) and isinstance(e["seq"], int)
                       and isinstance(e["hash"], str) for e in lanes)
    except (KeyError, TypeError, ValueError) as exc:
        return Problem(name, None, f"malformed anchor ({type(exc).__name__}: {exc})")
    key = public.get(str(doc["kid"]))
    if key is None:
        return Problem(name, None, f"signed by unknown key {doc['kid']!r}: add its public key "
                                   "to GARITA_AUDIT_ANCHOR_PREVIOUS_KEYS if it was rotated out")
    try:
        key.verify(signature, canonical(body))
    except InvalidSignature:
        return Problem(name, None, "signature does not verify: the anchor was altered or forged")
    if not ok_lanes or doc["digest"] != lanes_digest(lanes):
        return Problem(name, None, "signed digest does not match its lanes")
    return None


def compare(name: str, doc: dict, stored: Mapping[tuple[int, int], str],
            lengths: Mapping[int, int]) -> list[Problem]:
    """What the database disagrees with in one verified anchor.

    ``stored`` holds the hashes of the anchored (lane, seq) entries found in the
    database; ``lengths`` the last seq of each lane that has entries.
    """
    problems = []
    for e in doc["lanes"]:
        lane, seq, anchored = e["lane"], e["seq"], e["hash"]
        if seq <= 0:
            continue
        if lane not in lengths:
            problems.append(Problem(name, lane, f"lane is missing (anchored through entry {seq})"))
        elif lengths[lane] < seq:
            problems.append(Problem(name, lane, f"lane ends at entry {lengths[lane]}, shorter "
                                                f"than anchored entry {seq} (truncated)"))
        elif (lane, seq) not in stored:
            problems.append(Problem(name, lane, f"anchored entry {seq} is missing (deleted)"))
        elif stored[(lane, seq)] != anchored:
            problems.append(Problem(name, lane, f"entry {seq} hash differs from the anchored "
                                                "hash (the lane was rewritten)"))
    return problems
