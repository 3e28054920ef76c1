"""The account's pages: a staff member enrols in two-factor before anything else, then
works; sessions listed and ended from /account."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
from fastapi.testclient import TestClient

from garita.app import create_app
from garita.auth import service as accounts
from garita.auth.schemas import StaffIn
from garita.db import transaction
from garita.identity import Principal, Role
from kit import page_sign_up, settings_for

PASSWORD = "correct horse battery"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_staff_enrol_in_two_factor_on_the_pages_first(database_url, clock):
    app = create_app(settings_for(database_url, staff_two_factor="required"), clock=clock)
    with transaction(app.state.sessions) as s:
        accounts.create_staff(s, app.state.hasher, StaffIn(
            email="desk@garita.example", password=PASSWORD, role=Role.coordinator),
            Principal(account_id=0, role=Role.admin))
    client = TestClient(app)
    r = client.post("/signin", data={"csrf": _csrf(client.get("/signin").text),
                                     "email": "desk@garita.example", "password": PASSWORD},
                    follow_redirects=False)
    assert r.headers["location"] == "/account/two-factor"
    r = client.get("/me", follow_redirects=False)  # nothing else until enrolled
    assert r.status_code == 303 and r.headers["location"] == "/account/two-factor"
    page = client.get("/account/two-factor")
    r = client.post("/account/two-factor", data={"csrf": _csrf(page.text), "step": "start"})
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', r.text).group(1)
    r = client.post("/account/two-factor", data={
        "csrf": _csrf(r.text), "step": "confirm", "code": pyotp.TOTP(secret).at(clock.now)})
    assert r.status_code == 200 and len(re.findall(r"<li><code>", r.text)) == 10
    account = client.get("/account")
    assert account.status_code == 200  # a full session now, the same CSRF nonce
    r = client.post("/signout", data={"csrf": _csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and client.get("/account", follow_redirects=False
                                               ).status_code == 303
    app.state.engine.dispose()


def test_sessions_are_ended_from_the_account_page(app, clock):
    phone, laptop = TestClient(app), TestClient(app)
    page_sign_up(phone, "two@example.org")
    laptop.post("/signin", data={"csrf": _csrf(laptop.get("/signin").text),
                                 "email": "two@example.org", "password": PASSWORD})
    page = phone.get("/account").text
    ends = re.findall(r'action="/account/sessions/([^/]+)/revoke"', page)
    assert len(ends) == 2 and "(este dispositivo)" not in page
    clock.now = clock.now + dt.timedelta(minutes=1)
    r = phone.post("/account/signout-everywhere", data={"csrf": _csrf(page)},
                   follow_redirects=False)
    assert r.status_code == 303
    assert laptop.get("/me", follow_redirects=False).status_code == 303  # signed out there too
