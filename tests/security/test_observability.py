"""Observable by default: request ids, JSON lines, tracebacks for 5xx, nothing personal
in any line, metrics, and a readiness check that touches the database."""

from __future__ import annotations

import datetime as dt
import json
import logging

from fastapi.testclient import TestClient

from garita.app import create_app
from garita.observability import JsonFormatter
from kit import MEXICO_CITY, TIJUANA, applicant, ask, confirm, register, settings_for, staff

DAY = dt.date(2024, 9, 10)


def test_a_request_id_is_kept_or_made_and_returned(client):
    mine = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert mine.headers["x-request-id"] == "abc-123"
    made = client.get("/health", headers={"X-Request-ID": "<script>"})
    assert made.headers["x-request-id"] != "<script>" and len(made.headers["x-request-id"]) == 32


def _lines(caplog) -> list[dict]:
    """The server's lines (httpx's are the test client's own, outside the service)."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records
            if not r.name.startswith(("httpx", "httpcore"))]


def test_a_whole_flow_logs_nothing_personal(client, clock, caplog):
    """Names, dates of birth, phone, email and coordinates never reach a log line."""
    with caplog.at_level(logging.DEBUG):
        me = applicant(client)
        reg = register(client, me, members=1)
        ask(client, me, reg["id"], TIJUANA)
        client.get("/geofence", params={"lat": TIJUANA[0], "lon": TIJUANA[1],
                                        "nationality": "VEN"})
        clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
        client.post(f"/draws/{DAY}", headers=staff(client))
        st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
        for person in reg["people"]:
            if person["id"] in st["awaiting_confirmation"]:
                confirm(client, me, st["offer"]["id"], person["id"], MEXICO_CITY)
        client.post("/auth/token", data={"username": "nobody@example.org", "password": "x" * 12})
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in _lines(caplog))
    assert '"route": "/registrations/{registration_id}/requests"' in text  # lines were written
    secrets = {str(TIJUANA[0]), str(TIJUANA[1]), str(MEXICO_CITY[0]), "nobody@example.org",
               "@example.org", reg["phone"] if "phone" in reg else "+52"}
    for person in reg["people"]:
        secrets |= {person["given_names"], person["family_names"], person["date_of_birth"]}
    found = {s for s in secrets if s and s in text}
    assert found == set(), f"personal data in the logs: {found}"


def test_a_failure_logs_its_traceback_with_the_request_id(sqlite_database, clock, caplog):
    app = create_app(settings_for(sqlite_database), clock=clock)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.INFO):
        r = c.get("/boom", headers={"X-Request-ID": "req-500"})
    app.state.engine.dispose()
    assert r.status_code == 500
    lines = [line for line in _lines(caplog) if line["request_id"] == "req-500"]
    assert any("RuntimeError: kaboom" in line.get("traceback", "") for line in lines)
    assert any(line.get("route") == "/boom" and line.get("status") == 500 for line in lines)


def test_metrics_count_requests_by_route_and_time_the_draw(client, clock):
    me = applicant(client)
    ask(client, me, register(client, me)["id"], TIJUANA)
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    text = client.get("/metrics").text
    assert ('garita_http_requests_total{method="POST",'
            'route="/registrations/{registration_id}/requests",status="201"} 1.0') in text
    assert "garita_draw_seconds_count 1.0" in text


def test_readiness_touches_the_database(client):
    assert client.get("/health/ready").json()["status"] == "ready"


def test_readiness_fails_when_the_database_is_gone(pg_database, clock):
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from garita import migrate
    from garita.db import make_engine

    name = f"garita_gone_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(pg_database).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_database).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app(settings_for(url), clock=clock)
    client = TestClient(app)  # no lifespan: no pool holding the database open
    assert client.get("/health/ready").status_code == 200
    app.state.engine.dispose()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    r = client.get("/health/ready")
    admin.dispose()
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
