"""Web sessions: cookie flags, CSRF on every form, the API's rules, sign-in limits, logout."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from garita.app import create_app
from kit import page_sign_up, settings_for


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _sign_up(client: TestClient, email: str, role: str = "applicant"):
    return page_sign_up(client, email, role)


def test_session_cookie_is_httponly_samesite_and_secure_behind_tls(app):
    client = TestClient(app, base_url="https://testserver")
    r = _sign_up(client, "tls@example.org")
    assert r.status_code == 303
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("garita_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    plain = TestClient(app)
    cookie = next(h for h in _sign_up(plain, "plain@example.org").headers.get_list("set-cookie")
                  if h.startswith("garita_session="))
    assert "HttpOnly" in cookie and "Secure" not in cookie


def test_a_form_without_the_csrf_token_changes_nothing(app):
    client = TestClient(app)
    client.get("/signup")
    r = client.post("/signup", data={"csrf": "forged", "email": "x@example.org",
                                     "password": "correct horse battery"})
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    assert TestClient(app).post("/auth/token", data={"username": "x@example.org",
                                                     "password": "correct horse battery"}
                                ).status_code == 401  # no account was made
    _sign_up(client, "real@example.org")
    r = client.post("/me/registrations/new", data={"size": "1"})  # no token at all
    assert r.status_code == 403


def test_pages_apply_the_api_rules(app):
    owner, other = TestClient(app), TestClient(app)
    _sign_up(owner, "owner@example.org")
    _sign_up(other, "other@example.org")
    assert other.get("/desk").status_code == 403  # the desk is the NGO's
    assert other.get("/me/registrations/1").status_code == 404
    anonymous = TestClient(app)
    r = anonymous.get("/me", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/signin?next=/me"


def test_sign_in_is_rate_limited_and_sign_out_ends_the_session(database_url, clock):
    app = create_app(settings_for(database_url, login_rate="4/minute"), clock=clock)
    client = TestClient(app)
    _sign_up(client, "limit@example.org")  # one sign-in of the four
    copied = TestClient(app, cookies={"garita_session": client.cookies["garita_session"]})
    assert copied.get("/me", follow_redirects=False).status_code == 200  # a copied cookie
    token = _csrf(client.get("/me").text)
    r = client.post("/signout", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/me", follow_redirects=False).status_code == 303  # signed out
    # the session ended on the server: the copy no longer works either
    assert copied.get("/me", follow_redirects=False).status_code == 303
    token = _csrf(client.get("/signin").text)
    codes = [client.post("/signin", data={"csrf": token, "email": "limit@example.org",
                                          "password": "wrong password!"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    app.state.engine.dispose()


def test_an_ngo_acts_for_a_person_only_with_consent_recorded(app):
    from sqlalchemy import func, select

    from garita.audit.models import AuditEntry
    from garita.registrations.models import Registration

    client = TestClient(app)
    _sign_up(client, "desk@ngo.example", role="ngo")
    form = {"size": "1", "phone": "+52 55 1234 5678", "us_address.street": "12 Elm St",
            "us_address.city": "Miami", "us_address.state": "FL", "us_address.zip": "33101",
            "lead.given_names": "Wilner", "lead.family_names": "Désir",
            "lead.date_of_birth": "1985-02-03", "lead.nationality": "HTI",
            "lead.country_of_birth": "HTI", "lead.sex": "M"}
    form["csrf"] = _csrf(client.get("/me/registrations/new").text)
    r = client.post("/me/registrations/new", data=form)
    assert r.status_code == 422 and 'id="consent-error"' in r.text
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 0  # nothing stored
    r = client.post("/me/registrations/new", data={**form, "consent": "yes"},
                    follow_redirects=False)
    assert r.status_code == 303
    with app.state.sessions() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "consent.given"))
        assert entry is not None and entry.actor.startswith("ngo:")
