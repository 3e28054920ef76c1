"""One person enters one day's draw once, whatever registrations carry them (issue 11).

Same person: the same identity document (type, country, number), or the same name,
date of birth and nationality with names normalised as integrity screening does.
At request time the second registration gets a 409 that names the first only to the
account holding both; requests that reach the table anyway (two requests in one
PostgreSQL batch, or rows written before the rule) are settled by the draw: the
earliest request stands, the others are left out of its inputs and listed by ticket
in its publication, which still verifies.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from garita.draw import core
from garita.draw.pseudonyms import tickets
from garita.draw.verify import verify_dir
from garita.registrations.keys import person_keys
from garita.requests import service as requests
from garita.requests.core import one_entry_per_person
from garita.requests.models import DailyRequest
from kit import TIJUANA, applicant, ask, person, register, registration, staff

DAY = dt.date(2024, 9, 10)
PASSPORT = {"type": "passport", "number": "G 123-456", "country": "VEN"}


def test_the_same_person_in_a_second_registration_of_the_account_is_refused_by_number(client):
    me = applicant(client)
    first = register(client, me, lead=person(given="José María", family="Pérez Soto"))
    again = register(client, me, lead=person(given="JOSE  MARIA", family="Perez-Soto"))
    assert ask(client, me, first["id"], TIJUANA).status_code == 201
    r = ask(client, me, again["id"], TIJUANA)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert f"through registration {first['id']};" in r.json()["detail"]
    # repeating the first request still answers the same record; the second stays refused
    assert ask(client, me, first["id"], TIJUANA).status_code == 200
    assert ask(client, me, again["id"], TIJUANA).status_code == 409


def test_another_account_is_refused_without_learning_which_registration(client):
    broker, mine = applicant(client, role="ngo"), applicant(client)
    theirs = register(client, broker, lead=person(family="Ruiz Toro", documents=[PASSPORT]))
    # another name, the same passport written differently: the same person
    own = register(client, mine, lead=person(given="Rosa", family="Lima Paz",
                                             documents=[PASSPORT | {"number": "g123456"}]))
    assert ask(client, broker, theirs["id"], TIJUANA).status_code == 201
    r = ask(client, mine, own["id"], TIJUANA)
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert "a registration of another account" in detail
    assert str(theirs["id"]) not in detail.replace(str(DAY), "")
    es = client.post(
        f"/registrations/{own['id']}/requests", json={"port": "SYS", "lat": TIJUANA[0],
                                                      "lon": TIJUANA[1]},
        headers=mine | {"Accept-Language": "es"})
    assert "otra cuenta" in es.json()["detail"]


def test_a_member_counts_as_much_as_a_lead_and_other_people_are_not_refused(client):
    me = applicant(client)
    group = registration(members=2)
    member = group["members"][1]
    first = client.post("/registrations", json=group, headers=me).json()
    alone = register(client, me, lead=member)
    namesake = register(client, me, lead=member | {"date_of_birth": "2015-01-02"})
    assert ask(client, me, first["id"], TIJUANA).status_code == 201
    assert ask(client, me, alone["id"], TIJUANA).status_code == 409
    assert ask(client, me, namesake["id"], TIJUANA).status_code == 201  # another birthday


def test_the_draw_lets_the_earliest_request_stand_and_publishes_the_rest(client, clock,
                                                                         tmp_path):
    """Rows that reached the table anyway (as two requests sharing one PostgreSQL
    batch would): the draw reads one entry per person, and says so by ticket."""
    admin = staff(client)
    me, other = applicant(client), applicant(client)
    first = register(client, me, lead=person(family="Vela Mar"))
    second = register(client, me, lead=person(family="Vela Mar"))
    stranger = register(client, other)
    assert ask(client, me, first["id"], TIJUANA).status_code == 201
    assert ask(client, other, stranger["id"], TIJUANA).status_code == 201
    with client.app.state.sessions.begin() as s:
        earliest = s.query(DailyRequest).filter_by(registration_id=first["id"]).one()
        s.add(DailyRequest(**{c: getattr(earliest, c) for c in (
            "service_date", "port", "group_size", "registered_at", "lat", "lon", "state",
            "zone", "geo_version")}, registration_id=second["id"],
            requested_at=earliest.requested_at + dt.timedelta(seconds=1)))
    with client.app.state.sessions() as s:
        asked = {r.registration_id: r.id for r in s.query(DailyRequest)}
        assert requests.set_aside(s, DAY) == {asked[second["id"]]: asked[first["id"]]}

    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    draw = client.post(f"/draws/{DAY}", headers=admin)
    assert draw.status_code == 201, draw.text
    assert draw.json()["summary"]["SYS"]["requests"] == 2  # three rows, two people
    out = tmp_path / "pub"
    out.mkdir()
    for name in ("publication.json", "inputs.csv", "results.csv"):
        (out / name).write_bytes(client.get(f"/draws/{DAY}/{name}").content)
    manifest = json.loads((out / "publication.json").read_text())
    key = client.app.state.ticket_key
    aside, stood = (int(t) for t in tickets(key, np.asarray(
        [asked[second["id"]], asked[first["id"]]], dtype=np.int64)))
    assert manifest["set_aside"] == [[aside, stood]]
    listed = (out / "inputs.csv").read_text()
    assert f"\n{stood}," in listed and f"\n{aside}," not in listed
    assert str(verify_dir(out)).startswith("identical: 2 requests")
    status = client.get(f"/registrations/{second['id']}/status", headers=me).json()
    assert status["offer"] is None


# ------------------------------------------------------------------ properties of the rule

def test_keys_normalise_names_and_document_numbers():
    born = dt.date(1990, 1, 2)
    assert person_keys("José-María", "O'Neil", born, "ven", []) == person_keys(
        "JOSE MARIA", "ONEIL", born, "VEN", [])
    assert person_keys("Ana", "Paz", born, "VEN", []) != person_keys("Ana", "Paz", born, "COL", [])
    a = person_keys("Ana", "Paz", born, "VEN", [PASSPORT])
    b = person_keys("Rosa", "Lima", dt.date(1980, 1, 1), "COL",
                    [PASSPORT | {"number": "g123456"}])
    assert len(set(a) & set(b)) == 1  # the passport, nothing else


_rows = st.lists(st.tuples(st.integers(0, 40),  # seconds after the window opened
                           st.sets(st.sampled_from("abcdefghij"), min_size=1, max_size=3)),
                 min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(_rows, st.randoms(use_true_random=False))
def test_no_person_key_appears_twice_among_entries_or_winners(rows, rnd: random.Random):
    start = dt.datetime(2024, 9, 10, 16, tzinfo=dt.UTC)
    keyed = [(i + 1, start + dt.timedelta(seconds=s), k) for i, (s, ks) in enumerate(rows)
             for k in ks]
    aside = one_entry_per_person(keyed)
    shuffled = keyed[:]
    rnd.shuffle(shuffled)
    assert one_entry_per_person(shuffled) == aside  # input order does not matter
    keys = {i + 1: ks for i, (_, ks) in enumerate(rows)}
    when = {i + 1: s for i, (s, _) in enumerate(rows)}
    entries = [i for i in keys if i not in aside]
    seen = [k for i in entries for k in keys[i]]
    assert len(seen) == len(set(seen))  # entries: every key once
    for later, stood in aside.items():  # each one set aside repeats an earlier entry
        assert stood in entries and keys[later] & keys[stood]
        assert (when[stood], stood) < (when[later], later)
    # the draw only ever picks among entries: no key twice among its winners either
    ids = np.asarray(entries, dtype=np.int64)
    drawn = core.draw(core.DrawRequests(ticket=ids.astype(np.uint64), port=np.zeros(len(ids),
                      dtype=np.int16), size=np.ones(len(ids), dtype=np.int16),
                      registered_at=np.zeros(len(ids), dtype=np.int64)),
                      {0: [core.Bin(day=dt.date(2024, 9, 13), slot=dt.time(8), free=5)]},
                      0.5, b"\x01" * 32, rule=core.GROUP_FAIR)
    won = [k for t in drawn.ticket for k in keys[int(t)]]
    assert len(won) == len(set(won)) and set(drawn.ticket.tolist()) <= set(entries)


# ------------------------------------------------------------------ the shared-key mark

def _marks(client) -> dict[int, set[bool]]:
    from garita.registrations.models import PersonKey
    with client.app.state.sessions() as s:
        out: dict[int, set[bool]] = {}
        for rid, shared in s.query(PersonKey.registration_id, PersonKey.shared):
            out.setdefault(rid, set()).add(shared)
        return out


def test_a_key_two_registrations_hold_is_marked_on_both_and_nowhere_else(client):
    """The draw and the request check read only shared keys (the partial index), so the
    mark must be on every row of a key two registrations hold, whichever came first."""
    me, other = applicant(client), applicant(client)
    first = register(client, me, lead=person(family="Luna Sol"))
    stranger = register(client, other, lead=person(given="Rosa", family="Mar Azul"))
    assert _marks(client) == {first["id"]: {False}, stranger["id"]: {False}}
    second = register(client, me, lead=person(family="Luna Sol"))
    marks = _marks(client)
    assert marks[first["id"]] == {True} == marks[second["id"]]  # name + birth + nationality
    assert marks[stranger["id"]] == {False}


def test_a_correction_that_makes_two_people_one_marks_their_keys(client):
    me = applicant(client)
    first = register(client, me, lead=person(family="Rey Paz"))
    second = register(client, me, lead=person(family="Rey Pax"))  # a typo, for now
    assert _marks(client)[second["id"]] == {False}
    assert ask(client, me, first["id"], TIJUANA).status_code == 201
    fixed = client.patch(f"/registrations/{second['id']}/people/{second['people'][0]['id']}",
                         json={"family_names": "Rey Paz", "reason": "typo in the surname"},
                         headers=me)
    assert fixed.status_code == 200, fixed.text
    assert _marks(client)[first["id"]] == {True}
    assert ask(client, me, second["id"], TIJUANA).status_code == 409  # now the same person


def test_two_registrations_written_at_once_see_each_others_key(client, database_url):
    """PostgreSQL: the per-key advisory lock makes the second writer wait for the first
    and see its row, so a key written twice at once is still marked."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: nothing to race")
    from garita.registrations.models import Person
    from garita.registrations.sameperson import store_keys

    me = applicant(client)
    regs = [register(client, me, lead=person(family=f)) for f in ("Alba Uno", "Alba Dos")]
    people = [r["people"][0]["id"] for r in regs]
    first_holds, sessions = threading.Event(), client.app.state.sessions

    def rename(i: int, hold: bool) -> None:  # both become "Alba Tres": one new key, twice
        with sessions.begin() as s:
            member = s.get(Person, people[i])
            member.family_names = "Alba Tres"
            store_keys(s, regs[i]["id"], member)
            if hold:
                first_holds.set()
                time.sleep(0.5)  # the second writer queues on the key's lock meanwhile

    a = threading.Thread(target=rename, args=(0, True))
    a.start()
    assert first_holds.wait(10)
    rename(1, False)
    a.join()
    marks = _marks(client)
    assert marks[regs[0]["id"]] == {True} == marks[regs[1]["id"]]
