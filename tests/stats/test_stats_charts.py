"""Charts: Vega-Lite specifications whose data are the reports, rendered to SVG and PNG."""

from __future__ import annotations

from cbp_files import small_southwest
from typer.testing import CliRunner

from garita.cli import app

runner = CliRunner()


def test_chart_specs_hold_the_report_and_render_statically(client, load, tmp_path):
    load(small_southwest(tmp_path / "sw.csv"))
    spec = client.get("/stats/charts/encounters_by_component.json").json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    values = spec["data"]["values"]
    assert sum(v["encounters"] for v in values) == 8054
    assert {v["component"] for v in values} == {"Office of Field Operations",
                                                "U.S. Border Patrol"}
    svg = client.get("/stats/charts/encounters_by_component.svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.startswith("<svg") and "Southwest border encounters by component" in svg.text
    png = client.get("/stats/charts/funnel.png")
    assert png.content.startswith(b"\x89PNG")
    funnel = client.get("/stats/charts/funnel.json").json()["data"]["values"]
    assert [f["step"] for f in funnel][:3] == ["requests", "offers", "confirmations"]
    assert client.get("/stats/charts/pie.svg").status_code == 404


def test_charts_from_the_command_line(tmp_path, database_url, load, monkeypatch):
    load(small_southwest(tmp_path / "sw.csv"))
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    r = runner.invoke(app, ["stats", "charts", str(tmp_path / "c"), "--format", "png"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == [
        "encounters_by_citizenship.png", "encounters_by_component.png",
        "encounters_by_demographic.png", "funnel.png"]
    r = runner.invoke(app, ["stats", "charts", str(tmp_path / "c"), "--format", "gif"])
    assert r.exit_code == 2 and "use svg or png" in r.output
