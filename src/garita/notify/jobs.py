"""The job queue that runs the scan and the delivery: huey.

huey because one small, maintained library covers both places Garita runs: an
SQLite file for the embedded demo and small sites (``SqliteHuey``, no server) and
Redis in production (``RedisHuey``, already there for the rate limits), with periodic
tasks, a multi-threaded consumer and task locks. procrastinate needs PostgreSQL (no
SQLite); Celery and RQ need a broker server. The retry state (attempts, the next
attempt's time) is kept in the outbox row rather than in huey, so a flushed queue or a
restarted worker loses no retry, and the outbox page shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy.orm import Session, sessionmaker

from garita.audit import service as audit
from garita.db import transaction
from garita.messaging import channels, delivery
from garita.notify.service import Config, scan
from garita.settings import Settings

LOCK = "garita-notify-tick"
WAKE = "notify-wake"


def make_queue(url: str) -> Huey:
    """``sqlite:///path``, ``redis://host:port/db`` or ``memory://`` (tests: in process)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("garita", filename=str(path), results=False)
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("garita", url=url, results=False)
    if url == "memory://":
        return MemoryHuey("garita", results=False)
    raise ValueError(f"GARITA_JOB_QUEUE_URL {url!r}: use sqlite:///path, redis://host:port/db "
                     "or memory://")


@dataclass
class Outcome:
    queued: dict[str, int]
    delivery: delivery.Report


def config_of(settings: Settings) -> Config:
    return Config(public_url=settings.public_url,
                  reminder=dt.timedelta(hours=settings.notify_reminder_hours))


def policy_of(settings: Settings) -> delivery.Policy:
    return delivery.Policy(max_attempts=settings.message_max_attempts,
                           first_retry=dt.timedelta(seconds=settings.message_retry_seconds))


def run_once(factory: sessionmaker[Session], settings: Settings,
             clock: Callable[[], dt.datetime] | None = None,
             transports: channels.Transports | None = None, limit: int = 500) -> Outcome:
    """Scan (one transaction), then deliver what is due (one transaction per message),
    then audit what was sent or given up."""
    clock = clock or settings.now
    with transaction(factory) as session:
        session.info["clock"] = clock
        queued = scan(session, config_of(settings), clock())
    report = delivery.deliver_due(factory, transports or channels.from_settings(settings),
                                  policy_of(settings), clock, limit)
    if report.sent or report.failed:
        with transaction(factory) as session:
            session.info["clock"] = clock
            audit.record(session, actor="notify", action="notify.delivered",
                         object_type="outbox", object_id=clock().isoformat(),
                         change={"sent": report.sent, "retrying": report.retrying,
                                 "failed": report.failed})
    return Outcome(queued=queued, delivery=report)


@dataclass
class Worker:
    queue: Huey
    tick: Any  # huey's TaskWrapper: the consumer runs it each minute; tests call_local()
    wake: Any  # the same pass, on demand: ``wake()`` enqueues it (garita.notify.wake)


def worker_queue(factory: sessionmaker[Session], settings: Settings,
                 clock: Callable[[], dt.datetime] | None = None) -> Worker:
    """The queue with its periodic task: every minute, one scan and delivery (a task lock
    keeps two workers from scanning at once; the outbox keeps them from double sends)."""
    queue = make_queue(settings.job_queue_url)

    @queue.periodic_task(crontab(minute="*"), name="notify-tick")
    def tick() -> None:
        with queue.lock_task(LOCK):
            run_once(factory, settings, clock)

    # A change was committed: scan and deliver now rather than at the next minute. While
    # a pass holds the lock (it may have scanned before the change) try again shortly;
    # a wake left over from a long outage is dropped (the tick covers it).
    @queue.task(name=WAKE, retries=5, retry_delay=1, expires=dt.timedelta(minutes=2))
    def wake() -> None:
        with queue.lock_task(LOCK):
            run_once(factory, settings, clock)

    return Worker(queue=queue, tick=tick, wake=wake)


def consumer(worker: Worker, workers: int = 2, periodic: bool = True) -> Any:
    """The consumer the ``garita notify worker`` command runs: it looks at the queue at
    least every half second, so a wake is taken at once (huey's default backs off to 10 s)."""
    return worker.queue.create_consumer(workers=workers, worker_type="thread",
                                        periodic=periodic, max_delay=0.5)


class WorkerHandle:
    """The web process's handle on the job queue, opened on first use (an app that changes
    nothing opens no queue file). It only enqueues; the worker process consumes."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self._args, self._lock = (factory, settings, clock), Lock()
        self._worker: Worker | None = None

    def get(self) -> Worker:
        with self._lock:
            if self._worker is None:
                self._worker = worker_queue(*self._args)
            return self._worker

    def wake(self) -> None:
        self.get().wake()
