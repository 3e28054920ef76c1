"""Open data: CSV, Parquet and JSON per public table, and a descriptor Frictionless accepts."""

from __future__ import annotations

import csv
import io
import json

import frictionless
import polars as pl
from cbp_files import small_southwest
from typer.testing import CliRunner

from garita.cli import app

runner = CliRunner()


def test_export_writes_files_a_frictionless_validator_accepts(tmp_path, database_url, load,
                                                             monkeypatch):
    load(small_southwest(tmp_path / "sw.csv"))
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    out = tmp_path / "open"
    r = runner.invoke(app, ["stats", "export", str(out)])
    assert r.exit_code == 0, r.output
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "note"])
    package = json.loads((out / "datapackage.json").read_text())
    names = {res["name"] for res in package["resources"]}
    for table in ("cbp-encounters-monthly", "cbp-encounters-by-state", "cbp-imports",
                  "garita-flows-monthly-by-port", "garita-flows-by-fiscal-year",
                  "whole-picture-monthly"):
        assert {f"{table}-{fmt}" for fmt in ("csv", "parquet", "json")} <= names
    monthly = pl.read_parquet(out / "cbp_encounters_monthly.parquet")
    assert monthly["encounters"].sum() == 8054
    assert pl.read_csv(out / "cbp_encounters_monthly.csv").equals(monthly)
    as_json = json.loads((out / "cbp_encounters_monthly.json").read_text())
    assert as_json[0] == monthly.columns and len(as_json) == monthly.height + 1
    fields = package["resources"][0]["schema"]["fields"]
    assert {"name": "month", "type": "yearmonth", "description": "Calendar month, YYYY-MM."} \
        in fields
    assert package["resources"][0]["sources"][0]["path"].startswith("https://www.cbp.gov/")

    # the validator is not a rubber stamp: a count that is not a number fails it
    path = out / "cbp_encounters_monthly.csv"
    path.write_text(path.read_text().replace(",1000,", ",a thousand,", 1))
    assert not frictionless.validate(str(out / "datapackage.json")).valid


def test_open_data_through_the_api(client, load, tmp_path):
    load(small_southwest(tmp_path / "sw.csv"))
    package = client.get("/stats/open-data/datapackage.json")
    assert package.status_code == 200
    paths = [res["path"] for res in package.json()["resources"]]
    assert "cbp_imports.parquet" in paths
    r = client.get("/stats/open-data/cbp_encounters_monthly.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sum(int(row["encounters"]) for row in rows) == 8054
    r = client.get("/stats/open-data/cbp_imports.parquet")
    assert pl.read_parquet(io.BytesIO(r.content))["file_name"].to_list() == ["sw.csv"]
    r = client.get("/stats/open-data/cbp_imports.xlsx")
    assert r.status_code == 404 and "formats csv, parquet, json" in r.json()["detail"]
