"""The officer's console and the confirmation photo in Chromium with a fake camera: the
applicant takes the photo with the camera at confirmation; the officer scans the notice's
QR code shown to the camera (a .y4m made from the notice's QR image), sees the photo, checks
the group in, records the outcome and closes the day. axe-core on every page; screenshots
at tablet width and 360 px."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_browser import ARGS, AXE, CHROMIUM, axe_clean, shot

from garita.db import transaction
from garita.integrity.models import Alert
from garita.integrity.summaries import summary
from kit import TIJUANA, Clock, ask, live_server, register, sign_in, staff, verify
from photo_kit import face_image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ports"))
from port_days import APPOINTMENT_DAY, REQUEST_DAY

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)"),
]
PASSWORD = "correct horse battery"


def y4m(image: Image.Image, path: Path, frames: int = 10) -> Path:
    """A still picture as a YUV4MPEG2 video (4:2:0), what Chromium's fake camera plays."""
    width, height = (d - d % 2 for d in image.size)
    ycc = np.asarray(image.convert("RGB").resize((width, height)).convert("YCbCr"))
    planes = ycc[:, :, 0].tobytes() + ycc[::2, ::2, 1].tobytes() + ycc[::2, ::2, 2].tobytes()
    with path.open("wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + planes)
    return path


def _launch(p, video: Path):
    return p.chromium.launch(executable_path=str(CHROMIUM), args=[
        *ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])


def _sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/signin")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()


def test_photo_at_confirmation_then_the_officer_scans_decides_and_closes(sqlite_database,
                                                                         tmp_path):
    from fastapi.testclient import TestClient
    from playwright.sync_api import sync_playwright

    clock = Clock(dt.datetime(2024, 9, 10, 14, tzinfo=dt.UTC))
    with live_server(sqlite_database, clock) as (app, base), sync_playwright() as p:
        api = TestClient(app)
        clock.set_et(REQUEST_DAY, 14)
        email = "photo-family@example.org"
        assert api.post("/auth/signup", json={"email": email, "password": PASSWORD,
                                              "role": "applicant"}).status_code == 202
        verify(api, email)  # sign-in needs a confirmed email
        me = sign_in(api, email)
        reg = register(api, me)
        assert ask(api, me, reg["id"], TIJUANA, port="SYS").status_code == 201
        clock.set_et(REQUEST_DAY + dt.timedelta(days=1), 12, 5)
        assert api.post(f"/draws/{REQUEST_DAY}", headers=staff(api)).status_code == 201
        offer = api.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]

        # The applicant: the camera takes the photo, the location is shared, confirmed.
        browser = _launch(p, y4m(face_image(640, 480), tmp_path / "face.y4m"))
        phone = browser.new_context(viewport={"width": 360, "height": 740},
                                    geolocation={"latitude": TIJUANA[0], "longitude": TIJUANA[1]},
                                    permissions=["geolocation", "camera"])
        page = phone.new_page()
        _sign_in(page, base, email)
        page.goto(f"{base}/me/offers/{offer['id']}/confirm")
        axe_clean(page)
        page.get_by_role("button", name="Open the camera").click()
        page.wait_for_function("document.querySelector('[data-camera-view]').videoWidth > 0")
        page.get_by_role("button", name="Take the photo").click()
        page.get_by_text("Photo taken.").wait_for()
        shot(page, "en-confirm-photo")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
        page.get_by_role("button", name="Share my location").click()
        page.get_by_text("Location found").wait_for()
        page.get_by_role("button", name="Confirm", exact=True).click()
        page.wait_for_url(f"**/me/registrations/{reg['id']}")
        browser.close()
        notice = api.get(f"/offers/{offer['id']}/notice", headers=me).json()
        assert [m["nationality"] for m in notice["payload"]["members"]] == ["VEN"]

        with transaction(app.state.sessions) as s:  # as the integrity engine stores one
            evidence = {"attribute": "address", "value": "1234 MAIN ST HOUSTON TX",
                        "people": 12, "registrations": 11, "surname_count": 9,
                        "ports": ["BRO", "ELP"]}
            s.add(Alert(kind="shared_address", registration_id=reg["id"],
                        person_id=reg["people"][0]["id"], severity="high", status="open",
                        summary=summary("shared_address", evidence), evidence=evidence,
                        fingerprint="browser-test", raised_by="analyst:9",
                        raised_at=dt.datetime(2024, 9, 12, tzinfo=dt.UTC)))

        # The officer at the booth: the notice's QR in front of the camera.
        qr = api.get(f"/offers/{offer['id']}/notice.png", headers=me).content
        frame = Image.new("RGB", (640, 480), "white")
        code = Image.open(io.BytesIO(qr)).convert("RGB")
        code.thumbnail((440, 440))
        frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
        browser = _launch(p, y4m(frame, tmp_path / "qr.y4m"))
        clock.set_et(APPOINTMENT_DAY, 10, 20)
        officer = "officer-sys@garita.example"
        r = api.post("/auth/staff", headers=staff(api), json={
            "email": officer, "password": PASSWORD, "role": "officer", "port": "SYS"})
        assert r.status_code == 201, r.text
        for name, size in (("tablet", {"width": 1024, "height": 768}),
                           ("phone", {"width": 360, "height": 740})):
            booth = browser.new_context(viewport=size, permissions=["camera"])
            page = booth.new_page()
            _sign_in(page, base, officer)
            page.goto(base + "/staff/port")
            axe_clean(page)
            shot(page, f"en-port-day-{name}")
            if name == "phone":
                page.locator("#code").fill(notice["confirmation_number"])
                page.get_by_role("button", name="Find the group").click()
            else:
                page.get_by_role("button", name="Scan with the camera").click()
            page.wait_for_url(f"**/staff/port/SYS/groups/{offer['id']}")
            page.wait_for_function("document.querySelector('img.face').complete")
            assert page.locator("img.face").evaluate("i => i.naturalWidth") > 100
            alerts = page.locator("section.alerts").inner_text()
            assert "The same address given by 12 people" in alerts and "BRO, ELP" in alerts
            axe_clean(page)
            shot(page, f"en-port-group-{name}")
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
            small = page.evaluate("""() => [...document.querySelectorAll(
                'main button, main a, main input, main select')].filter(e => e.offsetParent &&
                e.getBoundingClientRect().height < 48 && e.type !== 'checkbox' &&
                e.type !== 'hidden').map(e => e.outerHTML.slice(0, 80))""")
            assert not small, small  # gloves: every target at least 48 px high
            if name == "tablet":
                page.locator("#identity").check()
                page.get_by_role("button", name="Check the group in").click()
                page.select_option("select[name=decision]", "paroled:humanitarian")
                page.locator("input[name=parole_until]").fill("2025-09-13")
                page.get_by_role("button", name="Record the outcome").click()
                assert "Decided" in page.content()
                axe_clean(page)
            booth.close()
        clock.set_et(APPOINTMENT_DAY, 23, 30)
        booth = browser.new_context(viewport={"width": 1024, "height": 768})
        page = booth.new_page()
        _sign_in(page, base, officer)
        page.goto(f"{base}/staff/port/SYS?date={APPOINTMENT_DAY}")
        page.get_by_role("button", name="Close the day").click()
        page.get_by_text("This day is closed").wait_for()
        axe_clean(page)
        shot(page, "en-port-closed")
        browser.close()
