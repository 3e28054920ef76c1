"""The public statistics page in a real browser (Debian's Chromium through Playwright):
every chart is drawn by the Vega scripts the app serves itself, nothing from elsewhere."""

from __future__ import annotations

import shutil
from urllib.parse import urlparse

import pytest
from cbp_files import small_southwest

from garita.db import make_engine, make_sessionmaker, transaction
from garita.stats import service
from garita.stats.pages import ASSETS, CHARTS, CHECKOUT_MODULES
from kit import live_server

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason=f"no browser at {CHROMIUM}"),
    pytest.mark.skipif(not all((CHECKOUT_MODULES / p).is_file() for p in ASSETS.values()),
                       reason="Vega is not in node_modules: run make install (npm ci)"),
]


def test_the_page_draws_every_chart_in_a_real_browser(sqlite_database, clock, tmp_path):
    from playwright.sync_api import sync_playwright

    with live_server(sqlite_database, clock) as (app, base):
        data = small_southwest(tmp_path / "sw.csv").read_bytes()
        with transaction(make_sessionmaker(make_engine(sqlite_database))) as s:
            service.import_file(s, "sw.csv", data, clock(), "test")
        hosts, errors = set(), []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            response = page.goto(f"{base}/statistics")
            assert response is not None and response.status == 200
            for name, _ in CHARTS:
                page.wait_for_selector(f"#{name}[data-rendered=true] svg", timeout=30_000)
            marks = page.locator("#encounters_by_component svg .mark-rect path").count()
            assert marks == 4  # two months x two components
            assert page.locator("#funnel svg .mark-rect path").count() == 5
            legend = page.locator("#encounters_by_component svg").text_content() or ""
            assert "Office of Field Operations" in legend
            assert "CBP Southwest Land Border Encounters" in page.content()
            browser.close()
        assert hosts == {urlparse(base).netloc}, hosts
        assert errors == []


def test_the_page_in_spanish_charts_included(sqlite_database, clock, tmp_path):
    """A reader whose browser asks for Spanish gets the page, its tables and its charts'
    titles, axes and funnel steps in Spanish (CBP's category names stay as published),
    with no serious accessibility violation."""
    from playwright.sync_api import sync_playwright

    axe = CHECKOUT_MODULES / "axe-core" / "axe.min.js"
    with live_server(sqlite_database, clock) as (app, base):
        data = small_southwest(tmp_path / "sw.csv").read_bytes()
        with transaction(make_sessionmaker(make_engine(sqlite_database))) as s:
            service.import_file(s, "sw.csv", data, clock(), "test")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(locale="es-MX", extra_http_headers={
                "Accept-Language": "es-MX,es;q=0.9"})
            assert page.goto(f"{base}/statistics").status == 200
            for name, _ in CHARTS:
                page.wait_for_selector(f"#{name}[data-rendered=true] svg", timeout=30_000)
            assert page.locator("html").get_attribute("lang") == "es"
            assert page.locator("h1").text_content() == "El panorama completo en la frontera"
            headings = page.locator("h2").all_text_contents()
            assert "Encuentros en la frontera suroeste, por componente" in headings
            assert "Por año fiscal, frontera suroeste" in headings and "Fuentes" in headings
            assert "Año fiscal" in (page.locator("table").text_content() or "")
            chart = page.locator("#encounters_by_component svg").text_content() or ""
            assert "Encuentros en la frontera suroeste por componente" in chart
            assert "mes" in chart and "encuentros" in chart and "componente" in chart
            assert "Office of Field Operations" in chart  # CBP's own name, as published
            funnel = page.locator("#funnel svg").text_content() or ""
            assert "solicitudes" in funnel and "llegadas (personas)" in funnel
            assert "Garita: de la solicitud a la llegada" in funnel
            if axe.is_file():
                page.add_script_tag(path=str(axe))
                result = page.evaluate("async () => await axe.run(document)")
                bad = [v["id"] for v in result["violations"]
                       if v["impact"] in ("serious", "critical")]
                assert bad == [], bad
            browser.close()
