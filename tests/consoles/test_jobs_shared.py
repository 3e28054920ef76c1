"""Background jobs are shared by every worker: two apps over one database stand for two
workers (``uvicorn --workers``, the compose file's replicas). A job started on A is polled
on B until done, B shows the solver's progress that A writes while it works, and a job
whose worker died reads as abandoned (the page stops polling) instead of spinning."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from staffkit import csrf, signed_in

from garita.app import create_app
from garita.audit.models import AuditEntry
from garita.auth.models import Account
from garita.db import transaction
from garita.errors import Conflict
from garita.jobs import runner, service
from kit import settings_for


@pytest.fixture
def other_app(database_url: str, clock):
    """A second worker: its own engine, sessions and job runner, the same database."""
    application = create_app(settings_for(database_url), clock=clock)
    yield application
    application.state.engine.dispose()


def _same_browser(signed: TestClient, app) -> TestClient:
    """The signed-in browser's cookies, sent to the other worker (a load balancer's choice)."""
    other = TestClient(app)
    other.cookies.update(signed.cookies)
    return other


def _until_done(client: TestClient, url: str) -> str:
    for _ in range(120):
        part = client.get(url, headers={"HX-Request": "true"})
        assert part.status_code == 200, part.text
        if "hx-trigger" not in part.text:
            return part.text
        time.sleep(0.5)
    raise AssertionError("the job did not finish in a minute")


def _account_id(app) -> int:
    """The account signed in last (the job's owner)."""
    with transaction(app.state.sessions) as s:
        return s.scalars(select(Account.id).order_by(Account.id.desc())).first()


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_job_started_on_one_worker_is_polled_on_another(app, other_app):
    admin_a = signed_in(app, "admin")
    page = admin_a.get("/staff/admin")
    r = admin_a.post("/staff/admin/audit/verify", data={"csrf": csrf(page.text)},
                     follow_redirects=False)
    assert r.status_code == 303
    admin_b = _same_browser(admin_a, other_app)
    done = _until_done(admin_b, r.headers["location"])
    assert "The chains verify" in done
    assert "The chains verify" in admin_b.get(r.headers["location"]).text  # the full page too
    wrong = admin_b.get("/staff/admin/audit/999999", headers={"HX-Request": "true"})
    assert wrong.status_code == 404


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_solvers_progress_written_on_one_worker_is_shown_by_another(app, other_app):
    """PostgreSQL: the heartbeat writes progress while the work's transaction is open
    (SQLite would make it wait for the work; see garita.jobs.runner)."""
    coord_a = signed_in(app, "coordinator")
    coord_b = _same_browser(coord_a, other_app)
    owner = _account_id(app)
    release = threading.Event()

    def work(s, job: runner.Live) -> dict:  # stands in for CP-SAT: reports, then waits
        job.report(stage="buses", solutions=4, objective=100.0, bound=96.9, gap=0.031)
        assert release.wait(30)
        return {"id": 0, "solver": "cp-sat", "status": "OPTIMAL", "buses": 3,
                "greedy_buses": 4, "gap": 0.0, "riders": 90, "unassigned": 0, "seconds": 1.0}

    job_id = app.state.jobs.start("corridor-plan", owner, "test:coordinator", 8, work)
    url = f"/staff/corridor/plans/{job_id}"
    try:
        for _ in range(40):  # the heartbeat writes every second
            part = coord_b.get(url, headers={"HX-Request": "true"}).text
            if "3.1 %" in part:
                break
            time.sleep(0.25)
        assert "Now: fewest buses." in part and "Gap 3.1 % after 4 solutions." in part
        assert "hx-trigger" in part  # B keeps polling: the job is alive
    finally:
        release.set()
    done = _until_done(coord_b, url)
    assert "Plan done." in done and "0.0 %" in done


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_job_whose_worker_died_reads_abandoned(app, other_app):
    coord = signed_in(other_app, "coordinator")
    owner = _account_id(other_app)
    wall = runner.wall()
    with transaction(app.state.sessions) as s:  # what a worker leaves when it dies mid-job
        dead = service.open_job(s, "corridor-plan", owner, "test:coordinator", 8,
                                wall - runner.STALE - dt.timedelta(seconds=5))
        alive = service.open_job(s, "corridor-plan", owner, "test:coordinator", 8, wall)
    gone = coord.get(f"/staff/corridor/plans/{dead}", headers={"HX-Request": "true"})
    assert gone.status_code == 200
    assert "This job stopped answering" in gone.text and "hx-trigger" not in gone.text
    working = coord.get(f"/staff/corridor/plans/{alive}", headers={"HX-Request": "true"})
    assert "The solver is working" in working.text and "hx-trigger" in working.text
    analyst = _same_browser(signed_in(other_app, "analyst"), other_app)
    other_kind = analyst.get(f"/staff/integrity/jobs/{dead}", headers={"HX-Request": "true"})
    assert other_kind.status_code == 404  # a plan is not an integrity job


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_refused_job_says_why_on_any_worker_and_is_audited(app, other_app):
    coord_a = signed_in(app, "coordinator")
    owner = _account_id(app)

    def work(s, job: runner.Live) -> dict:
        raise Conflict("No departure left between 2024-09-10 and 2024-09-12: pick a later start.")

    job_id = app.state.jobs.start("corridor-plan", owner, "test:coordinator", 8, work)
    done = _until_done(_same_browser(coord_a, other_app), f"/staff/corridor/plans/{job_id}")
    assert "No departure left between 2024-09-10 and 2024-09-12" in done
    with transaction(other_app.state.sessions) as s:
        actions = list(s.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "background_job", AuditEntry.object_id == str(job_id))))
    assert sorted(actions) == ["job.failed", "job.start"]
