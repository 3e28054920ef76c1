"""Pure batch screening: many people against one name index, explained hits only.

People are grouped by normalised name so a name shared by thousands is
shortlisted once; only shortlisted candidates above a gate are explained.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from garita.integrity.names import NameIndex, Query, explain, normalise

GATE_MARGIN = 0.15  # shortlist gate = threshold - margin (DOB/country can add up to 0.08)


@dataclass(frozen=True)
class Person:
    person_id: int
    registration_id: int
    name: str
    date_of_birth: dt.date | None
    nationality: str | None


def severity(score: float) -> str:
    return "high" if score >= 0.90 else "medium" if score >= 0.80 else "low"


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
        cand = index.shortlist(norm, gate=gate, strict=True) if norm else []
        for p in group:
            q = Query(p.name, p.date_of_birth, p.nationality)
            scored = [explain(q, index.names[i]) for i in cand]
            best: dict[int, dict] = {}
            for s in scored:
                if s["score"] >= threshold and (
                        s["entry_id"] not in best or s["score"] > best[s["entry_id"]]["score"]):
                    best[s["entry_id"]] = s
            ranked = sorted(best.values(), key=lambda s: (-s["score"], s["entry_id"]))
            hits += [(p, s) for s in ranked[:per_person]]
        if progress and done % 1000 == 0:
            progress(1000)
    return hits
