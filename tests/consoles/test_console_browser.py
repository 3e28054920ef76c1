"""Each console's main task in a real browser (Debian's Chromium through Playwright), axe-core
on every page: a coordinator plans, prints a manifest and boards a rider; an analyst decides
an alert; an administrator adds a policy version and sees the map change. Screenshots at
tablet width and at 360 px go to test-artifacts/screenshots/ (README's come from them)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from corridor_kit import confirm_three
from fastapi.testclient import TestClient
from staffkit import PASSWORD, make_staff
from test_browser import AXE, CHROMIUM, axe_clean, shot

from garita.db import transaction
from garita.integrity import screening
from garita.integrity.lists import parse_plain
from kit import ET, Clock, applicant, live_server, person, register

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at "
                       "/usr/bin/chromium (apt-get install chromium; .ci/run does)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)"),
]
TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 360, "height": 740}


def _sign_in(browser, base: str, app, role: str, viewport=TABLET, locale="en-US"):
    email = make_staff(app, role, port="ELP" if role == "officer" else None)
    context = browser.new_context(viewport=viewport, locale=locale,
                                  timezone_id="America/Mexico_City", accept_downloads=True)
    page = context.new_page()
    page.goto(base + "/signin")
    page.locator("[name=email]").fill(email)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()
    page.wait_for_url("**/staff/**")
    return context, page


def _both_widths(browser, base, app, role, path, name, locale="en-US"):
    """The page at 360 px too (a phone at the door), axe-clean, with its screenshot."""
    context, page = _sign_in(browser, base, app, role, PHONE, locale)
    page.goto(base + path)
    axe_clean(page)
    shot(page, f"{name}-360")
    context.close()


def test_a_coordinator_plans_prints_and_boards(browser, sqlite_database):
    clock = Clock(dt.datetime(2024, 9, 10, 14, 0, tzinfo=ET))
    with live_server(sqlite_database, clock) as (app, base):
        client = TestClient(app)
        (fam, _, fam_offer), (solo, _, solo_offer), _ = confirm_three(client, clock)
        seat = client.post(f"/corridor/appointments/{fam_offer['id']}/seats", headers=fam).json()
        client.post(f"/corridor/appointments/{solo_offer['id']}/seats", headers=solo)
        context, page = _sign_in(browser, base, app, "coordinator", locale="es-MX")
        assert page.url.endswith("/staff/corridor")
        axe_clean(page)
        appt = dt.date.fromisoformat(fam_offer["appointment_date"])
        page.locator("#start").fill(str(appt - dt.timedelta(days=2)))
        page.locator("#days").fill("2")
        page.locator("#seconds").fill("2")
        page.get_by_role("button", name="Planificar", exact=True).click()
        page.get_by_text("Plan listo.").wait_for(timeout=60_000)  # htmx polled the job
        axe_clean(page)
        page.locator("a[href^='/staff/corridor/buses/']").first.click()
        page.wait_for_url("**/staff/corridor/buses/*")
        with page.expect_download() as download:
            page.get_by_role("link", name="Manifiesto (PDF)").click()
        path = download.value.path()
        assert Path(path).read_bytes().startswith(b"%PDF")
        mine = client.get(f"/corridor/seats/{seat['id']}", headers=fam).json()
        permit = mine["permits"][0]
        clock.set_et(dt.date.fromisoformat(mine["bus"]["departs_at"][:10]), 5)
        page.get_by_label("Código del permiso o del aviso (escanéelo o escríbalo)").fill(
            permit["token"])
        page.get_by_role("button", name="Comprobar").click()
        # the check's answer (the camera scanner has its own, empty, status line)
        result = page.locator("div.ok[role=status]")
        assert "Válido, en este autobús, todavía no abordó." in result.inner_text()
        page.locator("tr.scanned button[value=boarded]").first.click()
        page.wait_for_load_state()
        assert page.locator("tr", has_text=permit["number"]).get_by_text("a bordo").count() == 1
        page.get_by_role("button", name="Abrir el abordaje").click()
        assert "abordando" in page.content()
        axe_clean(page)
        shot(page, "console-coordinator-bus-es")
        bus_path = page.url.removeprefix(base)
        page.goto(base + "/staff/corridor")
        shot(page, "console-coordinator")
        context.close()
        _both_widths(browser, base, app, "coordinator", bus_path, "console-coordinator-bus",
                     locale="es-MX")


def test_an_analyst_decides_an_alert(browser, sqlite_database):
    clock = Clock(dt.datetime(2024, 9, 10, 14, 0, tzinfo=ET))
    with live_server(sqlite_database, clock) as (app, base):
        client = TestClient(app)
        with transaction(app.state.sessions) as s:
            screening.load(s, "test-list", "1", "csv", parse_plain(
                "id,name,aliases,dates_of_birth,countries\n"
                "X1,\"QUINTERO, Rafael Caro\",El Principe,1952-10-03,MEX\n"),
                "test", clock())
        register(client, applicant(client), lead=person(
            given="Rafael", family="Caro Quintero", born="1952-10-03", nationality="MEX"))
        context, page = _sign_in(browser, base, app, "analyst")
        page.get_by_role("link", name="Run jobs").click()
        axe_clean(page)
        page.get_by_role("button", name="Screen against the lists").click()
        page.get_by_role("link", name="See the alerts").wait_for(timeout=60_000)
        page.get_by_role("link", name="See the alerts").click()
        page.select_option("#tier", "act")
        page.get_by_role("button", name="Filter").click()
        axe_clean(page)
        shot(page, "console-analyst")
        page.locator("a[href^='/staff/integrity/alerts/']").first.click()
        assert page.locator("td", has_text="exact").count() >= 2
        axe_clean(page)
        page.get_by_label("Reason (kept in the audit log)").fill("Another man: born in Sinaloa")
        page.get_by_role("button", name="Dismiss").click()
        assert "Another man: born in Sinaloa" in page.get_by_role("status").inner_text()
        shot(page, "console-analyst-alert")
        alert_path = page.url.removeprefix(base)
        page.goto(base + "/staff/integrity/search?name=Rafael+Caro")
        axe_clean(page)
        context.close()
        _both_widths(browser, base, app, "analyst", alert_path, "console-analyst-alert")


def test_an_admin_adds_a_version_and_the_map_changes(browser, sqlite_database):
    clock = Clock(dt.datetime(2024, 9, 10, 14, 0, tzinfo=ET))
    with live_server(sqlite_database, clock) as (app, base):
        context, page = _sign_in(browser, base, app, "admin")
        axe_clean(page)
        page.get_by_role("button", name="Verify the chains now").click()
        page.get_by_text("The chains verify").wait_for(timeout=60_000)
        page.get_by_role("link", name="Policy").first.click()
        page.wait_for_function("document.querySelector('#zones-map').dataset.zones === '2'")
        axe_clean(page)
        rules = json.loads(page.locator("#policy").input_value())
        rules["eligible_area"].append({"nationalities": ["*"], "zones": [
            {"kind": "states", "name": "Oaxaca", "states": ["Oaxaca"]}]})
        page.locator("#effective_from").fill("2024-09-20")
        page.locator("#note").fill("Test: Oaxaca opens")
        page.locator("#policy").fill(json.dumps(rules))
        page.get_by_role("button", name="Add the version").click()
        page.wait_for_url("**/staff/admin/policies?date=2024-09-20")
        page.wait_for_function("document.querySelector('#zones-map').dataset.zones === '3'")
        assert page.locator("#zones-list").inner_text().strip().endswith("Oaxaca")
        shot(page, "console-admin-policy")
        page.goto(base + "/staff/admin/policies?date=2024-09-19")
        page.wait_for_function("document.querySelector('#zones-map').dataset.zones === '2'")
        for path in ("/staff/admin/draws", "/staff/admin/staff", "/staff/admin"):
            page.goto(base + path)
            axe_clean(page)
        shot(page, "console-admin")
        context.close()
        _both_widths(browser, base, app, "admin", "/staff/admin/policies?date=2024-09-20",
                     "console-admin-policy")
