"""Test kit shared by every test folder: clock, settings, an empty database, API builders.

Import it as ``from kit import ...`` (``tests/`` is on the path through its
conftest). Fixtures live in ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import text

from garita.auth import service as accounts
from garita.auth.schemas import StaffIn
from garita.db import Base, make_engine, make_sessionmaker, transaction
from garita.identity import Principal, Role
from garita.messaging import service as messaging
from garita.models import Account  # noqa: F401 - registers every table
from garita.policy import service as policies
from garita.settings import Settings

ET = ZoneInfo("America/New_York")
SHARED_DATA = Path(os.environ.get("GARITA_SHARED_DATA",
                                  Path(__file__).resolve().parents[2] / "shared" / "data"))


class Clock:
    """The app's notion of now; tests move it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set_et(self, day: dt.date, hour: int, minute: int = 0) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ET)


def empty_database(url: str) -> None:
    """Delete every row, then load the shipped policy history."""
    engine = make_engine(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            c.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                c.execute(text(f"DELETE FROM {name}"))
    with transaction(make_sessionmaker(engine)) as s:
        policies.seed_history(s)
    engine.dispose()


def settings_for(url: str, **overrides: object) -> Settings:
    values = {"database_url": url, "argon2_time_cost": 1, "argon2_memory_kib": 64,
              "login_rate": "1000/minute", "token_minutes": 60 * 24 * 60, "request_rate": "1000/minute",
              "secret_key": "test-secret-key-not-for-production-0123456789",
              # one test client signs up and in many times from one address
              "login_client_rate": "100000/minute", "login_global_rate": "100000/minute",
              "signup_client_rate": "100000/minute", "signup_global_rate": "100000/minute",
              # the app's wakes go to an in-process queue no test consumes unless it says so
              "job_queue_url": "memory://"}
    values.update(overrides)
    return Settings(**values)


TIJUANA = (32.5149, -117.0382)
CIUDAD_JUAREZ = (31.6904, -106.4245)
MEXICO_CITY = (19.4326, -99.1332)
OAXACA = (17.0732, -96.7266)  # south of 19°N, not Chiapas/Tabasco: the "dead zone"
TAPACHULA = (14.9056, -92.2635)  # Chiapas
GUATEMALA_CITY = (14.6349, -90.5069)

_counter = itertools.count()


def take_photo(client: TestClient, who: dict, offer_id: int, person_id: int) -> None:
    """The member's live photo, as the app takes it before confirming (the policy's
    ``photo_required``, from 2024-03-04): a drawn face, never a real person's."""
    from photo_kit import face_jpeg

    r = client.post(f"/offers/{offer_id}/photos", headers=who, data={"person_id": str(person_id)},
                    files={"photo": ("face.jpg", _face(face_jpeg), "image/jpeg")})
    assert r.status_code == 201, r.text


def _face(make, cached: list = []) -> bytes:  # noqa: B006 - one drawn face for every test
    if not cached:
        cached.append(make())
    return cached[0]


def confirm(client: TestClient, who: dict, offer_id: int, person_id: int,
            where: tuple[float, float], headers: dict | None = None):
    """One member confirms as the app does under the policy in force: photo, then the
    confirmation from ``where``. The confirmation's response."""
    take_photo(client, who, offer_id, person_id)
    return client.post(f"/offers/{offer_id}/confirmations", headers={**who, **(headers or {})},
                       json={"person_id": person_id, "lat": where[0], "lon": where[1]})


def sign_in(client: TestClient, email: str, password: str = "correct horse battery") -> dict:
    r = client.post("/auth/token", data={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _sent(client: TestClient, email: str, template: str) -> list:
    """The outbox rows of this template for an address, newest first (what was sent)."""
    with transaction(client.app.state.sessions) as s:
        return [m for m in messaging.outbox(s, limit=10_000)
                if m.to_address == email and m.template == template]


def sent(client: TestClient, email: str, template: str) -> str:
    """The body of the newest message of this template sent to an address."""
    found = _sent(client, email, template)
    assert found, f"no {template} message was sent to {email}"
    return found[0].body


def sent_code(client: TestClient, email: str) -> str:
    """The six-digit code of the newest verification message (its subject says it)."""
    found = _sent(client, email, "account.verify")
    assert found, f"no verification message was sent to {email}"
    return re.search(r"\b(\d{6})\b", found[0].subject).group(1)


def link_token(body: str, path: str) -> str:
    """The secret of a link (``/verify/<token>``, ``/reset/<token>``) in a message."""
    match = re.search(rf"{path}/([A-Za-z0-9_-]+)", body)
    assert match, f"no {path} link in {body!r}"
    return match.group(1)


def verify(client: TestClient, email: str) -> None:
    """Confirm the email the way a person does: with the link from the message it got."""
    token = link_token(sent(client, email, "account.verify"), "/verify")
    r = client.post("/auth/verify", json={"token": token})
    assert r.status_code == 200, r.text


def page_sign_up(client: TestClient, email: str, role: str = "applicant",
                 password: str = "correct horse battery"):
    """Sign up through the pages as a person does: the form, the link in the email, then
    sign-in. The sign-in's response (a redirect that sets the session cookie)."""
    def csrf(html: str) -> str:
        return re.search(r'name="csrf" value="([^"]+)"', html).group(1)

    r = client.post("/signup", data={"csrf": csrf(client.get("/signup").text), "email": email,
                                     "role": role, "password": password})
    assert r.status_code == 200 and "/verify" in r.text, r.text
    token = link_token(sent(client, email, "account.verify"), "/verify")
    assert client.get(f"/verify/{token}").status_code == 200
    return client.post("/signin", data={"csrf": csrf(client.get("/signin").text), "email": email,
                                        "password": password}, follow_redirects=False)


def applicant(client: TestClient, role: str = "applicant") -> dict:
    email = f"user{next(_counter)}@example.org"
    r = client.post("/auth/signup", json={"email": email, "password": "correct horse battery",
                                          "role": role})
    assert r.status_code == 202, r.text
    verify(client, email)
    return sign_in(client, email)


def staff(client: TestClient, role: str = "admin", port: str | None = None) -> dict:
    app = client.app
    email = f"{role}{next(_counter)}@garita.example"
    with transaction(app.state.sessions) as s:
        accounts.create_staff(s, app.state.hasher,
                              StaffIn(email=email, password="correct horse battery",
                                      role=Role(role), port=port),
                              Principal(account_id=0, role=Role.admin))
    return sign_in(client, email)


def person(given: str = "Ana", family: str = "Pérez Gómez", born: str = "1990-04-02",
           nationality: str = "VEN", **extra: object) -> dict:
    return {"given_names": given, "family_names": family, "date_of_birth": born,
            "country_of_birth": nationality, "nationality": nationality, "sex": "F", **extra}


ADDRESS = {"street": "1234 Main St", "unit": "Apt 2", "city": "Houston", "state": "TX",
           "zip": "77002"}


def _family() -> str:
    """A family name of its own per registration: one person enters a day's draw once
    (issue 11), so registrations made by separate calls are separate people."""
    n, letters = next(_counter), ""
    while True:
        n, r = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if not n:
            return f"Pérez Gómez {letters.capitalize()}"


def registration(members: int = 0, nationality: str = "VEN", **extra: object) -> dict:
    family = _family()
    people = [person(given=f"Member{i}", family=family,
                     born="2015-01-01" if i % 2 else "1988-06-30",
                     nationality=nationality) for i in range(members)]
    return {"language": "es", "phone": "+52 55 1234 5678", "us_address": ADDRESS,
            "lead": person(nationality=nationality, family=family), "members": people, **extra}


def register(client: TestClient, headers: dict, members: int = 0, **extra: object) -> dict:
    r = client.post("/registrations", json=registration(members, **extra), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def ask(client: TestClient, headers: dict, reg_id: int, where: tuple[float, float],
        port: str = "SYS"):
    lat, lon = where
    return client.post(f"/registrations/{reg_id}/requests",
                       json={"port": port, "lat": lat, "lon": lon}, headers=headers)


def next_day(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


@contextlib.contextmanager
def live_server(url: str, clock: Clock, pool_size: int = 20) -> Iterator[tuple[object, str]]:
    """A real uvicorn server on a free loopback port, for tests where requests must race.

    Yields (app, base URL); the database at ``url`` is emptied first.
    """
    import socket
    import threading
    import time

    import uvicorn

    from garita.app import create_app

    empty_database(url)
    app = create_app(settings_for(url, pool_size=pool_size), clock=clock)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
        app.state.engine.dispose()
