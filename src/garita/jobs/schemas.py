"""A job as the consoles show it, read from this worker's memory or from the database."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict


class JobView(BaseModel):
    """What a polling page needs: state, progress so far, and the result or the error.

    ``abandoned``: still ``running`` in the database, but no heartbeat for longer than
    the runner's stale limit — the worker that ran it was stopped or died, and the
    work's transaction (never committed) left nothing behind."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    state: str
    expected_seconds: float
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    progress: dict[str, Any] = {}
    result: dict[str, Any] | None = None
    error: str | None = None
    abandoned: bool = False
    seen_at: dt.datetime  # when this view was read: elapsed time is counted to it

    @property
    def done(self) -> bool:
        """Nothing more will happen: finished, failed, or abandoned (the page stops polling)."""
        return self.state != "running" or self.abandoned

    @property
    def elapsed(self) -> float:
        return ((self.finished_at or self.seen_at) - self.started_at).total_seconds()

    @property
    def items(self) -> int:
        """What the work has counted so far (people screened), when it counts."""
        return int(self.progress.get("items", 0))


class Progress(Protocol):
    """What a job's work may do while it runs (``garita.jobs.runner.Live``): report its
    figures (the solver's stage and gap) or count what it has done (people screened)."""

    def report(self, **fields: Any) -> None: ...

    def advance(self, n: int) -> None: ...
