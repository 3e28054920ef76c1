"""The OpenAPI document is a contract: Schemathesis holds every operation to it (issue 11).

Every operation of the app's own schema — whatever routes are added later — is
fuzzed in-process (ASGI, no server) on SQLite filled with a small demo population,
as three callers: an admin, an applicant (the demo applicant, who owns a
registration with requests and offers) and an anonymous client; a caller whose
session an earlier case ended (sign-out) is signed in again first. Path ids are
folded into the demo's range so most calls reach the routes' logic rather than a
404. Each response must:

- not be a server error (5xx);
- have a status the operation documents, in a content type it documents;
- match the documented schema (problem+json for errors; times with offsets);
- carry the headers it documents.

Examples per operation are bounded (``MAX_EXAMPLES``, derandomized: the same cases
on every run) so the module stays within about a minute with ``-n 2``. Nothing is
excluded; an operation added without a response model or without its error
statuses documented fails here.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from rich.console import Console
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from garita import migrate
from garita.app import create_app
from garita.db import make_engine
from garita.demo import DEMO_PASSWORDS, run_demo
from kit import ET, Clock, settings_for

MAX_EXAMPLES = int(os.environ.get("GARITA_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
CALLERS = ("admin", "applicant", "anonymous")

# Inside the demo's request window today (13:00 Eastern): requests, offers and
# confirmations are live, as in `make demo`.
NOW = dt.datetime.combine(dt.datetime.now(ET).date(), dt.time(13), tzinfo=ET)
_DB = Path(tempfile.mkdtemp(prefix="garita-contract-")) / "contract.sqlite3"
SETTINGS = settings_for(f"sqlite:///{_DB}", clock_start=NOW)
APP = create_app(SETTINGS, clock=Clock(NOW))

schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}))


@schema.hook
def map_path_parameters(context, path_parameters: dict | None) -> dict | None:
    """Fold generated ids into the demo's range (1..60): most calls then find an object."""
    if not path_parameters:
        return path_parameters
    return {name: (value % 60 + 1 if isinstance(value, int) and name.endswith("id") else value)
            for name, value in path_parameters.items()}


@pytest.fixture(scope="module")
def headers() -> dict[str, dict[str, str]]:
    """The demo's population on a fresh SQLite file, and each caller's headers."""
    migrate.upgrade(make_engine(SETTINGS.database_url))
    run_demo(APP.state.sessions, SETTINGS, registrations=24, days=2, capacity=20, seed=11,
             console=Console(quiet=True))
    with TestClient(APP):
        return {"admin": _bearer(EMAILS["admin"]), "applicant": _bearer(EMAILS["applicant"]),
                "anonymous": {}}


EMAILS = {"admin": "admin@garita.example", "applicant": "applicant@garita.example"}


def _bearer(email: str) -> dict[str, str]:
    r = TestClient(APP).post("/auth/token", data={"username": email,
                                                  "password": DEMO_PASSWORDS[email]})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _signed_in(headers: dict[str, dict[str, str]], caller: str) -> dict[str, str]:
    """The caller's headers, signed in again if an earlier case ended the session (POST
    /auth/signout, /auth/signout-everywhere, DELETE /auth/sessions/{sid}…): otherwise every
    later case would run as a refused token and never reach the routes' logic."""
    token = headers[caller].get("Authorization", "").removeprefix("Bearer ")
    if token and APP.state.tokens.read(token, APP.state.clock()) is None:
        headers[caller] = _bearer(EMAILS[caller])
    return headers[caller]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, headers):
    for caller in CALLERS:
        # Batch jobs (integrity screening) answer slowly on a loaded machine: no timeout.
        case.call_and_validate(headers=_signed_in(headers, caller), checks=CHECKS,
                               timeout=120)
