"""The OpenAPI document tells the truth (issue 11, point 6), checked on the document itself
and on live answers; Schemathesis fuzzes the rest (tests/contract).
"""

from __future__ import annotations

import datetime as dt

from kit import TIJUANA, applicant, ask, register, registration, staff

DAY = dt.date(2024, 9, 10)


def _typed(schema: dict) -> bool:
    """A model ($ref), an object whose fields are named, or an array of such."""
    return ("$ref" in schema or "properties" in schema
            or ("items" in schema and _typed(schema["items"])))


def _operations(client):
    for path, ops in client.get("/openapi.json").json()["paths"].items():
        for method, op in ops.items():
            yield f"{method.upper()} {path}", op


def test_every_route_has_a_typed_answer_and_problem_json_errors(client):
    untyped, not_problem, no_challenge, no_location = [], [], [], []
    for name, op in _operations(client):
        for code, response in op["responses"].items():
            content = response.get("content", {})
            if code.startswith("2") and "application/json" in content:
                if not _typed(content["application/json"].get("schema", {})):
                    untyped.append(f"{name} {code}")
            if code[0] in "45":
                if content != {"application/problem+json": {
                        "schema": {"$ref": "#/components/schemas/Problem"}}}:
                    not_problem.append(f"{name} {code}")
            if code == "401" and "WWW-Authenticate" not in response.get("headers", {}):
                no_challenge.append(name)
            if code == "429" and "Retry-After" not in response.get("headers", {}):
                no_challenge.append(name)
            if code == "201" and "Location" not in response.get("headers", {}):
                no_location.append(name)
        if op.get("security") and "401" not in op["responses"]:
            no_challenge.append(name)
    assert untyped == [] and not_problem == [] and no_challenge == []
    # accounts have no route to read them by: the only 201 without a Location, on purpose
    assert no_location == ["POST /auth/staff"]


def test_created_answers_say_where_to_read_them(client):
    me = applicant(client)
    r = client.post("/registrations", json=registration(),
                    headers=me)
    assert r.status_code == 201 and r.headers["location"] == f"/registrations/{r.json()['id']}"
    assert client.get(r.headers["location"], headers=me).json()["id"] == r.json()["id"]
    asked = ask(client, me, r.json()["id"], TIJUANA)
    assert asked.status_code == 201
    status = client.get(asked.headers["location"], headers=me)
    assert status.status_code == 200 and status.json()["request"]["id"] == asked.json()["id"]
    assert "location" not in ask(client, me, r.json()["id"], TIJUANA).headers  # 200: no new one


def test_an_unreadable_body_says_what_to_fix(client):
    me = applicant(client)
    r = client.post("/registrations", content=b"{not json", headers=me | {
        "Content-Type": "application/json"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert "send JSON" in r.json()["detail"]
    es = client.post("/registrations", content=b"{", headers=me | {
        "Content-Type": "application/json", "Accept-Language": "es"})
    assert "envíe JSON" in es.json()["detail"]
    form = client.post("/auth/token", content=b"garbage",
                       headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert form.status_code == 400 and "send JSON" in form.json()["detail"]
    assert form.headers["content-type"] == "application/problem+json"


def test_a_404_names_nothing_but_what_was_asked_for(client, clock):
    """Another account's offer answers exactly as an offer that does not exist."""
    admin, owner, stranger = staff(client), applicant(client), applicant(client)
    reg = register(client, owner)
    assert ask(client, owner, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
    offer = client.get(f"/registrations/{reg['id']}/status", headers=owner).json()["offer"]
    assert offer is not None
    missing = 10_000 + offer["id"]
    confirm = {"person_id": 1, "lat": TIJUANA[0], "lon": TIJUANA[1]}
    for method, path, theirs_id, body in (
            ("GET", "/offers/{}/notice", offer["id"], None),
            ("POST", "/offers/{}/confirmations", offer["id"], confirm),
            ("POST", "/corridor/appointments/{}/seats", offer["id"], None),
            ("GET", "/registrations/{}", reg["id"], None),
            ("GET", "/registrations/{}/status", reg["id"], None)):
        theirs = client.request(method, path.format(theirs_id), json=body, headers=stranger)
        absent = client.request(method, path.format(missing), json=body, headers=stranger)
        assert theirs.status_code == absent.status_code == 404, (path, theirs.text)
        assert theirs.json()["detail"] == absent.json()["detail"].replace(
            str(missing), str(theirs_id)), path
        assert theirs.json().keys() == absent.json().keys()
