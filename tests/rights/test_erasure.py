"""A deleted registration leaves no personal data in the database (issue 16, point 5).

The check reads the live schema (every table, every text or JSON column), so a
table added later is checked too; it first proves the person's data is there,
then withdraws and deletes, then proves none of it is left anywhere while the
audit log still verifies.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from garita.audit import service as audit
from garita.db import transaction
from kit import TIJUANA, ask, sign_in, staff, verify
from photo_kit import face_jpeg

DAY = dt.date(2024, 9, 10)
EMAIL = "zenaida.quintanilla@example.org"
PERSON = {"given_names": "Zenaida", "family_names": "Quintanilla-Borrego",
          "date_of_birth": "1987-03-14", "country_of_birth": "VEN", "nationality": "VEN",
          "sex": "F", "documents": [{"type": "passport", "number": "XK4477821",
                                     "country": "VEN"}]}
CHILD = {**PERSON, "given_names": "Ximeno", "date_of_birth": "2016-05-05", "sex": "M",
         "documents": []}
ADDRESS = {"street": "4417 Bluebonnet Ln", "unit": "Unit 9Q", "city": "Pflugerville",
           "state": "TX", "zip": "78660"}
NEEDLES = ["zenaida", "quintanilla", "ximeno", EMAIL, "xk4477821", "5587654321",
           "bluebonnet", "unit 9q", "pflugerville", "78660"]


def _text_columns(engine: sa.Engine) -> list[tuple[str, str]]:
    """(table, column) of every text-holding column, from the database's own schema."""
    found = []
    inspector = sa.inspect(engine)
    for table in inspector.get_table_names():
        for col in inspector.get_columns(table):
            if isinstance(col["type"], sa.String | sa.Text | sa.JSON | sa.types.NullType):
                found.append((table, col["name"]))
    return found


def _where_found(engine: sa.Engine) -> set[tuple[str, str, str]]:
    hits = set()
    with engine.connect() as c:
        for table, column in _text_columns(engine):
            for needle in NEEDLES:
                q = sa.text(f'SELECT count(*) FROM "{table}" WHERE lower(CAST("{column}" AS TEXT)) '
                            "LIKE :p")
                if c.execute(q, {"p": f"%{needle.lower()}%"}).scalar():
                    hits.add((table, column, needle))
    return hits


def _journey(client, clock) -> tuple[dict, int]:
    r = client.post("/auth/signup", json={"email": EMAIL, "password": "correct horse battery"})
    assert r.status_code == 202, r.text
    verify(client, EMAIL)
    me = sign_in(client, EMAIL)
    r = client.post("/registrations", headers=me, json={
        "language": "es", "phone": "+52 55 8765 4321", "email": EMAIL, "us_address": ADDRESS,
        "lead": PERSON, "members": [CHILD]})
    assert r.status_code == 201, r.text
    reg = r.json()
    r = client.patch(f"/registrations/{reg['id']}/people/{reg['people'][1]['id']}", headers=me,
                     json={"reason": "Ximeno's passport was mistyped",
                           "documents": [{"type": "passport", "number": "XK4477821",
                                          "country": "VEN"}]})
    assert r.status_code == 200, r.text
    assert ask(client, me, reg["id"], TIJUANA).status_code == 201
    r = client.post("/help", headers=me, json={
        "kind": "help", "registration_id": reg["id"], "share": True,
        "message": "Soy Zenaida Quintanilla-Borrego, no puedo confirmar"})
    assert r.status_code == 201, r.text
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    st = client.get(f"/registrations/{reg['id']}/status", headers=me).json()
    offer = st["offer"]["id"]
    lat, lon = TIJUANA
    r = client.post(f"/offers/{offer}/photos", headers=me,
                    data={"person_id": str(reg["people"][0]["id"])},
                    files={"photo": ("face.jpg", face_jpeg(), "image/jpeg")})
    assert r.status_code == 201, r.text
    r = client.post(f"/offers/{offer}/confirmations", headers=me,
                    json={"person_id": reg["people"][0]["id"], "lat": lat, "lon": lon})
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text
    assert client.get(f"/offers/{offer}/notice", headers=me).status_code == 200
    return me, reg["id"]


def test_deleted_registration_leaves_no_personal_data(client, clock):
    me, rid = _journey(client, clock)
    engine = client.app.state.engine
    before = _where_found(engine)
    # the check can fail: before deletion the data is found in the tables that hold it
    assert {t for t, _, _ in before} >= {"account", "registration", "person", "help_request",
                                        "registration_change"}
    assert {n for _, _, n in before} == set(NEEDLES)

    exported = client.get(f"/registrations/{rid}/export.json", headers=me)
    assert exported.status_code == 200
    assert exported.json()["people"][0]["documents"][0]["number"] == "XK4477821"
    assert client.get(f"/registrations/{rid}/export.pdf", headers=me).content[:5] == b"%PDF-"

    r = client.post(f"/registrations/{rid}/withdrawal", headers=me,
                    json={"reason": "we no longer need it", "close_account": True})
    assert r.status_code == 200, r.text
    assert r.json()["account_closed"] is True

    assert _where_found(engine) == set()
    with engine.connect() as c:  # the face (an encrypted blob, not text) is deleted too
        assert c.execute(sa.text("SELECT count(*) FROM photo")).scalar() == 0
        # person keys are digests of name, birth date and nationality: guessable, so gone
        assert c.execute(sa.text("SELECT count(*) FROM person_key WHERE registration_id = :r"),
                         {"r": rid}).scalar() == 0
    with transaction(client.app.state.sessions) as s:
        checked, breaks = audit.verify(s)
    assert breaks == [] and checked > 10
    # the account's sessions are ended (its token is refused) and it cannot sign in again
    assert client.get(f"/registrations/{rid}", headers=me).status_code == 401
    r = client.post("/auth/token", data={"username": EMAIL, "password": "correct horse battery"})
    assert r.status_code == 401


def test_alerts_on_other_registrations_stop_quoting_the_erased_person(client, clock):
    """A duplicate-identity finding on someone else's registration names the erased
    person: it is cleaned too. The pair is given to the jobs' own finding builder
    (``jobs._duplicates``) rather than found by Splink, which needs a population to
    train on (tests/integrity covers the matching)."""
    import polars as pl

    from garita.integrity import jobs
    from garita.integrity import service as alerts
    from kit import applicant, register

    me, rid = _journey(client, clock)
    other = register(client, applicant(client))
    with transaction(client.app.state.sessions) as s:
        people = jobs.frame(s)
        mine = people.filter(pl.col("registration_id") == rid)["person_id"][0]
        theirs = other["people"][0]["id"]
        pairs = pl.DataFrame({"a": [mine], "b": [theirs], "p": [0.97]})
        assert alerts.raise_alerts(s, jobs._duplicates(pairs, people),
                                   dt.datetime(2024, 9, 11, tzinfo=dt.UTC), "analyst:0") == 2
    engine = client.app.state.engine
    assert ("alert", "evidence", "quintanilla") in _where_found(engine)
    r = client.post(f"/registrations/{rid}/withdrawal", headers=me, json={"close_account": True})
    assert r.status_code == 200
    assert _where_found(engine) == set()
    with engine.connect() as c:
        kept = c.execute(sa.text("SELECT kind, registration_id FROM alert ORDER BY id")).all()
    assert sorted(kept) == sorted([("duplicate_identity", rid),
                                   ("duplicate_identity", other["id"])])


def test_what_stays_is_without_identity(client, clock):
    me, rid = _journey(client, clock)
    client.post(f"/registrations/{rid}/withdrawal", headers=me, json={})
    with client.app.state.engine.connect() as c:
        reg = c.execute(sa.text("SELECT group_size, lead_nationality, erased_at FROM registration"
                                " WHERE id = :i"), {"i": rid}).one()
        offer = c.execute(sa.text("SELECT status FROM offer WHERE registration_id = :i"),
                          {"i": rid}).scalar()
    assert reg[0] == 2 and reg[1] == "VEN" and reg[2] is not None
    assert offer == "withdrawn"  # the appointment's places return to the next draw
    again = client.post(f"/registrations/{rid}/withdrawal", headers=me, json={})
    assert again.status_code == 404  # erased already: nothing left to delete
