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
