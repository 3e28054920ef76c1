"""A simulation run's page in a real browser (Debian's Chromium through Playwright): every
chart is drawn by the Vega scripts the app serves itself, the published figures and
two compared runs included, nothing fetched from elsewhere, no serious accessibility
violation."""

from __future__ import annotations

import shutil
from urllib.parse import urlparse

import pytest

from garita.simulation import service
from garita.simulation.charts import CHARTS
from garita.stats.pages import ASSETS, CHECKOUT_MODULES
from kit import live_server

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason=f"no browser at {CHROMIUM}"),
    pytest.mark.skipif(not all((CHECKOUT_MODULES / p).is_file() for p in ASSETS.values()),
                       reason="Vega is not in node_modules: run make install (npm ci)"),
]


def test_a_run_and_a_comparison_draw_every_chart(sqlite_database, clock, tmp_path):
    from playwright.sync_api import sync_playwright

    for name in ("default", "again"):
        shutil.copytree(service.shipped_runs() / "default", tmp_path / name)
    axe = CHECKOUT_MODULES / "axe-core" / "axe.min.js"
    with live_server(sqlite_database, clock) as (app, base):
        app.state.settings = app.state.settings.model_copy(
            update={"simulation_runs_dir": tmp_path})
        hosts, errors = set(), []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(locale="es-MX", extra_http_headers={
                "Accept-Language": "es-MX,es;q=0.9"})
            page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            assert page.goto(f"{base}/statistics/simulations").status == 200
            page.click("a[href='/statistics/simulations/default']")
            for name, _ in CHARTS:
                page.wait_for_selector(f"#{name}[data-rendered=true] svg", timeout=30_000)
            # one line of the run, and the four published figures as points
            assert page.locator("#cumulative svg .mark-line.role-mark path").count() == 1
            assert page.locator("#cumulative svg .mark-symbol.role-mark path").count() == 4
            assert "Citas acumuladas (en negro: publicadas)" in (
                page.locator("#cumulative svg").text_content() or "")
            page.select_option("#compare", "again")
            page.click("#compare-form button")
            page.wait_for_url("**compare=again")
            for name, _ in CHARTS:
                page.wait_for_selector(f"#{name}[data-rendered=true] svg", timeout=30_000)
            assert page.locator("#cumulative svg .mark-line.role-mark path").count() == 2
            assert page.locator("#figures thead th").count() == 4  # measure, two runs, published
            if axe.is_file():
                page.add_script_tag(path=str(axe))
                result = page.evaluate("async () => await axe.run(document)")
                bad = [v["id"] for v in result["violations"]
                       if v["impact"] in ("serious", "critical")]
                assert bad == [], bad
            browser.close()
        assert hosts == {urlparse(base).netloc}, hosts
        assert errors == []
