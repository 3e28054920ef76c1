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

from garita.integrity.names import NameIndex, Query, normalise
from garita.integrity.scoring import SEVERITY, bits_for, tier


@dataclass(frozen=True)
class Person:
    person_id: int
    registration_id: int
    name: str
    date_of_birth: dt.date | None
    nationality: str | None


def severity(score: float) -> str:
    """An alert's severity is its tier's: high = act, medium = review, low = note."""
    return SEVERITY[tier(score)]


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
    """Every (person, explained hit) scoring at least ``threshold``, best first per person.

    The same steps as the search route (:meth:`NameIndex.name_matches`, then
    :meth:`NameIndex.scored`), once per distinct name; a listed name whose
    name evidence could not reach the threshold even with the same date of
    birth and nationality is not scored per person.
    """
    by_name: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_name[normalise(p.name)].append(p)
    need = bits_for(threshold, index.weights) - index.weights.max_adjust
    hits: list[tuple[Person, dict]] = []
    for done, (norm, group) in enumerate(by_name.items(), 1):
        named = [m for m in index.name_matches(norm) if m[1].bits >= need]
        for p in group if named else ():
            query = Query(p.name, p.date_of_birth, p.nationality)
            best: dict[int, dict] = {}
            for i, ev, whole in named:
                e = index.scored(query, index.names[i], ev, whole)
                if e["score"] < threshold:
                    continue
                if e["entry_id"] not in best or e["score"] > best[e["entry_id"]]["score"]:
                    best[e["entry_id"]] = e
            ranked = sorted(best.values(), key=lambda s: (-s["score"], -s["whole_name"],
                                                          s["entry_id"]))
            hits += [(p, s) for s in ranked[:per_person]]
        if progress and done % 1000 == 0:
            progress(1000)
    return hits
