"""The journey in a real browser (Debian's Chromium through Playwright), axe-core on every
page: sign up in Spanish, register a family of four, ask from Oaxaca (refused, in
Spanish) and Tapachula (accepted), the admin runs the draw, confirm, open the notice,
ask for bus seats; the NGO's desk on a desktop. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kit import OAXACA, TAPACHULA, Clock, link_token, live_server, sent, staff
from photo_kit import face_jpeg

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at "
                       "/usr/bin/chromium (apt-get install chromium; .ci/run does)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)"),
]


def axe_clean(page) -> None:
    """No serious or critical accessibility violation on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, (page.url, bad)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_link_from_email(page, app, base: str, email: str, template: str, path: str) -> None:
    """Open the link the service sent to ``email`` (the stored message), as its reader."""
    from fastapi.testclient import TestClient

    page.goto(f"{base}{path}/{link_token(sent(TestClient(app), email, template), path)}")


def sign_in_page(page, base: str, email: str, password: str = "correct horse battery") -> None:
    page.goto(base + "/signin")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form[action='/signin'] button[type=submit]").click()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def test_the_journey_on_a_phone_in_spanish(browser, sqlite_database):
    clock = Clock(dt.datetime(2024, 9, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))))
    with live_server(sqlite_database, clock) as (app, base):
        phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-MX",
                                    geolocation={"latitude": OAXACA[0], "longitude": OAXACA[1]},
                                    permissions=["geolocation"], timezone_id="America/Mexico_City")
        page = phone.new_page()
        page.goto(base + "/")
        axe_clean(page)
        page.get_by_role("link", name="Español").click()
        shot(page, "es-home")
        page.get_by_role("link", name="Crear una cuenta").click()
        page.get_by_label("Correo electrónico").fill("familia@example.org")
        page.get_by_label("Contraseña").fill("correct horse battery")
        page.get_by_role("button", name="Crear una cuenta").click()
        assert "Revise su correo" in page.content()  # the same answer for any address
        axe_clean(page)
        open_link_from_email(page, app, base, "familia@example.org", "account.verify",
                             "/verify")
        assert "Correo confirmado" in page.content()
        sign_in_page(page, base, "familia@example.org")
        page.wait_for_url("**/me")
        page.goto(base + "/me/registrations/new?size=4")
        axe_clean(page)
        born = ("1988-03-01", "1990-07-15", "2012-01-20", "2016-05-05")
        for i, prefix in enumerate(("lead", "members.0", "members.1", "members.2")):
            page.locator(f"[name='{prefix}.given_names']").fill(f"Ana{i}")
            page.locator(f"[name='{prefix}.family_names']").fill("Pérez Gómez")
            page.locator(f"[name='{prefix}.date_of_birth']").fill(born[i])
            page.locator(f"[name='{prefix}.nationality']").fill("VEN")
            page.locator(f"[name='{prefix}.country_of_birth']").fill("VEN")
            page.select_option(f"[name='{prefix}.sex']", "F" if i % 2 else "M")
        page.locator("[name=phone]").fill("+52 55 1234 5678")
        page.locator("[name='us_address.street']").fill("1234 Main St")
        page.locator("[name='us_address.city']").fill("Houston")
        page.locator("[name='us_address.state']").fill("TX")
        page.locator("[name='us_address.zip']").fill("770")
        page.get_by_role("button", name="Registrar", exact=True).click()
        assert "El código postal (ZIP) tiene 5 cifras" in page.content()  # beside the field
        axe_clean(page)
        page.locator("[name='us_address.zip']").fill("77002")
        page.get_by_role("button", name="Registrar", exact=True).click()
        page.wait_for_url("**/me/registrations/*")
        registration = page.url
        shot(page, "es-status")
        axe_clean(page)
        page.get_by_role("link", name="Pedir la cita de hoy").click()
        page.select_option("#port", "ELP")
        page.get_by_role("button", name="Compartir mi ubicación").click()
        page.get_by_text("Ubicación encontrada").wait_for()
        page.get_by_role("button", name="Pedir una cita").click()
        refusal = page.get_by_role("alert").inner_text()
        assert "Oaxaca" in refusal and "está fuera del área permitida" in refusal
        shot(page, "es-refused-oaxaca")
        axe_clean(page)
        phone.set_geolocation({"latitude": TAPACHULA[0], "longitude": TAPACHULA[1]})
        page.get_by_role("button", name="Compartir mi ubicación").click()
        page.get_by_text("Ubicación encontrada").wait_for()
        page.get_by_role("button", name="Pedir una cita").click()
        page.wait_for_url(registration)
        assert "Solicitado" in page.content()

        # The admin runs the day's draw (the API), the next day after the draw time.
        clock.now = clock.now + dt.timedelta(days=1)
        from fastapi.testclient import TestClient
        admin = staff(TestClient(app), "admin")
        day = (clock.now - dt.timedelta(days=1)).date()
        import httpx
        r = httpx.post(f"{base}/draws/{day}", headers=admin)
        assert r.status_code in (200, 201), r.text

        # The status card refreshes itself (htmx polls it); here the poll is made now.
        page.evaluate("() => htmx.ajax('GET', location.pathname, "
                      "{target: '#status', select: '#status', swap: 'outerHTML'})")
        page.get_by_text("¡Seleccionado!").wait_for()
        # htmx wires the swapped card after it settles: wait for the first tick
        page.wait_for_function("() => document.querySelector('[data-deadline]')"
                               ".textContent.length > 0")
        countdown = page.locator("[data-deadline]").inner_text()
        assert countdown.startswith("Tiempo restante: ") and not countdown.endswith("0:00:00")
        shot(page, "es-selected")
        page.get_by_role("link", name="Confirmar la cita").click()
        axe_clean(page)
        while page.locator("input[name=person_id]").count():
            page.set_input_files("#photo", files=[{"name": "face.jpg", "mimeType": "image/jpeg",
                                                   "buffer": face_jpeg()}])
            page.get_by_role("button", name="Compartir mi ubicación").click()
            page.get_by_text("Ubicación encontrada").wait_for()
            page.get_by_role("button", name="Confirmar", exact=True).click()
        page.goto(registration)
        page.get_by_role("link", name="Abrir el aviso").click()
        page.wait_for_function("document.querySelector('img.qr').complete")
        assert page.locator("img.qr").evaluate("i => i.naturalWidth") > 200
        shot(page, "es-notice")
        axe_clean(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Descargar el aviso (PDF)").click()
        assert download.value.suggested_filename.endswith(".pdf")
        page.get_by_role("link", name="Un autobús desde Tapachula o Villahermosa").click()
        axe_clean(page)
        page.get_by_role("button", name="Pedir asientos para todo el grupo").click()
        assert "Asientos pedidos para 4 personas desde" in page.content()
        shot(page, "es-seats")
        phone.close()


@pytest.mark.parametrize("language", ["en", "ht", "pt", "ru"])
def test_pages_in_every_language_pass_axe(browser, sqlite_database, language):
    clock = Clock(dt.datetime(2024, 9, 10, 18, 0, tzinfo=dt.UTC))
    with live_server(sqlite_database, clock) as (app, base):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(f"{base}/language?lang={language}&next=/")
        axe_clean(page)
        shot(page, f"{language}-home")
        page.goto(base + "/signup")
        page.locator("#email").fill(f"ngo-{language}@example.org")
        page.locator("#password").fill("correct horse battery")
        page.locator("#role-ngo").check()
        page.locator("form[action='/signup'] button[type=submit]").click()
        axe_clean(page)  # "check your email"
        open_link_from_email(page, app, base, f"ngo-{language}@example.org", "account.verify",
                             "/verify")
        axe_clean(page)
        sign_in_page(page, base, f"ngo-{language}@example.org")
        page.wait_for_url("**/desk")
        axe_clean(page)
        page.goto(base + "/me/registrations/new?size=2")
        page.locator("[name=phone]").fill("+52 55 1234 5678")  # the rest missing
        page.locator("form[action='/me/registrations/new'][method=post] button[type=submit]").click()
        axe_clean(page)  # with an error beside each field
        shot(page, f"{language}-register")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        page.goto(base + "/me/registrations/new?size=1")
        for name, value in (("lead.given_names", "Wilner"), ("lead.family_names", "Désir"),
                            ("lead.date_of_birth", "1985-02-03"), ("lead.nationality", "HTI"),
                            ("lead.country_of_birth", "HTI"), ("phone", "+52 55 1234 5678"),
                            ("us_address.street", "12 Elm St"), ("us_address.city", "Miami"),
                            ("us_address.state", "FL"), ("us_address.zip", "33101")):
            page.locator(f"[name='{name}']").fill(value)
        page.select_option("[name='lead.sex']", "M")
        page.locator("#consent").check()
        page.locator("form[action='/me/registrations/new'][method=post] button[type=submit]").click()
        page.wait_for_url("**/me/registrations/*")
        axe_clean(page)  # the status page
        page.goto(page.url + "/ask")
        axe_clean(page)
        page.locator("#consent").focus()
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
        context.close()


def test_the_ngo_desk_on_a_desktop(browser, sqlite_database):
    clock = Clock(dt.datetime(2024, 9, 10, 18, 0, tzinfo=dt.UTC))
    with live_server(sqlite_database, clock) as (app, base):
        from fastapi.testclient import TestClient

        from kit import register, sign_in, verify
        client = TestClient(app)
        r = client.post("/auth/signup", json={"email": "desk@ngo.example",
                                              "password": "correct horse battery", "role": "ngo"})
        assert r.status_code == 202
        verify(client, "desk@ngo.example")
        headers = sign_in(client, "desk@ngo.example")
        for i in range(23):
            register(client, headers, members=i % 3, nationality="HTI" if i % 2 else "VEN")
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pt-BR")
        page = context.new_page()
        page.goto(base + "/signin")
        page.locator("#email").fill("desk@ngo.example")
        page.locator("#password").fill("correct horse battery")
        page.locator("form[action='/signin'] button[type=submit]").click()
        page.wait_for_url("**/desk")
        assert "23 cadastros encontrados" in page.content()
        assert page.locator("tbody tr").count() == 20
        axe_clean(page)
        shot(page, "pt-desk")
        page.get_by_role("link", name="Próxima página").click()
        assert page.locator("tbody tr").count() == 3
        page.goto(base + "/desk")
        page.locator("#nationality").fill("HTI")
        page.get_by_role("button", name="Buscar").click()
        assert "11 cadastros encontrados" in page.content()
        page.select_option("#stage", "requested")
        page.get_by_role("button", name="Buscar").click()
        assert "0 cadastro encontrado" in page.content()  # CLDR: 0 is singular in pt
        context.close()


def test_password_reset_and_an_offer_declined_in_spanish(browser, sqlite_database):
    """A person who lost the password gets it back by email and keeps the registration
    (selected in yesterday's draw), then declines the offer: all in Spanish, on a phone."""
    from fastapi.testclient import TestClient

    from kit import applicant, ask, register

    clock = Clock(dt.datetime(2024, 9, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))))
    with live_server(sqlite_database, clock) as (app, base):
        client = TestClient(app)
        me = applicant(client)
        email = client.get("/auth/me", headers=me).json()["account_id"]
        with app.state.sessions() as s:
            from garita.auth.models import Account

            email = s.get(Account, email).email
        reg = register(client, me)
        assert ask(client, me, reg["id"], TAPACHULA).status_code == 201
        clock.now = clock.now + dt.timedelta(days=1)
        day = (clock.now - dt.timedelta(days=1)).date()
        assert client.post(f"/draws/{day}", headers=staff(client)).status_code == 201

        phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-MX",
                                    timezone_id="America/Mexico_City")
        page = phone.new_page()
        page.goto(f"{base}/language?lang=es&next=/signin")
        page.get_by_role("link", name="¿Olvidó su contraseña?").click()
        axe_clean(page)
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_role("button", name="Envíenme un enlace").click()
        assert "Revise su correo" in page.content()
        message = sent(client, email, "account.reset")
        assert "Para elegir una contraseña nueva" in message  # the message is in Spanish too
        open_link_from_email(page, app, base, email, "account.reset", "/reset")
        axe_clean(page)
        page.get_by_label("Contraseña nueva").fill("una contraseña nueva y larga")
        page.get_by_role("button", name="Cambiar la contraseña").click()
        assert "Contraseña cambiada" in page.content()
        shot(page, "es-password-changed")
        assert client.get("/auth/me", headers=me).status_code == 401  # old sessions ended
        sign_in_page(page, base, email, "correct horse battery")
        assert page.get_by_role("alert").is_visible()  # the old password no longer works
        sign_in_page(page, base, email, "una contraseña nueva y larga")
        page.wait_for_url("**/me")
        page.goto(f"{base}/me/registrations/{reg['id']}")
        assert "¡Seleccionado!" in page.content()  # the same registration, its offer kept
        page.get_by_role("link", name="No puedo ir: rechazar la oferta").click()
        axe_clean(page)
        shot(page, "es-decline")
        page.get_by_role("button", name="Rechazar la oferta").click()
        page.wait_for_url(f"**/me/registrations/{reg['id']}")
        assert "Usted rechazó su última oferta" in page.content()
        axe_clean(page)
        phone.close()
        with app.state.sessions() as s:
            from garita.audit.models import AuditEntry

            actions = [e.action for e in s.query(AuditEntry).order_by(AuditEntry.id)]
        assert "account.reset_password" in actions and actions[-1] == "offer.decline"
