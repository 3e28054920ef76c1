"""Migration 0016 gives registrations made before it their normalised names, as the
service would (so the lists' name search also finds people registered earlier)."""

from __future__ import annotations

from sqlalchemy import text

from garita import migrate
from garita.db import make_engine
from garita.registrations.search import search_names


def test_registrations_made_before_0016_get_their_search_names(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'before.sqlite3'}")
    migrate.upgrade(engine, "0001")  # the registrations tables, no search column yet
    with engine.begin() as c:
        c.execute(text("INSERT INTO account (id, email, password_hash, role, created_at) "
                       "VALUES (1, 'a@example.org', '!', 'applicant', '2024-01-01 00:00:00')"))
        for rid in (7, 8):
            c.execute(text("INSERT INTO registration (id, owner_id, registered_at, language, "
                           "phone, group_size, lead_nationality) VALUES (:id, 1, "
                           "'2024-01-01 00:00:00', 'es', '+52 55 1234 5678', 2, 'VEN')"),
                      {"id": rid})
        for pid, rid, pos, given, family in ((1, 7, 1, "Ana", "Pérez"),
                                             (2, 7, 0, "José María", "Pérez Núñez"),
                                             (3, 8, 0, "Yoandy", "Rojas")):
            c.execute(text(
                "INSERT INTO person (id, registration_id, position, given_names, family_names, "
                "date_of_birth, country_of_birth, nationality, sex, documents, us_street, "
                "us_city, us_state, us_zip) VALUES (:id, :rid, :pos, :given, :family, "
                "'1990-04-02', 'VEN', 'VEN', 'F', '[]', '1 Main St', 'Houston', 'TX', "
                "'77002')"), {"id": pid, "rid": rid, "pos": pos, "given": given,
                              "family": family})
    migrate.upgrade(engine, "0016")
    with engine.connect() as c:
        rows = c.execute(text("SELECT id, search_names FROM registration ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        (7, search_names([("José María", "Pérez Núñez"), ("Ana", "Pérez")])),
        (8, "yoandy rojas")]
    assert rows[0][1] == "jose maria perez nunez | ana perez"  # lead first
