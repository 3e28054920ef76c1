"""Migration 0014 gives members registered before it their person keys, as registration
would have (so the one-entry-per-person rule also covers people registered earlier)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from garita import migrate
from garita.db import make_engine
from garita.registrations.keys import person_keys


def test_members_registered_before_0014_get_their_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'before.sqlite3'}")
    migrate.upgrade(engine, "0001")  # the registrations tables, no person keys yet
    passport = '[{"type": "passport", "number": "G 123-456", "country": "VEN"}]'
    with engine.begin() as c:
        c.execute(text("INSERT INTO account (id, email, password_hash, role, created_at) "
                       "VALUES (1, 'a@example.org', '!', 'applicant', '2024-01-01 00:00:00')"))
        c.execute(text("INSERT INTO registration (id, owner_id, registered_at, language, phone, "
                       "group_size, lead_nationality) VALUES (7, 1, '2024-01-01 00:00:00', "
                       "'es', '+52 55 1234 5678', 2, 'VEN')"))
        for pid, pos, given, docs in ((1, 0, "José", passport), (2, 1, "Ana", "[]")):
            c.execute(text(
                "INSERT INTO person (id, registration_id, position, given_names, family_names, "
                "date_of_birth, country_of_birth, nationality, sex, documents, us_street, "
                "us_city, us_state, us_zip) VALUES (:id, 7, :pos, :given, 'Pérez', "
                "'1990-04-02', 'VEN', 'VEN', 'F', :docs, '1 Main St', 'Houston', 'TX', "
                "'77002')"), {"id": pid, "pos": pos, "given": given, "docs": docs})
    migrate.upgrade(engine, "0014")
    with engine.connect() as c:
        rows = c.execute(text("SELECT person_id, registration_id, key FROM person_key "
                              "ORDER BY person_id, key")).all()
    engine.dispose()
    born = dt.date(1990, 4, 2)
    expected = sorted([(1, 7, k) for k in person_keys(
        "José", "Pérez", born, "VEN", [{"type": "passport", "number": "G 123-456",
                                        "country": "VEN"}])]
                      + [(2, 7, k) for k in person_keys("Ana", "Pérez", born, "VEN", [])])
    assert [tuple(r) for r in rows] == expected and len(expected) == 3


def test_0023_marks_the_keys_two_registrations_already_hold(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    migrate.upgrade(engine, "0014")
    with engine.begin() as c:
        c.execute(text("INSERT INTO account (id, email, password_hash, role, created_at) "
                       "VALUES (1, 'a@example.org', '!', 'applicant', '2024-01-01 00:00:00')"))
        for rid in (7, 8, 9):
            c.execute(text("INSERT INTO registration (id, owner_id, registered_at, language, "
                           "phone, group_size, lead_nationality) VALUES (:id, 1, "
                           "'2024-01-01 00:00:00', 'es', '+52 55 1234 5678', 1, 'VEN')"),
                      {"id": rid})
            c.execute(text("INSERT INTO person (id, registration_id, position, given_names, "
                           "family_names, date_of_birth, country_of_birth, nationality, sex, "
                           "documents, us_street, us_city, us_state, us_zip) VALUES (:id, :id, 0, "
                           "'Ana', :family, '1990-04-02', 'VEN', 'VEN', 'F', '[]', '1 Main St', "
                           "'Houston', 'TX', '77002')"),
                      {"id": rid, "family": "Solo" if rid == 9 else "Pérez"})
            c.execute(text("INSERT INTO person_key (person_id, registration_id, key) "
                           "VALUES (:id, :id, :key)"),
                      {"id": rid, "key": "k-solo" if rid == 9 else "k-perez"})
    migrate.upgrade(engine)
    with engine.connect() as c:
        marks = dict(c.execute(text("SELECT registration_id, shared FROM person_key")).all())
    engine.dispose()
    assert marks == {7: True, 8: True, 9: False}
