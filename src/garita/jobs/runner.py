"""Run a background job in a thread of this worker; keep its state where every worker reads it.

The page that started a job polls ``…/{id}`` with htmx every second. Behind a load
balancer (``uvicorn --workers``, the compose file's replicas) that poll may land on
any worker, so the job lives in the database (:mod:`garita.jobs.service`): the
worker running it writes its progress and a heartbeat every second (one thread per
worker for all its jobs), and its result in the work's own transaction. A poll on
the worker that runs the job is answered from memory (fresher, no query); any
other worker reads the row, and a row whose heartbeat stopped — its worker was
restarted or died — reads as abandoned.

SQLite serialises writers (``BEGIN IMMEDIATE``) and the work holds its transaction
to the end, so on SQLite no heartbeat is written (it would wait for the work):
progress is shown by the worker running the job, and a multi-worker site should
use PostgreSQL (docs/scaling.md).

Threads rather than a task queue (huey serves the notifications): a rare, staff-only
action needs no consumer process, and its state is in the database anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from garita.errors import DomainError
from garita.jobs import service
from garita.jobs.schemas import JobView, Progress

log = logging.getLogger("garita.jobs")

BEAT_SECONDS = 1.0
# No heartbeat for this long: the worker is gone. Thirty beats leave room for a busy
# machine (a beat is one short UPDATE) without leaving a dead job spinning for minutes.
STALE = dt.timedelta(seconds=30)
FAILED_MESSAGE = "Something failed on our side; it was not saved. Try again later."


def wall() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Live:
    """A job running in this worker: what the work reports, kept in memory until the
    heartbeat writes it. ``report`` and ``advance`` are cheap (called from a solver's
    callback or a screening loop): they never touch the database."""

    id: int
    kind: str
    expected_seconds: float
    started_at: dt.datetime
    progress: dict[str, Any] = field(default_factory=dict)

    def report(self, **fields: Any) -> None:
        self.progress = {**self.progress, **fields}  # one assignment: readers see old or new

    def advance(self, n: int) -> None:
        self.report(items=int(self.progress.get("items", 0)) + n)

    def view(self) -> JobView:
        return JobView(id=self.id, kind=self.kind, state=service.RUNNING,
                       expected_seconds=self.expected_seconds, started_at=self.started_at,
                       progress=self.progress, seen_at=wall())


Work = Callable[[Session, Progress], dict[str, Any]]


class Runner:
    """This worker's running jobs, and the heartbeat that writes their progress."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], dt.datetime],
                 beat_seconds: float = BEAT_SECONDS, stale: dt.timedelta = STALE) -> None:
        self._sessions = sessions
        self._clock = clock  # the scheme's clock, for the work's audit entries
        self._beat_seconds = beat_seconds
        self._stale = stale
        self._live: dict[int, Live] = {}
        self._lock = threading.Lock()
        self._beater: threading.Thread | None = None
        bind = sessions.kw.get("bind")
        self._beats = bind is None or bind.dialect.name != "sqlite"

    def _session(self) -> Session:
        s = self._sessions()
        s.info["clock"] = self._clock
        return s

    def start(self, kind: str, owner_id: int, actor: str, expected_seconds: float,
              work: Work) -> int:
        """Record the job, then run ``work(session, live)`` in a thread, in one transaction
        that also writes the result (or, if it fails, a failed job in another)."""
        now = wall()
        with self._session() as s, s.begin():
            job_id = service.open_job(s, kind, owner_id, actor, expected_seconds, now)
        live = Live(job_id, kind, expected_seconds, now)
        with self._lock:
            self._live[job_id] = live
            if self._beats and self._beater is None:
                self._beater = threading.Thread(target=self._beat, name="garita-job-beat",
                                                daemon=True)
                self._beater.start()
        threading.Thread(target=self._run, args=(live, actor, work),
                         name=f"garita-job-{job_id}", daemon=True).start()
        return job_id

    def get(self, job_id: int, *kinds: str) -> JobView:
        """From memory if this worker runs it, else from the database (404 if unknown)."""
        live = self._live.get(job_id)
        if live is not None and live.kind in kinds:
            return live.view()
        with self._session() as s, s.begin():
            return service.read(s, job_id, kinds, wall(), self._stale)

    def _run(self, live: Live, actor: str, work: Work) -> None:
        try:
            with self._session() as s, s.begin():
                result = work(s, live)
                service.finish(s, live.id, result, live.progress, wall())
        except DomainError as exc:  # a refusal: said to the staff member as it is
            self._fail(live, exc.detail, actor)
        except Exception:
            log.exception("job %s (%s) failed", live.id, live.kind)
            self._fail(live, FAILED_MESSAGE, actor)
        finally:
            with self._lock:
                self._live.pop(live.id, None)

    def _fail(self, live: Live, error: str, actor: str) -> None:
        try:
            with self._session() as s, s.begin():
                service.fail(s, live.id, error, actor, wall())
        except Exception:  # the database is gone too: the job will read as abandoned
            log.exception("job %s: could not record its failure", live.id)

    def _beat(self) -> None:
        """Every second, the running jobs' progress; ends when none is left."""
        while True:
            time.sleep(self._beat_seconds)
            with self._lock:
                running = {j.id: j.progress for j in self._live.values()}
                if not running:
                    self._beater = None
                    return
            try:
                with self._session() as s, s.begin():
                    service.beat(s, running, wall())
            except Exception:  # a missed beat is retried next second; STALE allows many
                log.warning("job heartbeat failed", exc_info=True)
