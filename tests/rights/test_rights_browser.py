"""The rights and help pages in a real browser, in Spanish on a 360 px phone, axe-core on
each: the privacy notice from sign-up, the wait estimate, corrections, help, and a
deletion through the form's tick box."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

from kit import Clock, live_server, registration, sign_in, verify

_spec = importlib.util.spec_from_file_location(
    "browser_kit", Path(__file__).resolve().parents[1] / "web" / "test_browser.py")
assert _spec is not None and _spec.loader is not None
browser_kit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser_kit)
axe_clean, shot, browser = browser_kit.axe_clean, browser_kit.shot, browser_kit.browser
pytestmark = browser_kit.pytestmark


def test_rights_pages_on_a_phone_in_spanish(browser, sqlite_database):
    clock = Clock(dt.datetime(2024, 9, 10, 18, 0, tzinfo=dt.UTC))
    with live_server(sqlite_database, clock) as (app, base):
        from fastapi.testclient import TestClient

        client = TestClient(app)
        email = "rosa.browser@example.org"
        assert client.post("/auth/signup", json={"email": email,
                                                 "password": "correct horse battery"}
                           ).status_code == 202
        verify(client, email)
        r = client.post("/registrations", json=registration(members=1),
                        headers=sign_in(client, email))
        rid = r.json()["id"]
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(f"{base}/language?lang=es&next=/signup")
        page.get_by_role("link", name="Aviso de privacidad").first.click()
        page.wait_for_url("**/privacy")
        assert "Sus derechos" in page.content()
        axe_clean(page)
        shot(page, "es-privacy")
        page.goto(base + "/signin")
        page.locator("#email").fill(email)
        page.locator("#password").fill("correct horse battery")
        page.locator("form[action='/signin'] button[type=submit]").click()
        page.wait_for_url("**/me")
        page.goto(f"{base}/me/registrations/{rid}")
        assert "Cuánto puede esperar" in page.content()
        axe_clean(page)
        page.get_by_role("link", name="Sus datos").click()
        page.wait_for_url(f"**/me/registrations/{rid}/data")
        axe_clean(page)
        page.get_by_role("link", name="Corregir o cambiar a las personas").click()
        axe_clean(page)
        page.locator("input[name=reason]").first.fill("error de escritura")
        page.locator("input[name=family_names]").first.fill("Pérez Gómez de Luna")
        page.locator("form.card button[type=submit]").first.click()
        page.get_by_text("Guardado.").wait_for()
        axe_clean(page)
        shot(page, "es-people")
        page.goto(f"{base}/help/new?page=/me")
        axe_clean(page)
        page.goto(f"{base}/me/registrations/{rid}/data")
        page.locator("#confirm").check()
        page.get_by_role("button", name="Eliminar").click()
        page.wait_for_url("**/me")
        assert client.get(f"/registrations/{rid}", headers=sign_in(client, email)
                          ).status_code == 404
        context.close()
