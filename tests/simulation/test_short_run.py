"""A short scenario end to end through the CLI: files, summary, comparison."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
from typer.testing import CliRunner

from garita.cli import app
from garita.simulation.scenario import SCHEME_START, Scenario, load, shipped, timeline

SHORT = """
name = "{name}"
start = 2024-08-20
end = 2024-09-06
seed = {seed}
[demand]
registrations = [{{ since = 2024-08-20, per_day = 2500 }}]
corridor_uptake = 1.0
{extra}
"""


def _scenario(tmp_path, name, seed=7, extra=""):
    path = tmp_path / f"{name}.toml"
    path.write_text(SHORT.format(name=name, seed=seed, extra=extra), "utf-8")
    return path


def _run(path, out):
    result = CliRunner().invoke(app, ["sim", "run", str(path), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_short_run_end_to_end(tmp_path):
    summary = _run(_scenario(tmp_path, "short"), tmp_path / "a")
    daily = pl.read_parquet(tmp_path / "a" / "daily.parquet")
    assert daily.height == 17 and summary["runtime_s"] > 0
    assert set(summary["cumulative_appointments"]) >= {"2023-06-30", "2024-01-31",
                                                       "2024-08-31", "2025-01-20"}
    by_aug31 = summary["cumulative_appointments"]["2024-08-31"]
    assert by_aug31 == int(daily.filter(pl.col("date") <= dt.date(2024, 8, 31))
                           ["appointments"].sum()) > 0
    # the geofence opened Chiapas and Tabasco on 2024-08-23: refusals drop that day
    refused = dict(zip(daily["date"], daily["refused_geofence"], strict=True))
    assert refused[dt.date(2024, 8, 23)] < refused[dt.date(2024, 8, 22)]
    # the corridor runs from 2024-08-30 (everyone in the south asks for a seat here)
    assert daily.filter(pl.col("date") < dt.date(2024, 8, 30))["buses"].sum() == 0
    assert summary["corridor"]["riders"] > 0
    waiting = pl.read_parquet(tmp_path / "a" / "waiting.parquet")
    assert {"nationality", "origin_kind", "group_size", "port"} <= set(waiting["by"])
    assert (tmp_path / "a" / "charts" / "cumulative_appointments.vl.json").exists()
    again = _run(_scenario(tmp_path, "short"), tmp_path / "b")
    assert again["cumulative_appointments"] == summary["cumulative_appointments"]  # seeded


def test_compare_prints_and_charts_differences(tmp_path):
    _run(_scenario(tmp_path, "base"), tmp_path / "a")
    _run(_scenario(tmp_path, "more", extra="[[adjust]]\nsince = 2024-08-20\n"
                   "capacity_factor = 1.5\n"), tmp_path / "b")
    result = CliRunner().invoke(app, ["sim", "compare", str(tmp_path / "a"), str(tmp_path / "b"),
                                      "--json", "--charts", str(tmp_path / "cmp")])
    assert result.exit_code == 0, result.output
    rows = {r["measure"]: r for r in json.loads(result.stdout)}
    more = rows["cumulative_appointments.2024-08-31"]
    assert more["b"] > more["a"] and more["change"] == more["b"] - more["a"]
    assert (tmp_path / "cmp" / "cumulative_appointments.png").stat().st_size > 1000


def test_bad_inputs_say_what_to_fix(tmp_path):
    runner = CliRunner()
    both = runner.invoke(app, ["sim", "run", "--default", "x.toml"])
    assert both.exit_code == 2 and "one of them" in both.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[demand]\nrequest_probability = 2\n', "utf-8")
    refused = runner.invoke(app, ["sim", "run", str(bad)])
    assert refused.exit_code == 2 and "request_probability" in refused.stderr
    missing = runner.invoke(app, ["sim", "compare", str(tmp_path), str(tmp_path)])
    assert missing.exit_code == 2 and "holds no run" in missing.stderr
    early = _scenario(tmp_path, "early").read_text().replace("2024-08-20", "2022-01-01", 1)
    (tmp_path / "early.toml").write_text(early.replace("end = 2024-09-06", "end = 2022-02-01"))
    before = runner.invoke(app, ["sim", "run", str(tmp_path / "early.toml")])
    assert before.exit_code == 2 and "history starts 2023-01-12" in before.stderr


def test_shipped_what_ifs_load_and_change_the_policy():
    names = ["capacity_plus_50", "no_longest_waiting", "no_chiapas_tabasco", "oaxaca",
             "corridor_fleet_x2"]
    for name in names:
        scenario = load(shipped(name))
        assert scenario.start == SCHEME_START and scenario.adjust
    base = {v.effective_from: v.policy for v in timeline(Scenario())}
    more = {v.effective_from: v.policy for v in timeline(load(shipped("capacity_plus_50")))}
    day = dt.date(2023, 6, 30)
    assert more[day].port_capacity == {p: round(c * 1.5)
                                       for p, c in base[day].port_capacity.items()}
    assert more[dt.date(2023, 1, 12)] == base[dt.date(2023, 1, 12)]
    oaxaca = {v.effective_from: v.policy for v in timeline(load(shipped("oaxaca")))}
    names_after = [z.name for r in oaxaca[dt.date(2024, 8, 23)].eligible_area for z in r.zones]
    assert "Oaxaca" in names_after
    dropped = {v.effective_from: v.policy for v in timeline(load(shipped("no_chiapas_tabasco")))}
    for day in (dt.date(2024, 8, 23), dt.date(2024, 8, 30)):
        assert all(z.name != "Chiapas and Tabasco" for r in dropped[day].eligible_area
                   for z in r.zones)
    assert any(z.name == "Chiapas and Tabasco" for r in base[dt.date(2024, 8, 30)].eligible_area
               for z in r.zones)
