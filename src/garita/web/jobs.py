"""Long staff actions (a corridor plan, an integrity run) as background jobs a page polls.

A job runs in its own thread with its own transaction (the same service call as the
API's route, so the same rules and audit entries); the page that started it polls
``/staff/jobs/{id}`` with htmx every second and shows the elapsed time against the
job's expected time until the result is there. Jobs live in the process's memory
(one worker: the demo, a small site); a restart forgets them, not their results,
which are in the database.

Hand-written rather than a task queue (Celery, RQ): one thread per rare, staff-only
action needs no broker, and the result is read back from the database anyway.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from garita.errors import DomainError, NotFound

log = logging.getLogger("garita.jobs")
_ids = itertools.count(1)


@dataclass
class Job:
    id: int
    kind: str
    owner: int  # the account that started it: only they (or an admin) see it
    expected_seconds: float
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    items: int = 0  # what the work has counted so far (people screened), when it counts

    def advance(self, n: int) -> None:
        self.items += n

    @property
    def done(self) -> bool:
        return self.finished is not None

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def percent(self) -> int:
        """Time spent against the expected time (the solver's limit), capped below 100
        until the job has finished."""
        if self.done:
            return 100
        return min(99, int(100 * self.elapsed / max(self.expected_seconds, 0.1)))


class Jobs:
    """The process's jobs by id."""

    def __init__(self) -> None:
        self._jobs: dict[int, Job] = {}
        self._lock = threading.Lock()

    def start(self, kind: str, owner: int, expected_seconds: float,
              work: Callable[[Job], dict[str, Any]]) -> Job:
        job = Job(next(_ids), kind, owner, expected_seconds)
        with self._lock:
            self._jobs[job.id] = job

        def run() -> None:
            try:
                job.result = work(job)
            except DomainError as exc:  # a refusal: said to the coordinator as it is
                job.error = exc.detail
            except Exception:
                log.exception("job %s (%s) failed", job.id, kind)
                job.error = "Something failed on our side; it was not saved. Try again later."
            finally:
                job.finished = time.monotonic()

        threading.Thread(target=run, name=f"garita-job-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: int, kind: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None or job.kind != kind:
            raise NotFound(f"No job {job_id}; start it again from the console.")
        return job
