"""Screening across processes: the job layer's pool around the pure ``core.screen_batch``.

The pure core knows nothing of processes; this module splits people into
deterministic shards (``core.partition``, CRC-32 of the normalised name),
scores them in forked workers and hands each shard's hits back as soon as
it is done, so a caller writes one shard's alerts and drops them.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.pool
import queue
from collections.abc import Callable, Iterable, Iterator

from garita.integrity.core import Person, partition, screen_batch
from garita.integrity.names import NameIndex

_worker_index: NameIndex | None = None  # set once in each worker by the pool's initializer


def _init(index: NameIndex) -> None:
    """Pool initializer: under ``fork`` its arguments are inherited by the worker, not pickled."""
    global _worker_index
    _worker_index = index


def _work(args: tuple) -> tuple[int, list[tuple[Person, dict]]]:
    people, threshold, per_person = args
    assert _worker_index is not None, "pool started without its initializer"
    return len(people), screen_batch(_worker_index, people, threshold, per_person)


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
    jobs = [(part, threshold, per_person) for part in partition(people, shards) if part]
    if workers <= 1:
        done = ((len(j[0]), screen_batch(index, *j)) for j in jobs)
        yield from _report(done, progress)
        return
    with mp.get_context("fork").Pool(workers, initializer=_init, initargs=(index,)) as pool:
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
