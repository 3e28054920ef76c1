"""One scoring path: the search route finds what the batch run alerts on, with the same
scores; alerts carry a tier and a port's arrival list shows only what an officer must act on.
Both backends.
"""

from __future__ import annotations

import datetime as dt

from test_bulk_alerts import _people
from test_lists import ofac_entries

from garita.db import make_engine, make_sessionmaker, transaction
from garita.integrity import screening
from garita.integrity import service as alerts
from garita.integrity.evaluation.screening import Listed, innocents, listed_queries
from garita.integrity.lists import parse_plain
from garita.integrity.names import Query
from garita.registrations import service as registrations

NOW = dt.datetime(2024, 9, 10, 18, 0, tzinfo=dt.UTC)


def _plain(entries: list) -> str:
    rows = ["id,name,aliases,dates_of_birth,countries"]
    for e in entries:
        cells = [e.ref, e.name, ";".join(a for a, _ in e.aliases), ";".join(e.dates_of_birth),
                 ";".join(e.countries)]
        rows.append(",".join('"' + c.replace('"', "'") + '"' for c in cells))
    return "\n".join(rows) + "\n"


def test_search_and_batch_agree(database_url) -> None:
    people = [e for e in ofac_entries() if e.entry_type == "individual"][::25]  # 183 entries
    listed = [Listed(i, tuple(e.name.split(", ", 1)[1].split()), tuple(e.name.split(", ")[0]
                                                                        .title().split()),
                     tuple(e.dates_of_birth), tuple(e.countries))
              for i, e in enumerate(people) if ", " in e.name]
    queries = listed_queries(listed, seed=3, sample=40)
    names = [(q[2], q[3] or dt.date(1970, 1, 1), q[4] or "VEN") for q in queries]
    names += [(n, d, nat) for _, n, d, nat in innocents(150, seed=5)]
    sessions = make_sessionmaker(make_engine(database_url))
    with transaction(sessions) as s:
        _people(s, len(names))
        s.flush()
        from sqlalchemy import update

        from garita.registrations.models import Person
        for pid, (name, dob, nat) in zip(
                sorted(r[0] for r in registrations.people_for_integrity(s)), names, strict=True):
            given, _, family = name.rpartition(" ")
            s.execute(update(Person).where(Person.id == pid).values(
                given_names=given or family, family_names=family, date_of_birth=dob,
                nationality=nat))
        screening.load(s, "sample", "1", "csv", parse_plain(_plain(people)), "test", NOW)
    with transaction(sessions) as s:
        out = screening.screen(s, NOW, "test", 0.70)
        raised, _ = alerts.list_alerts(s, limit=1000)
        rows = registrations.people_for_integrity(s)
    assert out["hits"] >= 30
    by_person: dict[int, dict[str, float]] = {}
    for a in raised:
        by_person.setdefault(a.person_id, {})[a.evidence["listed_name"]] = a.score
    cache = screening.IndexCache()
    with sessions() as s:
        for pid, _, given, family, dob, nat, *_ in rows:
            found = screening.search(s, Query(f"{given} {family}", dob, nat), limit=3,
                                     threshold=0.70, cache=cache)
            assert {r["listed_name"]: r["score"] for r in found} == by_person.get(pid, {}), pid


def test_arrival_list_shows_only_act_tier(database_url) -> None:
    sessions = make_sessionmaker(make_engine(database_url))
    with transaction(sessions) as s:
        _people(s, 1)
        findings = [{"kind": "watchlist", "registration_id": 1, "person_id": None,
                     "severity": sev, "score": score, "summary": f"{sev} finding",
                     "evidence": {}, "key": sev}
                    for sev, score in (("high", 0.95), ("medium", 0.85), ("low", 0.72))]
        assert alerts.raise_alerts(s, findings, NOW, "test") == 3
    with sessions() as s:
        officer = alerts.alerts_for_registrations(s, [1])[1]
        analyst, _ = alerts.list_alerts(s, registration_id=1)
    assert [(a.severity, a.tier) for a in officer] == [("high", "act")]
    assert sorted(a.tier for a in analyst) == ["act", "note", "review"]
