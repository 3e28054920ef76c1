"""Pure batch screening: many people against one name index, explained hits only.

People are grouped by normalised name so a name shared by thousands is
shortlisted and name-scored once; date of birth and country are added per
person, and only hits at or above the threshold are fully explained.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import multiprocessing.pool
import queue
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
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


def _work(args: tuple) -> tuple[int, list[tuple[Person, dict]]]:
    people, threshold, per_person = args
    return len(people), screen_batch(_SHARED["index"], people, threshold, per_person)


def screen_shards(index: NameIndex, people: list[Person], threshold: float = 0.70,
                  per_person: int = 3, workers: int = 2, shards: int = 64,
                  progress: Callable[[int], None] | None = None,
                  ) -> Iterator[list[tuple[Person, dict]]]:
    """``screen_batch`` shard by shard, each shard's hits yielded as soon as it is done.

    People are split by normalised name (a name is still scored once), so a
    caller can write or count one shard's hits and drop them: at a million
    people the hits (1.2 M explained dicts) would otherwise all sit in memory
    together. With ``workers`` > 1 the shards run in forked processes that
    inherit the index instead of unpickling it, finishing in any order (at
    most two shards a worker ahead of the caller). ``progress`` gets the
    number of people of each finished shard.
    """
    parts: list[list[Person]] = [[] for _ in range(shards)]
    for p in people:
        parts[hash(normalise(p.name)) % shards].append(p)
    jobs = [(part, threshold, per_person) for part in parts if part]
    if workers <= 1:
        done = ((len(j[0]), screen_batch(index, *j)) for j in jobs)
        yield from _report(done, progress)
        return
    _SHARED["index"] = index
    with mp.get_context("fork").Pool(workers) as pool:
        yield from _report(_bounded(pool, jobs, ahead=2 * workers), progress)


def _bounded(pool: mp.pool.Pool, jobs: list[tuple], ahead: int) -> Iterator[tuple[int, list]]:
    """``pool.imap_unordered(_work, jobs)`` with at most ``ahead`` shards out at once.

    imap_unordered keeps handing shards to the workers however slowly the
    caller consumes: a caller writing alerts slower than the workers score
    would end up holding every finished shard's hits. Here a new shard is sent
    only when a result is taken, so the workers stay busy but never far ahead.
    """
    done: queue.SimpleQueue = queue.SimpleQueue()
    waiting = iter(jobs)

    def send() -> int:
        job = next(waiting, None)
        if job is not None:
            pool.apply_async(_work, (job,), callback=done.put, error_callback=done.put)
        return job is not None

    out = sum(send() for _ in range(ahead))
    while out:
        result = done.get()
        if isinstance(result, BaseException):
            raise result
        out += send() - 1
        yield result


def _report(done: Iterable[tuple[int, list]], progress: Callable[[int], None] | None,
            ) -> Iterator[list[tuple[Person, dict]]]:
    for count, hits in done:
        if progress:
            progress(count)
        yield hits


def screen_parallel(index: NameIndex, people: list[Person], threshold: float = 0.70,
                    per_person: int = 3, workers: int = 2) -> list[tuple[Person, dict]]:
    """All hits of :func:`screen_shards` in one list (shards in completion order)."""
    if workers <= 1:
        return screen_batch(index, people, threshold, per_person)
    return [hit for part in screen_shards(index, people, threshold, per_person, workers)
            for hit in part]


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
        cand: Iterable[int] = index.shortlist(norm, keep=5, gate=gate, strict=True) if norm else []
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
