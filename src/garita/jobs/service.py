"""Background jobs in the database: opened, beating, finished or failed, read by any worker.

Times here are the machine's real time (passed in as ``now``), not the scheme's
clock (``GARITA_CLOCK_START`` may run a demo on another day): a heartbeat says a
process is alive, which only real time can tell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.errors import NotFound
from garita.jobs.models import BackgroundJob
from garita.jobs.schemas import JobView

RUNNING, DONE, FAILED = "running", "done", "failed"


def open_job(session: Session, kind: str, owner_id: int, actor: str, expected_seconds: float,
             now: dt.datetime) -> int:
    """A new running job; who started what is audited even if the work later fails."""
    row = BackgroundJob(kind=kind, owner_id=owner_id, state=RUNNING,
                        expected_seconds=expected_seconds, progress={}, started_at=now,
                        heartbeat_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="job.start", object_type="background_job",
                 object_id=row.id, change={"kind": kind})
    return row.id


def beat(session: Session, progress: Mapping[int, dict[str, Any]], now: dt.datetime) -> None:
    """The running jobs' progress and a sign of life; a job already finished is left alone."""
    for job_id, fields in progress.items():
        session.execute(update(BackgroundJob).where(
            BackgroundJob.id == job_id, BackgroundJob.state == RUNNING).values(
            progress=fields, heartbeat_at=now))


def finish(session: Session, job_id: int, result: dict[str, Any], progress: dict[str, Any],
           now: dt.datetime) -> None:
    """Done: call in the work's own transaction, so the result commits with the work."""
    session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(
        state=DONE, result=result, progress=progress, finished_at=now, heartbeat_at=now))


def fail(session: Session, job_id: int, error: str, actor: str, now: dt.datetime) -> None:
    """Failed (the work's transaction rolled back): the message the console shows."""
    session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(
        state=FAILED, error=error[:300], finished_at=now, heartbeat_at=now))
    audit.record(session, actor=actor, action="job.failed", object_type="background_job",
                 object_id=job_id, change={"error": error[:300]})


def read(session: Session, job_id: int, kinds: tuple[str, ...], now: dt.datetime,
         stale: dt.timedelta) -> JobView:
    """The job as any worker sees it; ``running`` without a heartbeat for ``stale`` is
    reported abandoned (its worker is gone) rather than left spinning."""
    row = session.get(BackgroundJob, job_id)
    if row is None or row.kind not in kinds:
        raise NotFound(f"No job {job_id}; start it again from the console.")
    abandoned = row.state == RUNNING and now - row.heartbeat_at > stale
    return JobView(id=row.id, kind=row.kind, state=row.state,
                   expected_seconds=row.expected_seconds, started_at=row.started_at,
                   finished_at=row.heartbeat_at if abandoned else row.finished_at,
                   progress=dict(row.progress or {}), result=row.result, error=row.error,
                   abandoned=abandoned, seen_at=now)
