"""Bulk alert raising: screening many people writes alerts and an audit chain that verifies.

The chunk size is shrunk so a few dozen people cross several chunks and
shards; each audit entry must name the alert it was written for (RETURNING
ids in order), and an edited entry must be named by ``audit.verify``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select, update

from garita.audit import service as audit
from garita.audit.core import digest_of
from garita.audit.models import AuditEntry
from garita.db import make_engine, make_sessionmaker, transaction
from garita.integrity import screening
from garita.integrity import service as alerts
from garita.integrity.core import Person as Screened
from garita.integrity.core import screen_batch
from garita.integrity.lists import parse_plain
from garita.integrity.models import Alert
from garita.integrity.names import ListName, NameIndex
from garita.integrity.workers import screen_shards
from garita.models import Account
from garita.registrations.models import Person, Registration

LIST = ("id,name,aliases,dates_of_birth,countries\n"
        "X1,\"QUINTERO, Rafael Caro\",El Principe,1952-10-03,MEX\n"
        "X2,\"ALVAREZ, Joaquin\",,1957-04-04,MEX\n")
NOW = dt.datetime(2024, 9, 10, 18, 0, tzinfo=dt.UTC)
NAMES = (("Rafael", "Caro Quintero"), ("Joaquin", "Alvarez"), ("Ana", "Pérez Gómez"))


def _people(s, n: int) -> None:
    s.execute(insert(Account).values(id=1, email="ngo@example.org", password_hash="!",
                                     role="applicant", port=None, created_at=NOW))
    s.execute(insert(Registration), [
        {"id": r, "owner_id": 1, "registered_at": NOW, "language": "es", "phone": "+1 555",
         "group_size": 1, "lead_nationality": "MEX"} for r in range(1, n + 1)])
    s.execute(insert(Person), [
        {"registration_id": r, "position": 0, "given_names": NAMES[r % 3][0],
         "family_names": NAMES[r % 3][1], "date_of_birth": dt.date(1950 + r % 9, 1, 1 + r % 28),
         "country_of_birth": "MEX", "nationality": "MEX", "sex": "M", "documents": [],
         "us_street": "1 Main St", "us_city": "Houston", "us_state": "TX", "us_zip": "77002"}
        for r in range(1, n + 1)])


@pytest.mark.parametrize("workers", [1, 2])
def test_screen_writes_alerts_and_a_verifiable_chain(database_url, monkeypatch, workers):
    monkeypatch.setattr(alerts, "CHUNK", 7)
    sessions = make_sessionmaker(make_engine(database_url))
    with transaction(sessions) as s:
        _people(s, 60)
        screening.load(s, "test-list", "1", "csv", parse_plain(LIST), "test", NOW)
    with transaction(sessions) as s:
        out = screening.screen(s, NOW, "test", 0.70, workers=workers)
    # 40 share a listed name; those born 5+ years from the listed date are not hits
    assert out["people"] == 60 and out["hits"] >= 25 and out["new_alerts"] == out["hits"]
    with transaction(sessions) as s:
        assert screening.screen(s, NOW, "test", 0.70, workers=workers)["new_alerts"] == 0

    with sessions() as s:
        checked, breaks = audit.verify(s)
        raised = {e.object_id: e for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action == "alert.raise"))}
        rows = s.execute(select(Alert.id, Alert.kind, Alert.fingerprint)).all()
    assert breaks == [] and len(raised) == len(rows) == out["new_alerts"]
    for aid, kind, fp in rows:  # each entry is about its own alert
        assert raised[str(aid)].digest == digest_of({"kind": kind, "fingerprint": fp})

    victim = raised[str(rows[len(rows) // 2][0])]
    with transaction(sessions) as s:
        s.execute(update(AuditEntry).where(AuditEntry.id == victim.id).values(object_id="0"))
    with sessions() as s:
        _, breaks = audit.verify(s)
    assert [(b.lane, b.seq) for b in breaks] == [(victim.lane, victim.seq)]
    assert "edited" in breaks[0].problem


def test_record_many_continues_a_lane_record_started(database_url):
    sessions = make_sessionmaker(make_engine(database_url))
    with transaction(sessions) as s:
        audit.record(s, actor="a", action="x.one", object_type="t", object_id=1, change={})
        audit.record_many(s, [{"actor": "a", "action": "x.many", "object_type": "t",
                               "object_id": i, "change": {"i": i}} for i in range(5)])
        audit.record(s, actor="a", action="x.one", object_type="t", object_id=2, change={})
    with sessions() as s:
        _, breaks = audit.verify(s)
        ours = s.execute(select(AuditEntry.seq, AuditEntry.action)
                         .where(AuditEntry.action.like("x.%")).order_by(AuditEntry.seq)).all()
    first = ours[0].seq
    assert breaks == [] and [seq for seq, _ in ours] == list(range(first, first + 7))
    assert [a for _, a in ours] == ["x.one"] + ["x.many"] * 5 + ["x.one"]


@pytest.mark.parametrize("workers", [1, 2])
def test_shards_yield_the_same_hits_as_one_batch(workers):
    idx = NameIndex([ListName(i, n, norm, tuple(e.dates_of_birth), tuple(e.countries), alias)
                     for i, e in enumerate(parse_plain(LIST)) for n, norm, alias, _ in e.names()])
    people = [Screened(r, r, f"{NAMES[r % 3][0]} {NAMES[r % 3][1]}", dt.date(1952, 10, 3), "MEX")
              for r in range(30)]
    seen: list[int] = []
    parts = list(screen_shards(idx, people, 0.70, workers=workers, shards=8,
                               progress=seen.append))
    key = lambda hits: sorted((p.person_id, h["entry_id"], h["score"]) for p, h in hits)  # noqa: E731
    whole = key(screen_batch(idx, people, 0.70))
    assert len(whole) >= 20 and key([h for part in parts for h in part]) == whole
    assert sum(seen) == 30 and len(parts) == len(seen) <= 8


def test_shards_are_the_same_in_every_process() -> None:
    """Shards come from CRC-32 of the name, not Python's per-process salted ``hash()``."""
    import os
    import subprocess
    import sys

    from garita.integrity.core import shard_of

    names = ["jose garcia", "fang yang", "aleksandr kozlov", "mohammad khan", ""]
    code = ("from garita.integrity.core import shard_of; "
            f"print([shard_of(n, 64) for n in {names!r}])")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2", "3")}
    assert runs == {f"{[shard_of(n, 64) for n in names]}\n"}
