"""Roles on every route; applicants see only their own data; rate limits; problem+json."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from garita.app import create_app
from kit import TIJUANA, applicant, ask, register, registration, sent, sign_in, staff, verify


def test_no_token_is_401(client):
    r = client.post("/registrations", json=registration())
    assert r.status_code == 401 and "Sign in" in r.json()["detail"]
    r = client.get("/registrations", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_applicants_see_only_their_own(client):
    alice, bob = applicant(client), applicant(client)
    reg = register(client, alice)
    assert client.get(f"/registrations/{reg['id']}", headers=bob).status_code == 404
    assert ask(client, bob, reg["id"], TIJUANA).status_code == 404
    assert client.get(f"/registrations/{reg['id']}/status", headers=bob).status_code == 404
    assert [r["id"] for r in client.get("/registrations", headers=bob).json()["items"]] == []
    mine = client.get("/registrations", headers=alice).json()
    assert [r["id"] for r in mine["items"]] == [reg["id"]] and mine["total"] == 1
    admin = staff(client, "admin")
    assert client.get(f"/registrations/{reg['id']}", headers=admin).status_code == 200


def test_ngo_acts_for_applicants(client):
    ngo = applicant(client, role="ngo")
    reg = register(client, ngo)
    assert ask(client, ngo, reg["id"], TIJUANA).status_code == 201


@pytest.mark.parametrize("role", ["applicant", "officer", "analyst", "coordinator"])
def test_only_admins_draw_and_change_policy(client, clock, role):
    who = applicant(client) if role == "applicant" else staff(
        client, role, port="SYS" if role == "officer" else None)
    r = client.post("/draws/2024-09-09", headers=who)
    assert r.status_code == 403 and "admin" in r.json()["detail"]
    assert client.post("/policies", json={}, headers=who).status_code in (403, 422)


def test_staff_cannot_sign_up_themselves(client):
    r = client.post("/auth/signup", json={"email": "x@example.org", "password": "long enough pw",
                                          "role": "admin"})
    assert r.status_code == 403


def test_sign_up_answers_alike_whether_or_not_the_email_has_an_account(client):
    body = {"email": "dup@example.org", "password": "long enough pw"}
    first = client.post("/auth/signup", json=body)
    again = client.post("/auth/signup", json=body | {"password": "another long pw"})
    assert first.status_code == again.status_code == 202
    assert first.content == again.content
    # the address got a code for the new account, then a note that someone tried again
    assert "someone tried" in sent(client, "dup@example.org", "account.signup_exists").lower()
    verify(client, "dup@example.org")
    sign_in(client, "dup@example.org", "long enough pw")  # the first account stands
    r = client.post("/auth/token", data={"username": "dup@example.org",
                                         "password": "another long pw"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")


def test_wrong_password_is_401(client):
    client.post("/auth/signup", json={"email": "w@example.org", "password": "long enough pw"})
    r = client.post("/auth/token", data={"username": "w@example.org", "password": "nope nope"})
    assert r.status_code == 401


def test_login_is_rate_limited(database_url, clock):
    from kit import settings_for

    app = create_app(settings_for(database_url, login_rate="3/minute"), clock=clock)
    with TestClient(app) as c:
        c.post("/auth/signup", json={"email": "r@example.org", "password": "long enough pw"})
        codes = [c.post("/auth/token", data={"username": "r@example.org",
                                              "password": "wrong password"}).status_code
                 for _ in range(4)]
    app.state.engine.dispose()
    assert codes == [401, 401, 401, 429]


def test_requests_are_rate_limited(database_url, clock):
    from kit import settings_for

    app = create_app(settings_for(database_url, request_rate="2/minute"), clock=clock)
    with TestClient(app) as c:
        me = applicant(c)
        reg = register(c, me)
        codes = [ask(c, me, reg["id"], TIJUANA).status_code for _ in range(3)]
    app.state.engine.dispose()
    assert codes == [201, 200, 429]


def test_expired_token_is_refused(client, clock):
    me = applicant(client)
    clock.now = clock.now + dt.timedelta(days=365)
    assert client.get("/auth/me", headers=me).status_code == 401


def test_sign_in_helper_roundtrip(client):
    client.post("/auth/signup", json={"email": "m@example.org", "password": "long enough pw"})
    verify(client, "m@example.org")
    me = client.get("/auth/me", headers=sign_in(client, "m@example.org", "long enough pw")).json()
    assert me["role"] == "applicant"


def test_numbers_beyond_64_bits_are_422_not_500(client):
    analyst = staff(client, "analyst")
    r = client.get("/integrity/alerts", params={"offset": 2**80}, headers=analyst)
    assert r.status_code == 422 and "out of range" in r.json()["detail"]
    r = client.post(f"/integrity/alerts/{-(2**90)}/decision", headers=analyst,
                    json={"status": "confirmed", "note": "checked"})
    assert r.status_code == 422
    me = applicant(client)
    r = client.get(f"/registrations/{2**70}", headers=me)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")
