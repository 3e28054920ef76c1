"""Pure batch screening: many people against one name index, explained hits only.

People are grouped by normalised name so a name shared by thousands is
shortlisted and name-scored once; date of birth and country are added per
person, and only hits at or above the threshold are fully explained.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from garita.integrity.names import (
    NameIndex,
    Query,
    adjustments,
    explain,
    name_score,
    normalise,
    tokens,
)

GATE_MARGIN = 0.15  # shortlist gate = threshold - margin (DOB/country can add up to 0.08)
MAX_ADJUST = 0.08  # same date of birth (+0.05) and same country (+0.03)


@dataclass(frozen=True)
class Person:
    person_id: int
    registration_id: int
    name: str
    date_of_birth: dt.date | None
    nationality: str | None


def severity(score: float) -> str:
    return "high" if score >= 0.90 else "medium" if score >= 0.80 else "low"


def shard_of(normalised_name: str, shards: int) -> int:
    """The shard a name goes to: CRC-32 of its UTF-8 bytes, the same in every process and run.

    Python's ``hash()`` of a string is salted per process (PYTHONHASHSEED), so
    shards made with it differ between runs and between a parent and a spawned
    worker; a run could then not be reproduced shard by shard.
    """
    return zlib.crc32(normalised_name.encode()) % shards


def partition(people: Iterable[Person], shards: int) -> list[list[Person]]:
    """People split into ``shards`` lists by normalised name (a name stays in one shard)."""
    parts: list[list[Person]] = [[] for _ in range(shards)]
    for p in people:
        parts[shard_of(normalise(p.name), shards)].append(p)
    return parts


def screen_batch(index: NameIndex, people: Iterable[Person], threshold: float = 0.70,
                 per_person: int = 3,
                 progress: Callable[[int], None] | None = None) -> list[tuple[Person, dict]]:
    """Every (person, explained hit) scoring at least ``threshold``, best first per person."""
    by_name: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_name[normalise(p.name)].append(p)
    gate = max(0.0, threshold - GATE_MARGIN)
    hits: list[tuple[Person, dict]] = []
    for done, (norm, group) in enumerate(by_name.items(), 1):
        q = tokens(norm)
        cand = index.shortlist(norm, keep=5, gate=gate, strict=True) if norm else []
        # the name part once per distinct name; date of birth and country add at most MAX_ADJUST
        named = [(index.names[i], name_score(q, tokens(index.names[i].normalised))[0])
                 for i in cand]
        named = [(c, s) for c, s in named if s + MAX_ADJUST >= threshold]
        for p in group if named else ():
            query = Query(p.name, p.date_of_birth, p.nationality)
            best: dict[int, dict] = {}
            for c, s in named:
                dob_adj, _, cty_adj, _ = adjustments(query, c)
                if s + dob_adj + cty_adj < threshold:
                    continue
                e = explain(query, c)
                if c.entry_id not in best or e["score"] > best[c.entry_id]["score"]:
                    best[c.entry_id] = e
            ranked = sorted(best.values(), key=lambda s: (-s["score"], s["entry_id"]))
            hits += [(p, s) for s in ranked[:per_person]]
        if progress and done % 1000 == 0:
            progress(1000)
    return hits
