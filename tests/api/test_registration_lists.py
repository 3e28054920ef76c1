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


def test_name_search_ignores_case_accents_and_spans_given_and_family_names(client):
    """The name filter compares names as screening does: "perez" finds Pérez, "ANA PÉREZ"
    finds Ana (given) Pérez (family), a correction or an added member is found under the
    new name at once, and no match spans two members of one group."""
    ngo = applicant(client, role="ngo")
    body = registration(members=1)
    body["lead"].update(given_names="Ana María", family_names="Pérez Gómez")
    body["members"][0].update(given_names="Yoandy", family_names="Núñez")
    made = client.post("/registrations", headers=ngo, json=body).json()
    other = register(client, ngo)["id"]  # Ana, Pérez Gómez <letters>: also a Pérez
    ana = made["id"]
    assert _ids(client, ngo, "?name=perez gomez")[1] == [ana, other]
    assert _ids(client, ngo, "?name=ANA MARÍA PÉREZ")[1] == [ana]
    assert _ids(client, ngo, "?name=yoandy nunez")[1] == [ana]
    assert _ids(client, ngo, "?name=gomez yoandy")[0] == 0  # lead's family + member's given
    assert _ids(client, ngo, "?name=--")[0] == 0  # nothing searchable: nothing found
    lead = made["people"][0]["id"]
    assert client.patch(f"/registrations/{ana}/people/{lead}", headers=ngo, json={
        "reason": "misspelt", "family_names": "Ñáñez"}).status_code == 200
    assert _ids(client, ngo, "?name=nanez")[1] == [ana]
    assert _ids(client, ngo, "?name=ana maria perez")[0] == 0


def test_a_common_name_counts_up_to_the_cap_and_pages_on(client):
    """Counting every match of a common name is the slow part of a search over 100,000
    registrations; the total stops at ``NAME_TOTAL_CAP`` and says it is not exact, while
    pages still reach every match. Without a name the total stays exact."""
    from sqlalchemy import insert

    from garita.registrations.listing import NAME_TOTAL_CAP
    from garita.registrations.models import Person, Registration
    from garita.registrations.search import search_names

    ngo = applicant(client, role="ngo")
    owner = client.get("/auth/me", headers=ngo).json()["account_id"]
    now = dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
    with client.app.state.engine.begin() as conn:  # the cap's worth of Rojas, in one go
        ids = [r[0] for r in conn.execute(insert(Registration).returning(Registration.id), [
            {"owner_id": owner, "registered_at": now, "language": "es", "group_size": 1,
             "phone": "+52 55 0000 0000", "lead_nationality": "VEN",
             "search_names": search_names([("Ana", f"Rojas {i}")])}
            for i in range(NAME_TOTAL_CAP)])]
        conn.execute(insert(Person), [
            {"registration_id": rid, "position": 0, "given_names": "Ana",
             "family_names": f"Rojas {i}", "date_of_birth": dt.date(1990, 1, 1),
             "country_of_birth": "VEN", "nationality": "VEN", "sex": "F", "documents": [],
             "us_street": "1 Main St", "us_city": "Houston", "us_state": "TX",
             "us_zip": "77002"} for i, rid in enumerate(ids)])
    page = client.get("/registrations?name=rojas&limit=1", headers=ngo).json()
    assert (page["total"], page["total_exact"]) == (NAME_TOTAL_CAP, True)
    body = registration()
    body["lead"]["family_names"] = "Rojas Díaz"
    last = client.post("/registrations", headers=ngo, json=body).json()["id"]
    page = client.get("/registrations?name=rojas&limit=1", headers=ngo).json()
    assert (page["total"], page["total_exact"]) == (NAME_TOTAL_CAP, False)
    assert _ids(client, ngo, f"?name=rojas&limit=50&offset={NAME_TOTAL_CAP}")[1] == [last]
    page = client.get("/registrations?limit=1", headers=ngo).json()
    assert (page["total"], page["total_exact"]) == (NAME_TOTAL_CAP + 1, True)


def test_name_search_uses_the_trigram_index_on_postgresql(client, database_url):
    """An NGO with 5,000 registrations looks one person up by part of a name: the name
    filter's own statements (the capped total and the page) read the pg_trgm GIN index
    of the normalised names (migration 0016) instead of every registration. SQLite has
    no such index (small sites)."""
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
            "lead_nationality, search_names) SELECT :owner, now(), 'es', '+52 55 0000 0000', "
            "1, 'VEN', 'ana rojas ' || n FROM generate_series(1, 5000) AS n"),
            {"owner": owner})
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
            total, exact, rows = listing.page(s, Principal(account_id=owner, role=Role.ngo),
                                              limit=50, offset=0, name="pérez")
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert (total, exact, len(rows)) == (1, True, 1) and len(statements) == 2
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            for statement, parameters in statements:
                plan = "\n".join(r[0] for r in cur.execute(f"EXPLAIN {statement}", parameters))
                assert "ix_registration_search_names_trgm" in plan, plan
