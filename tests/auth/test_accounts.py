"""Accounts that survive: a verified email, a password reset that keeps the registration,
two-factor sign-in, sessions listed and revoked. Real SQLite and PostgreSQL; the codes
and links are read from the messages the service stored for the address."""

from __future__ import annotations

import datetime as dt
import time

import pyotp
from fastapi.testclient import TestClient

from garita.app import create_app
from garita.settings import Settings
from kit import (
    TIJUANA,
    ask,
    link_token,
    register,
    sent,
    sent_code,
    settings_for,
    sign_in,
    staff,
    verify,
)

PASSWORD = "correct horse battery"


def _sign_up(client, email: str) -> None:
    r = client.post("/auth/signup", json={"email": email, "password": PASSWORD})
    assert r.status_code == 202


def _token(client, email, password=PASSWORD, code=None):
    data = {"username": email, "password": password} | ({"code": code} if code else {})
    return client.post("/auth/token", data=data)


def _bearer(r) -> dict:
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_an_account_signs_in_once_its_email_is_confirmed_by_code_or_link(client):
    _sign_up(client, "ana@example.org")
    r = _token(client, "ana@example.org")
    assert r.status_code == 403 and "Confirm your email" in r.json()["detail"]
    body = sent(client, "ana@example.org", "account.verify")
    code = sent_code(client, "ana@example.org")
    assert code in body and "/verify/" in body
    r = client.post("/auth/verify", json={"email": "ana@example.org", "code": "000000"
                                          if code != "000000" else "111111"})
    assert r.status_code == 422
    r = client.post("/auth/verify", json={"email": "ana@example.org", "code": code})
    assert r.status_code == 200
    assert _token(client, "ana@example.org").status_code == 200
    # the link did the same, once
    _sign_up(client, "luis@example.org")
    token = link_token(sent(client, "luis@example.org", "account.verify"), "/verify")
    assert client.post("/auth/verify", json={"token": token}).status_code == 200
    assert client.post("/auth/verify", json={"token": token}).status_code == 422


def test_five_wrong_codes_end_a_code(client):
    _sign_up(client, "guess@example.org")
    code = sent_code(client, "guess@example.org")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert client.post("/auth/verify", json={"email": "guess@example.org",
                                                 "code": wrong}).status_code == 422
    r = client.post("/auth/verify", json={"email": "guess@example.org", "code": code})
    assert r.status_code == 422  # the tries were counted and kept: this code is spent
    assert client.post("/auth/verify/resend", json={"email": "guess@example.org"}
                       ).status_code == 202
    verify(client, "guess@example.org")  # the new code's link works


def test_reset_keeps_the_registration_and_its_seniority(client, clock):
    _sign_up(client, "maria@example.org")
    verify(client, "maria@example.org")
    me = _bearer(_token(client, "maria@example.org"))
    reg = register(client, me)
    unknown = client.post("/auth/password-reset", json={"email": "nobody@example.org"})
    known = client.post("/auth/password-reset", json={"email": "maria@example.org"})
    assert unknown.status_code == known.status_code == 202 and unknown.content == known.content
    body = sent(client, "maria@example.org", "account.reset")
    token = link_token(body, "/reset")
    assert token not in str(client.app.state.engine.url)  # (only its hash is stored: below)
    r = client.post("/auth/password-reset/confirm",
                    json={"token": token, "password": "a brand new password"})
    assert r.status_code == 200
    assert client.get("/auth/me", headers=me).status_code == 401  # old sessions signed out
    assert _token(client, "maria@example.org").status_code == 401
    again = _bearer(_token(client, "maria@example.org", "a brand new password"))
    same = client.get(f"/registrations/{reg['id']}", headers=again)
    assert same.status_code == 200 and same.json()["registered_at"] == reg["registered_at"]
    assert ask(client, again, reg["id"], TIJUANA).status_code == 201
    r = client.post("/auth/password-reset/confirm",
                    json={"token": token, "password": "yet another password"})
    assert r.status_code == 422  # single use
    from garita.auth.codes import digest
    from garita.auth.models import AccountCode

    with client.app.state.sessions() as s:
        stored = [c.token_hash for c in s.query(AccountCode).all()]
    assert token not in stored and digest(token) in stored


def test_a_reset_link_expires(client, clock):
    _sign_up(client, "late@example.org")
    client.post("/auth/password-reset", json={"email": "late@example.org"})
    token = link_token(sent(client, "late@example.org", "account.reset"), "/reset")
    clock.now = clock.now + dt.timedelta(minutes=31)
    r = client.post("/auth/password-reset/confirm",
                    json={"token": token, "password": "a brand new password"})
    assert r.status_code == 422 and "expired" in r.json()["detail"]


def test_sessions_are_listed_and_revoked(client):
    _sign_up(client, "many@example.org")
    verify(client, "many@example.org")
    phone, laptop, tablet = (_bearer(_token(client, "many@example.org")) for _ in range(3))
    listed = client.get("/auth/sessions", headers=phone).json()
    assert len(listed) == 3 and sum(s["current"] for s in listed) == 1
    current = next(s["id"] for s in listed if s["current"])
    other = next(s["id"] for s in listed if not s["current"])
    assert client.delete(f"/auth/sessions/{other}", headers=phone).json() == {"revoked": 1}
    assert len(client.get("/auth/sessions", headers=phone).json()) == 2
    assert client.post("/auth/signout", headers=phone).json() == {"revoked": 1}
    assert client.get("/auth/me", headers=phone).status_code == 401
    alive = [h for h in (laptop, tablet) if client.get("/auth/me", headers=h).status_code == 200]
    assert len(alive) == 1  # the one revoked by id is refused too
    left = client.get("/auth/sessions", headers=alive[0]).json()
    assert [s["current"] for s in left] == [True] and current != left[0]["id"]
    assert client.post("/auth/signout-everywhere", headers=alive[0]).json() == {"revoked": 1}
    assert all(client.get("/auth/me", headers=h).status_code == 401
               for h in (phone, laptop, tablet))
    someone = staff(client, "analyst")
    assert client.delete(f"/auth/sessions/{other}", headers=someone).status_code == 404


def test_another_process_refuses_a_revoked_token_after_its_reload(database_url, clock):
    """Two app instances on one database, as two worker processes: a sign-out in one is
    refused by the other once it reloads (GARITA_SESSION_CHECK_SECONDS)."""
    settings = settings_for(database_url, session_check_seconds=0.2)
    one, two = create_app(settings, clock=clock), create_app(settings, clock=clock)
    with TestClient(one) as a, TestClient(two) as b:
        _sign_up(a, "twice@example.org")
        verify(a, "twice@example.org")
        me = sign_in(a, "twice@example.org")
        assert b.get("/auth/me", headers=me).status_code == 200
        assert a.post("/auth/signout", headers=me).status_code == 200
        assert a.get("/auth/me", headers=me).status_code == 401  # at once where it happened
        time.sleep(0.25)
        assert b.get("/auth/me", headers=me).status_code == 401
    one.state.engine.dispose()
    two.state.engine.dispose()


def _enrol(client, headers, clock) -> tuple[str, list[str]]:
    start = client.post("/auth/totp", headers=headers)
    assert start.status_code == 200, start.text
    secret = start.json()["secret"]
    assert start.json()["otpauth_uri"].startswith("otpauth://totp/Garita:")
    r = client.post("/auth/totp/confirm", headers=headers,
                    json={"code": pyotp.TOTP(secret).at(clock.now)})
    assert r.status_code == 200, r.text
    return secret, r.json()["recovery_codes"]


def test_an_applicant_may_turn_on_two_factor(client, clock):
    _sign_up(client, "safe@example.org")
    verify(client, "safe@example.org")
    me = _bearer(_token(client, "safe@example.org"))
    secret, recovery = _enrol(client, me, clock)
    assert len(recovery) == 10 and len(set(recovery)) == 10
    r = _token(client, "safe@example.org")
    assert r.status_code == 401 and r.json()["two_factor"] is True
    assert _token(client, "safe@example.org",  # the enrolment's code is used up
                  code=pyotp.TOTP(secret).at(clock.now)).status_code == 401
    clock.now = clock.now + dt.timedelta(seconds=30)
    code = pyotp.TOTP(secret).at(clock.now)
    assert _token(client, "safe@example.org", code=code).status_code == 200
    assert _token(client, "safe@example.org", code=code).status_code == 401  # no replay
    clock.now = clock.now + dt.timedelta(seconds=30)
    assert _token(client, "safe@example.org",
                  code=pyotp.TOTP(secret).at(clock.now)).status_code == 200
    assert _token(client, "safe@example.org", code=recovery[0]).status_code == 200
    assert _token(client, "safe@example.org", code=recovery[0]).status_code == 401  # once
    r = client.post("/auth/totp/disable", headers=me, json={"code": recovery[1]})
    assert r.status_code == 200
    assert _token(client, "safe@example.org").status_code == 200


def test_staff_must_enrol_when_two_factor_is_required(database_url, clock):
    app = create_app(settings_for(database_url, staff_two_factor="required"), clock=clock)
    with TestClient(app) as client:
        from garita.auth import service as accounts
        from garita.auth.schemas import StaffIn
        from garita.db import transaction
        from garita.identity import Principal, Role

        with transaction(app.state.sessions) as s:
            accounts.create_staff(s, app.state.hasher, StaffIn(
                email="boss@garita.example", password=PASSWORD, role=Role.admin),
                Principal(account_id=0, role=Role.admin))
        limited = _bearer(_token(client, "boss@garita.example"))
        r = client.get("/auth/me", headers=limited)
        assert r.status_code == 403 and "two-factor" in r.json()["detail"]
        assert client.get("/integrity/alerts", headers=limited).status_code == 403
        secret, _ = _enrol(client, limited, clock)
        assert client.get("/auth/sessions", headers=limited).status_code == 401  # ended
        r = _token(client, "boss@garita.example")
        assert r.status_code == 401 and r.json()["two_factor"] is True
        clock.now = clock.now + dt.timedelta(seconds=30)
        full = _bearer(_token(client, "boss@garita.example",
                              code=pyotp.TOTP(secret).at(clock.now)))
        assert client.get("/auth/me", headers=full).json()["role"] == "admin"
        r = client.post("/auth/totp/disable", headers=full, json={"code": "123456"})
        assert r.status_code == 409  # required: staff cannot turn it off
    app.state.engine.dispose()


def test_staff_two_factor_defaults_follow_the_environment(client):
    assert Settings.model_construct(env="production", staff_two_factor=None
                                    ).staff_two_factor_required
    assert not Settings.model_construct(env="development", staff_two_factor=None
                                        ).staff_two_factor_required
    assert Settings.model_construct(env="development", staff_two_factor="required"
                                    ).staff_two_factor_required
    # optional (development): staff sign in to a full session without enrolling
    assert client.get("/auth/me", headers=staff(client, "officer", port="SYS")).status_code == 200


def test_web_sign_up_answers_alike_and_tells_the_owner(client):
    def post(email: str, password: str):
        import re

        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/signup").text).group(1)
        return client.post("/signup", data={"csrf": token, "email": email, "role": "applicant",
                                            "password": password}, follow_redirects=False)

    first = post("owner@example.org", PASSWORD)
    again = post("owner@example.org", "someone else's password")
    assert first.status_code == again.status_code == 200
    assert first.text == again.text and "garita_session" not in again.headers.get(
        "set-cookie", "")
    note = sent(client, "owner@example.org", "account.signup_exists")
    assert "/reset" in note
