"""GET /registrations pages, filters and sorts (issue 10, point 6), on both backends."""

from __future__ import annotations

import datetime as dt

from kit import TIJUANA, applicant, ask, register, registration, staff

DAY = dt.date(2024, 9, 10)


def _ids(client, headers, query: str = "") -> tuple[int, list[int]]:
    r = client.get(f"/registrations{query}", headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    return body["total"], [item["id"] for item in body["items"]]


def test_pages_cover_everything_once_in_order(client):
    ngo = applicant(client, role="ngo")
    made = [register(client, ngo, members=i % 3)["id"] for i in range(7)]
    seen = []
    for offset in range(0, 8, 3):
        total, ids = _ids(client, ngo, f"?limit=3&offset={offset}")
        assert total == 7
        seen += ids
    assert seen == made
    assert _ids(client, ngo, "?sort=-id&limit=2")[1] == made[::-1][:2]
    sizes = [r["group_size"] for r in client.get(
        "/registrations?sort=-group_size", headers=ngo).json()["items"]]
    assert sizes == sorted(sizes, reverse=True)
    assert _ids(client, applicant(client))[0] == 0  # someone else's are not listed


def test_filters_by_name_nationality_port_date_and_status(client, clock):
    ngo = applicant(client, role="ngo")
    ana = client.post("/registrations", headers=ngo, json=registration()).json()["id"]
    body = registration(nationality="CUB")
    body["lead"]["family_names"] = "Rodríguez Díaz"
    yoandy = client.post("/registrations", headers=ngo, json=body).json()["id"]
    assert _ids(client, ngo, "?name=pérez") == (1, [ana])
    assert _ids(client, ngo, "?name=RODRÍGUEZ")[1] == [yoandy]
    assert _ids(client, ngo, "?nationality=cub")[1] == [yoandy]
    assert _ids(client, ngo, "?sort=name")[1] == [ana, yoandy]  # Pérez < Rodríguez

    assert ask(client, ngo, ana, TIJUANA, port="SYS").status_code == 201
    assert ask(client, ngo, yoandy, TIJUANA, port="ELP").status_code == 201
    assert _ids(client, ngo, "?port=ELP")[1] == [yoandy]
    assert _ids(client, ngo, f"?date={DAY}")[1] == [ana, yoandy]
    assert _ids(client, ngo, f"?date={DAY + dt.timedelta(days=1)}")[0] == 0
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    assert _ids(client, ngo, "?status=offered")[1] == [ana, yoandy]
    assert _ids(client, ngo, "?status=offered&port=SYS")[1] == [ana]
    assert _ids(client, ngo, "?status=confirmed")[0] == 0
    today = (DAY + dt.timedelta(days=1)).isoformat()
    assert _ids(client, ngo, f"?registered_from={today}")[0] == 0  # registered on DAY


def test_bad_list_parameters_say_what_to_fix(client):
    ngo = applicant(client, role="ngo")
    for query, field in (("?limit=0", "limit"), ("?limit=1000", "limit"), ("?offset=-1", "offset"),
                         ("?sort=phone", "sort"), ("?port=XXX", "port"),
                         ("?status=won", "status")):
        r = client.get(f"/registrations{query}", headers=ngo)
        assert r.status_code == 422 and field in r.text, (query, r.text)


def test_name_search_uses_the_trigram_index_on_postgresql(client, database_url):
    """An NGO with 5,000 registrations looks one person up by part of a name: the name
    filter's own statements (the total and the page) read the pg_trgm GIN indexes of
    migration 0015 instead of every person. SQLite has no such index (small sites)."""
    import pytest
    from sqlalchemy import event, text

    from garita.identity import Principal, Role
    from garita.registrations import listing

    if not database_url.startswith("postgresql"):
        pytest.skip("trigram indexes are PostgreSQL's (pg_trgm)")
    ngo = applicant(client, role="ngo")
    body = registration()
    body["lead"]["family_names"] = "Pérez Gómez"
    client.post("/registrations", headers=ngo, json=body)
    owner = client.get("/auth/me", headers=ngo).json()["account_id"]
    engine, statements = client.app.state.engine, []
    with engine.begin() as conn:  # the NGO's other people, none of them a Pérez
        conn.execute(text(
            "INSERT INTO registration (owner_id, registered_at, language, phone, group_size, "
            "lead_nationality) SELECT :owner, now(), 'es', '+52 55 0000 0000', 1, 'VEN' "
            "FROM generate_series(1, 5000)"), {"owner": owner})
        conn.execute(text(
            "INSERT INTO person (registration_id, position, given_names, family_names, "
            "date_of_birth, country_of_birth, nationality, sex, documents, us_street, "
            "us_city, us_state, us_zip) SELECT id, 0, 'Ana', 'Rojas ' || id, '1990-01-01', "
            "'VEN', 'VEN', 'F', '[]', '1 Main St', 'Houston', 'TX', '77002' FROM registration "
            "WHERE owner_id = :owner AND id NOT IN (SELECT registration_id FROM person)"),
            {"owner": owner})
    with engine.connect() as conn:  # as autovacuum would: GIN's pending list merged, stats
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM ANALYZE registration, person"))

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "LIKE" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with client.app.state.sessions() as s:
            total, rows = listing.page(s, Principal(account_id=owner, role=Role.ngo), limit=50,
                                       offset=0, name="pérez")
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert total == 1 and len(statements) == 2
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            for statement, parameters in statements:
                plan = "\n".join(r[0] for r in cur.execute(f"EXPLAIN {statement}", parameters))
                assert "ix_person_given_names_trgm" in plan, plan
                assert "ix_person_family_names_trgm" in plan, plan
