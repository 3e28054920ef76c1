"""Pure batch screening: many people against one name index, explained hits only.

People are grouped by normalised name so a name shared by thousands is
shortlisted and name-scored once; date of birth and country are added per
person, and only hits at or above the threshold are fully explained.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
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


_SHARED: dict = {}  # the index, inherited by forked workers instead of pickled


def _work(args: tuple) -> list[tuple[Person, dict]]:
    people, threshold, per_person = args
    return screen_batch(_SHARED["index"], people, threshold, per_person)


def screen_parallel(index: NameIndex, people: list[Person], threshold: float = 0.70,
                    per_person: int = 3, workers: int = 2) -> list[tuple[Person, dict]]:
    """``screen_batch`` over ``workers`` forked processes, people split by name."""
    if workers <= 1:
        return screen_batch(index, people, threshold, per_person)
    _SHARED["index"] = index
    shards: list[list[Person]] = [[] for _ in range(workers * 4)]
    for p in people:
        shards[hash(normalise(p.name)) % len(shards)].append(p)
    with mp.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_work, [(s, threshold, per_person) for s in shards])
    return [hit for part in parts for hit in part]


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
