"""The public pages of simulation runs: the runs in the configured folder (or the one
shipped), a run's figures against the published ones, two runs side by side, and a
name that is not a run refused with the names there are."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient

from garita.app import create_app
from garita.simulation import service
from kit import settings_for


@pytest.fixture
def site(sqlite_database, clock):
    app = create_app(settings_for(sqlite_database), clock=clock)
    with TestClient(app) as client:
        yield app, client
    app.state.engine.dispose()


def _point_at(app, folder):
    app.state.settings = app.state.settings.model_copy(update={"simulation_runs_dir": folder})


def test_unset_the_page_lists_the_shipped_default_run(site):
    app, client = site
    page = client.get("/statistics/simulations")
    assert page.status_code == 200
    assert 'href="/statistics/simulations/default"' in page.text
    assert "The real scheme, 2023-01-12 to 2025-01-20" in page.text
    assert 'href="/statistics/simulations"' in client.get("/statistics").text


def test_a_run_shows_its_figures_and_inlines_each_chart(site):
    app, client = site
    summary = service.summaries(service.shipped_runs())[0][1]
    page = client.get("/statistics/simulations/default")
    assert page.status_code == 200
    jan = summary["cumulative_appointments"]["2024-01-31"]
    assert f"{jan:,}" in page.text and "459,118" in page.text
    specs = {m[0]: json.loads(m[1]) for m in re.findall(
        r'<script type="application/json" id="spec-(\w+)">(.*?)</script>', page.text, re.S)}
    assert set(specs) == {"cumulative", "waiting", "buses", "seat_use", "dead_zone"}
    published = specs["cumulative"]["layer"][1]["data"]["values"]
    assert [p["persons"] for p in published] == [170_000, 459_118, 765_000, 936_500]
    buses = specs["buses"]["data"]["values"]
    assert sum(w["buses"] for w in buses) == summary["corridor"]["buses"]


def test_two_runs_side_by_side_in_spanish(site, tmp_path):
    app, client = site
    for name in ("default", "other"):
        shutil.copytree(service.shipped_runs() / "default", tmp_path / name)
    (tmp_path / "not-a-run").mkdir()
    _point_at(app, tmp_path)
    listing = client.get("/statistics/simulations").text
    assert "/statistics/simulations/other" in listing and "not-a-run" not in listing
    page = client.get("/statistics/simulations/default?compare=other",
                      headers={"Accept-Language": "es"})
    assert page.status_code == 200
    assert "Corrida simulada: default" in page.text
    assert "Citas acumuladas y las cifras publicadas" in page.text
    spec = json.loads(re.search(r'id="spec-cumulative">(.*?)</script>', page.text, re.S)[1])
    assert {r["run"] for r in spec["layer"][0]["data"]["values"]} == {"default", "other"}
    assert spec["layer"][0]["encoding"]["y"]["title"] == "citas (personas)"


def test_a_name_that_is_not_a_run_is_refused_with_the_runs_there_are(site, tmp_path):
    app, client = site
    shutil.copytree(service.shipped_runs() / "default", tmp_path / "default")
    _point_at(app, tmp_path)
    for path in ("/statistics/simulations/%2E%2E", "/statistics/simulations/nothing",
                 "/statistics/simulations/default?compare=nothing",
                 "/statistics/simulations/default?compare=..%2Fdefault"):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "no simulation run" in page.text and "the runs are default" in page.text
    assert client.get("/statistics/simulations/..%2F..%2Fetc").status_code == 404


@pytest.mark.parametrize(("lang", "said"), [
    ("es", "no hay corrida simulada 'nothing': las corridas son default"),
    ("pt", "não há execução simulada 'nothing': as execuções são default"),
    ("ht", "pa gen similasyon 'nothing': similasyon yo se default"),
    ("ru", "нет прогона симуляции 'nothing': есть прогоны default")])
def test_an_unknown_run_is_refused_in_the_readers_language(site, tmp_path, lang, said):
    app, client = site
    shutil.copytree(service.shipped_runs() / "default", tmp_path / "default")
    _point_at(app, tmp_path)
    client.cookies.set("garita_lang", lang)
    page = client.get("/statistics/simulations/nothing")
    text = html.unescape(page.text).lower()
    assert page.status_code == 404
    assert said.lower() in text and "no simulation run" not in text
    empty = tmp_path / "empty"
    empty.mkdir()
    _point_at(app, empty)
    none = client.get("/statistics/simulations/nothing").text
    assert "garita sim run" in none and "the runs are" not in none and "none (make" not in none
