"""Assisted confirmation and a correction in a real browser, in Spanish on 360 px phones,
axe-core on every page: an applicant asks for assistance, the NGO that takes it confirms
with her on its own page (photo, location, consent), and the notice is then hers; an
owner corrects a nationality with the reason."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import httpx

from kit import TIJUANA, Clock, ask, live_server, registration, sign_in, staff, verify
from photo_kit import face_jpeg

_spec = importlib.util.spec_from_file_location(
    "browser_kit", Path(__file__).resolve().parents[1] / "web" / "test_browser.py")
assert _spec is not None and _spec.loader is not None
browser_kit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser_kit)
axe_clean, shot, browser = browser_kit.axe_clean, browser_kit.shot, browser_kit.browser
sign_in_page = browser_kit.sign_in_page
pytestmark = browser_kit.pytestmark
ET = dt.timezone(dt.timedelta(hours=-4))


def small_targets(page) -> list[tuple[str, float]]:
    """The page's visible controls under 48 px high (a box or radio counts by its row)."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'main a, main button, main input:not([type=hidden]), main select, main textarea')]
      .filter(e => e.offsetParent !== null)
      .map(e => [e.outerHTML.slice(0, 80),
                 (['checkbox', 'radio'].includes(e.type) ? e.closest('.check') || e : e)
                   .getBoundingClientRect().height])
      .filter(([, h]) => h < 48)""")


def _account(client, email: str, role: str = "applicant") -> None:
    r = client.post("/auth/signup", json={"email": email, "password": "correct horse battery",
                                          "role": role})
    assert r.status_code == 202, r.text
    verify(client, email)


def _phone(browser, **extra):
    return browser.new_context(viewport={"width": 360, "height": 740}, locale="es-MX",
                               timezone_id="America/Mexico_City", **extra)


def test_the_ngo_confirms_with_a_person_who_asked_for_assistance(browser, sqlite_database):
    clock = Clock(dt.datetime(2024, 9, 10, 14, 0, tzinfo=ET))
    with live_server(sqlite_database, clock) as (app, base):
        from fastapi.testclient import TestClient

        client = TestClient(app)
        _account(client, "lucia.assist@example.org")
        _account(client, "albergue@example.org", role="ngo")
        person = sign_in(client, "lucia.assist@example.org")
        rid = client.post("/registrations", json=registration(), headers=person).json()["id"]

        # She asks for assistance from the help page, sharing her registration.
        mine = _phone(browser)
        page = mine.new_page()
        page.goto(f"{base}/language?lang=es&next=/signin")
        sign_in_page(page, base, "lucia.assist@example.org")
        page.wait_for_url("**/me")
        page.goto(f"{base}/help/new?page=/me")
        page.locator("#kind-assistance").check()
        page.select_option("#need", "photo")
        page.locator("#message").fill("No puedo tomarme la foto sola")
        page.locator("#registration_id").fill(str(rid))
        page.locator("#share").check()
        page.get_by_role("button", name="Enviar").click()
        page.get_by_text("Enviado.").wait_for()
        axe_clean(page)

        # She asks for an appointment and is selected (the API, the admin's draw).
        assert ask(client, person, rid, TIJUANA).status_code == 201
        clock.now = dt.datetime(2024, 9, 11, 12, 5, tzinfo=ET)
        assert httpx.post(f"{base}/draws/2024-09-10", headers=staff(client)).status_code == 201

        # The NGO takes the request and confirms with her, on its phone, where she is.
        ngo = _phone(browser, geolocation={"latitude": TIJUANA[0], "longitude": TIJUANA[1]},
                     permissions=["geolocation"])
        desk = ngo.new_page()
        desk.goto(f"{base}/language?lang=es&next=/signin")
        sign_in_page(desk, base, "albergue@example.org")
        desk.wait_for_url("**/desk")
        desk.goto(f"{base}/desk/help")
        axe_clean(desk)
        desk.locator("textarea[name=answer]").first.fill("La ayudamos mañana en el albergue.")
        desk.get_by_role("button", name="Enviar").first.click()
        desk.get_by_role("link", name="Confirmar con la persona").first.click()
        desk.wait_for_url("**/desk/help/*/confirm")
        assert "No puedo tomarme la foto sola" in desk.content()
        axe_clean(desk)
        assert small_targets(desk) == []
        shot(desk, "es-assist")
        desk.set_input_files("#photo", files=[{"name": "face.jpg", "mimeType": "image/jpeg",
                                               "buffer": face_jpeg()}])
        desk.get_by_role("button", name="Compartir mi ubicación").click()
        desk.get_by_text("Ubicación encontrada").wait_for()
        desk.locator("#consent").check()
        desk.get_by_role("button", name="Confirmar", exact=True).click()
        desk.get_by_text("Confirmado para esta persona").wait_for()
        assert "Todas las personas que deben confirmar ya confirmaron" in desk.content()
        axe_clean(desk)
        shot(desk, "es-assist-done")

        # The notice is then hers, on her own account.
        page.goto(f"{base}/me/registrations/{rid}")
        page.get_by_role("link", name="Abrir el aviso").click()
        page.wait_for_function("document.querySelector('img.qr').complete")
        assert page.locator("img.qr").evaluate("i => i.naturalWidth") > 200
        axe_clean(page)
        ngo.close()
        mine.close()


def test_an_owner_corrects_a_nationality_with_the_reason(browser, sqlite_database):
    clock = Clock(dt.datetime(2024, 9, 10, 18, 0, tzinfo=dt.UTC))
    with live_server(sqlite_database, clock) as (app, base):
        from fastapi.testclient import TestClient

        client = TestClient(app)
        _account(client, "nacho.fix@example.org")
        token = sign_in(client, "nacho.fix@example.org")
        reg = client.post("/registrations", json=registration(), headers=token).json()
        lead = reg["people"][0]["id"]
        context = _phone(browser)
        page = context.new_page()
        page.goto(f"{base}/language?lang=es&next=/signin")
        sign_in_page(page, base, "nacho.fix@example.org")
        page.wait_for_url("**/me")
        page.goto(f"{base}/me/registrations/{reg['id']}/people")
        axe_clean(page)
        assert small_targets(page) == []
        page.locator(f"#nationality-{lead}").fill("COL")
        page.locator(f"#reason-{lead}").fill("error al registrar la nacionalidad")
        page.locator(f"form:has(input[name=person_id][value='{lead}']) button[type=submit]"
                     ).click()
        page.get_by_text("Guardado.").wait_for()
        axe_clean(page)
        shot(page, "es-correct-nationality")
        data = client.get(f"/registrations/{reg['id']}/export.json", headers=token).json()
        assert data["people"][0]["nationality"] == "COL"
        assert [(c["fields"], c["reason"]) for c in data["changes"]] == [
            ("nationality", "error al registrar la nacionalidad")]
        context.close()
