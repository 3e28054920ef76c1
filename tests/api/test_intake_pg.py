"""The hot request route on PostgreSQL: one statement, and its rare second trips.

The common outcomes (created, same request again, every refusal) run through
the shared API tests on both backends; these cover what only the one-statement
path does: the audit entry linked inside PostgreSQL, lane heads created on
demand, a policy version added by another process, and the link hash written
by SQL equal to Python's for any actor text.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import make_url

from garita.app import create_app
from garita.audit import service as audit
from garita.audit.core import link_hash, link_hash_sql, middle_fields
from garita.policy.service import shipped_history
from kit import TIJUANA, applicant, ask, empty_database, register, settings_for, staff

DAY = dt.date(2024, 9, 10)


@pytest.fixture
def pg_client(pg_database, clock):
    empty_database(pg_database)
    app = create_app(settings_for(pg_database), clock=clock)
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


def _verify(app) -> tuple[int, list]:
    with app.state.sessions() as s:
        return audit.verify(s)


def test_request_writes_a_linked_audit_entry_even_without_lane_heads(pg_client, clock):
    app = pg_client.app
    with app.state.engine.begin() as c:
        c.execute(text("DELETE FROM audit_entry"))
        c.execute(text("DELETE FROM audit_head"))
    clock.set_et(DAY, 13)
    who = applicant(pg_client)
    regs = [register(pg_client, who)["id"] for _ in range(3)]
    for reg in regs:
        r = ask(pg_client, who, reg, TIJUANA)
        assert r.status_code == 201, r.text
        assert ask(pg_client, who, reg, TIJUANA).status_code == 200  # no second entry
    with app.state.engine.connect() as c:
        rows = c.execute(text("SELECT object_id, actor FROM audit_entry "
                              "WHERE action = 'request.create'")).all()
        heads = c.execute(text("SELECT count(*) FROM audit_head")).scalar_one()
    assert heads == audit.LANES
    stored = {int(oid) for oid, _ in rows}
    with app.state.engine.connect() as c:
        ids = set(c.execute(text("SELECT id FROM daily_request")).scalars())
    assert stored == ids and len(rows) == len(regs)
    checked, breaks = _verify(app)
    assert checked >= len(regs) and breaks == []


def test_a_version_added_elsewhere_is_seen_by_the_next_request(pg_client, pg_database, clock):
    clock.set_et(DAY, 13)
    who = applicant(pg_client)
    first, second = (register(pg_client, who)["id"] for _ in range(2))
    assert ask(pg_client, who, first, TIJUANA).status_code == 201  # the cache is loaded
    other = create_app(settings_for(pg_database), clock=clock)  # another API process
    with TestClient(other) as oc:
        policy = shipped_history()[-2].policy.model_dump(mode="json") | {"active": False}
        r = oc.post("/policies", headers=staff(oc), json={
            "effective_from": str(DAY), "note": "closed today", "policy": policy})
        assert r.status_code == 201, r.text
    other.state.engine.dispose()
    refused = ask(pg_client, who, second, TIJUANA)
    assert refused.status_code == 422 and "closed" in refused.json()["detail"], refused.text


@settings(max_examples=60, deadline=None)
@given(actor=st.text(min_size=1, max_size=30), action=st.text(max_size=20),
       seq=st.integers(1, 10**9), object_id=st.integers(0, 2**62))
def test_sql_link_hash_equals_python(pg_database, actor, action, seq, object_id):
    """Any actor or action text (quotes, backslashes, accents, emoji): the JSON of the
    middle fields comes from Python, so PostgreSQL hashes exactly the same bytes."""
    prev, digest, at = "ab" * 32, "cd" * 32, "2024-09-10T17:00:00+00:00"
    middle = middle_fields(at, actor, action, "thing")
    sql = "SELECT " + link_hash_sql("%(prev)s", "%(lane)s", "%(seq)s::bigint", "%(middle)s",
                                    "%(oid)s::bigint", "%(digest)s")
    dsn = make_url(pg_database).set(drivername="postgresql").render_as_string(
        hide_password=False)
    with psycopg.connect(dsn) as conn:
        got = conn.execute(sql, {"prev": prev, "lane": 7, "seq": seq, "middle": middle,
                                 "oid": object_id, "digest": digest}).fetchone()[0]
    want = link_hash(prev, [7, seq, at, actor, action, "thing", str(object_id), digest])
    assert got == want
