"""The role × route table, held against the OpenAPI document.

Every operation the app publishes must have a row here (a new route without a rule
fails the suite), and every row is tried by every kind of caller: those the row
does not name are refused (401 without a token, 403 otherwise) and those it names
are not. Which *objects* a permitted caller may see (their own registrations, their
port, riders, alerts) is held by the object-level tests (test_least_privilege,
tests/api/test_access.py).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from garita.app import create_app
from kit import applicant, empty_database, settings_for, staff

ANYONE = {"anonymous", "applicant", "ngo", "officer", "coordinator", "analyst", "admin"}
SIGNED_IN = ANYONE - {"anonymous"}
PUBLIC_SIDE = {"applicant", "ngo"}

ROLES: dict[tuple[str, str], set[str]] = {
    ("GET", "/health"): ANYONE,
    ("GET", "/health/ready"): ANYONE,
    ("GET", "/metrics"): ANYONE,
    ("POST", "/auth/signup"): ANYONE,
    ("POST", "/auth/token"): ANYONE,
    ("GET", "/auth/me"): SIGNED_IN,
    ("POST", "/auth/verify"): ANYONE,
    ("POST", "/auth/verify/resend"): ANYONE,
    ("POST", "/auth/password-reset"): ANYONE,
    ("POST", "/auth/password-reset/confirm"): ANYONE,
    ("GET", "/auth/sessions"): SIGNED_IN,
    ("DELETE", "/auth/sessions/{sid}"): SIGNED_IN,
    ("POST", "/auth/signout"): SIGNED_IN,
    ("POST", "/auth/signout-everywhere"): SIGNED_IN,
    ("POST", "/auth/totp"): SIGNED_IN,
    ("POST", "/auth/totp/confirm"): SIGNED_IN,
    ("POST", "/auth/totp/disable"): SIGNED_IN,
    ("POST", "/auth/staff"): {"admin"},
    ("GET", "/auth/staff"): {"admin"},
    ("PATCH", "/auth/staff/{account_id}"): {"admin"},
    ("GET", "/policies"): ANYONE,
    ("POST", "/policies"): {"admin"},
    ("GET", "/policies/in-force"): ANYONE,
    ("GET", "/geofence"): ANYONE,
    ("POST", "/registrations"): PUBLIC_SIDE,
    ("GET", "/registrations"): PUBLIC_SIDE,
    ("GET", "/registrations/{registration_id}"): SIGNED_IN,
    ("PATCH", "/registrations/{registration_id}"): PUBLIC_SIDE,
    ("POST", "/registrations/{registration_id}/requests"): PUBLIC_SIDE,
    ("GET", "/registrations/{registration_id}/status"): SIGNED_IN,
    ("POST", "/offers/{offer_id}/confirmations"): PUBLIC_SIDE,
    ("POST", "/offers/{offer_id}/photos"): PUBLIC_SIDE,
    ("POST", "/offers/{offer_id}/decline"): PUBLIC_SIDE,
    ("POST", "/offers/{offer_id}/cancel"): PUBLIC_SIDE,
    ("GET", "/offers/{offer_id}/notice"): PUBLIC_SIDE,
    ("GET", "/offers/{offer_id}/notice.pdf"): PUBLIC_SIDE,
    ("GET", "/offers/{offer_id}/notice.png"): PUBLIC_SIDE,
    ("GET", "/draws/fairness"): {"analyst", "admin"},
    ("GET", "/draws/{service_date}"): ANYONE,
    ("POST", "/draws/{service_date}"): {"admin"},
    ("GET", "/draws/{service_date}/commitment"): ANYONE,
    ("POST", "/draws/{service_date}/commitment"): {"admin"},
    ("GET", "/draws/{service_date}/publication.json"): ANYONE,
    ("GET", "/draws/{service_date}/inputs.csv"): ANYONE,
    ("GET", "/draws/{service_date}/results.csv"): ANYONE,
    ("GET", "/draws/{service_date}/anchor.json"): ANYONE,
    ("GET", "/notices/keys.json"): ANYONE,
    ("POST", "/notices/verify"): ANYONE,
    ("POST", "/notices/check"): ANYONE,
    ("GET", "/messages/preferences"): PUBLIC_SIDE,
    ("PUT", "/messages/preferences"): PUBLIC_SIDE,
    ("GET", "/messages/mine"): PUBLIC_SIDE,
    ("GET", "/messages/phones"): PUBLIC_SIDE,
    ("POST", "/messages/phones/{registration_id}/code"): PUBLIC_SIDE,
    ("POST", "/messages/phones/{registration_id}/verify"): PUBLIC_SIDE,
    ("GET", "/messages/outbox"): {"admin"},
    ("GET", "/ports/{port}/arrivals"): {"officer", "admin"},
    ("POST", "/ports/{port}/checkins"): {"officer", "admin"},
    ("POST", "/ports/{port}/outcomes"): {"officer", "admin"},
    ("POST", "/ports/{port}/close-day"): {"officer", "admin"},
    ("GET", "/ports/{port}/day-summary"): {"officer", "admin"},
    ("GET", "/ports/{port}/photos/{offer_id}/{person_id}"): {"officer", "admin"},
    ("POST", "/corridor/appointments/{offer_id}/seats"): PUBLIC_SIDE,
    ("GET", "/corridor/seats/{request_id}"): PUBLIC_SIDE,
    ("DELETE", "/corridor/seats/{request_id}"): PUBLIC_SIDE,
    ("GET", "/corridor/demand"): {"coordinator", "admin"},
    ("POST", "/corridor/plans"): {"coordinator", "admin"},
    ("GET", "/corridor/buses"): {"coordinator", "admin"},
    ("GET", "/corridor/buses/{bus_id}/manifest.{fmt}"): {"coordinator", "admin"},
    ("POST", "/corridor/buses/{bus_id}/scan"): {"coordinator", "admin"},
    ("POST", "/corridor/buses/{bus_id}/boarding"): {"coordinator", "admin"},
    ("POST", "/corridor/buses/{bus_id}/status"): {"coordinator", "admin"},
    ("GET", "/integrity/alerts"): {"analyst", "admin"},
    ("GET", "/integrity/alerts/{alert_id}"): {"analyst", "admin"},
    ("POST", "/integrity/alerts/{alert_id}/decision"): {"analyst", "admin"},
    ("POST", "/integrity/jobs/integrity"): {"analyst", "admin"},
    ("POST", "/integrity/jobs/screen"): {"analyst", "admin"},
    ("GET", "/integrity/watchlists"): {"analyst", "admin"},
    ("POST", "/integrity/watchlists/search"): {"analyst", "admin"},
    ("GET", "/stats/encounters"): ANYONE,
    ("GET", "/stats/reconcile"): ANYONE,
    ("GET", "/stats/imports"): ANYONE,
    ("GET", "/stats/flows"): ANYONE,
    ("GET", "/stats/picture"): ANYONE,
    ("GET", "/stats/open-data/datapackage.json"): ANYONE,
    ("GET", "/stats/open-data/{table}.{fmt}"): ANYONE,
    ("GET", "/stats/charts/{name}.{fmt}"): ANYONE,
    ("GET", "/stats/assets/{name}"): ANYONE,
    ("GET", "/statistics"): ANYONE,
    ("GET", "/registrations/{registration_id}/export.json"): PUBLIC_SIDE,
    ("GET", "/registrations/{registration_id}/export.pdf"): PUBLIC_SIDE,
    ("POST", "/registrations/{registration_id}/withdrawal"): PUBLIC_SIDE,
    ("GET", "/registrations/{registration_id}/estimate"): PUBLIC_SIDE,
    ("PATCH", "/registrations/{registration_id}/people/{person_id}"): PUBLIC_SIDE,
    ("POST", "/registrations/{registration_id}/people"): PUBLIC_SIDE,
    ("POST", "/registrations/{registration_id}/people/{person_id}/removal"): PUBLIC_SIDE,
    ("POST", "/registrations/{registration_id}/hand-back"): {"ngo"},
    ("POST", "/help"): SIGNED_IN,
    ("GET", "/help"): {"ngo", "admin"},
    ("GET", "/help/mine"): SIGNED_IN,
    ("GET", "/help/{help_id}/registration"): {"ngo", "admin"},
    ("POST", "/help/{help_id}/answer"): {"ngo", "admin"},
    ("POST", "/help/{help_id}/offers/{offer_id}/confirmations"): {"ngo"},
    ("POST", "/help/{help_id}/offers/{offer_id}/photos"): {"ngo"},
}
PARAMS = {"registration_id": "1", "offer_id": "1", "service_date": "2024-09-10", "port": "SYS",
          "account_id": "1", "request_id": "1", "bus_id": "1", "fmt": "csv", "alert_id": "1",
          "table": "encounters", "name": "funnel", "person_id": "1", "help_id": "1",
          "sid": "not-a-session"}
HEAVY = {("POST", "/integrity/jobs/integrity"), ("POST", "/integrity/jobs/screen"),
         ("POST", "/corridor/plans"), ("POST", "/draws/{service_date}"),
         # they end the caller's session (tests/auth/test_accounts.py): refusals only here
         ("POST", "/auth/signout"), ("POST", "/auth/signout-everywhere")}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('matrix')}/m.sqlite3"
    from garita import migrate
    from garita.db import make_engine

    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    empty_database(url)
    app = create_app(settings_for(url))
    with TestClient(app) as client:
        callers = {"anonymous": {}, "applicant": applicant(client),
                   "ngo": applicant(client, role="ngo"),
                   "officer": staff(client, "officer", port="SYS"),
                   "coordinator": staff(client, "coordinator"),
                   "analyst": staff(client, "analyst"), "admin": staff(client, "admin")}
        yield app, client, callers
    app.state.engine.dispose()


def test_every_published_operation_has_a_rule_and_every_rule_a_route(setup):
    app, _, _ = setup
    published = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert published - ROLES.keys() == set(), "add these routes to ROLES with who may call them"
    assert ROLES.keys() - published == set(), "these rows name routes that are gone"


@pytest.mark.parametrize(("method", "path"), sorted(ROLES))
def test_each_route_refuses_exactly_the_callers_its_rule_leaves_out(setup, method, path):
    _, client, callers = setup
    url = path.format(**PARAMS)
    for who, headers in callers.items():
        if (method, path) in HEAVY and who in ROLES[(method, path)]:
            continue  # allowed: its work is tested elsewhere; here only refusals matter
        body = {} if method in ("POST", "PATCH") else None
        r = client.request(method, url, headers=headers, json=body)
        refused = r.status_code in (401, 403)
        if who in ROLES[(method, path)]:
            assert not refused, f"{who} refused on {method} {path}: {r.status_code} {r.text}"
        else:
            assert refused, f"{who} let through on {method} {path}: {r.status_code}"
            assert r.status_code == (401 if who == "anonymous" else 403)
