"""The statistics routes: public, read-only, typed, with problem+json for bad input."""

from __future__ import annotations

from cbp_files import small_southwest


def test_reports_are_public_and_say_their_source(client, load, tmp_path):
    load(small_southwest(tmp_path / "sw.csv"),
         small_southwest(tmp_path / "sw-dec.csv", months=("DEC",), base=10))
    r = client.get("/stats/encounters", params={"region": "southwest",
                                                "by": "fiscal_year,component"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows"] == [
        {"fiscal_year": 2025, "component": "Office of Field Operations",
         "encounters": 2040 + 30, "partial": True},
        {"fiscal_year": 2025, "component": "U.S. Border Patrol", "encounters": 6014 + 37,
         "partial": True}]
    [source] = body["sources"]
    assert source["dataset"] == "southwest" and source["months"] == 3
    assert source["files"] == ["sw.csv", "sw-dec.csv"]
    months = client.get("/stats/encounters?by=month").json()["rows"]
    assert [m["month"] for m in months] == ["2024-10", "2024-11", "2024-12"]
    assert client.get("/stats/reconcile").json() == []
    imports = client.get("/stats/imports").json()
    assert [i["file_name"] for i in imports] == ["sw-dec.csv", "sw.csv"]
    assert len(imports[0]["sha256"]) == 64


def test_bad_report_queries_are_4xx_problems(client):
    r = client.get("/stats/encounters?region=east")
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = client.get("/stats/encounters?by=fiscal_year,shoe_size")
    assert r.status_code == 422 and "cannot group by shoe_size" in r.json()["detail"]
    r = client.get("/stats/encounters?by=state,encounter_type")
    assert r.status_code == 422 and "group by fewer" in r.json()["detail"]
    r = client.get("/stats/encounters?by=,")
    assert r.status_code == 422
    assert client.get("/stats/encounters?by=month").json()["rows"] == []


def test_the_page_and_its_assets(client):
    r = client.get("/statistics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "No CBP file imported yet" in r.text and "/stats/assets/vega-embed.min.js" in r.text
    assert "cdn" not in r.text.lower()
    r = client.get("/stats/assets/jquery.js")
    assert r.status_code == 404 and "make install" in r.json()["detail"]
    r = client.get("/stats/assets/..%2F..%2Fpyproject.toml")
    assert r.status_code == 404


def test_imports_page_filter_and_sort_with_a_total(client, load, tmp_path):
    load(small_southwest(tmp_path / "sw.csv"),
         small_southwest(tmp_path / "sw-dec.csv", months=("DEC",), base=10))
    r = client.get("/stats/imports", params={"limit": 1})
    assert [i["file_name"] for i in r.json()] == ["sw-dec.csv"]
    assert r.headers["x-total-count"] == "2"
    r = client.get("/stats/imports", params={"sort": "imported", "offset": 1})
    assert [i["file_name"] for i in r.json()] == ["sw-dec.csv"]
    r = client.get("/stats/imports", params={"dataset": "nationwide_aor"})
    assert r.json() == [] and r.headers["x-total-count"] == "0"
    r = client.get("/stats/imports", params={"dataset": "southwest"})
    assert r.headers["x-total-count"] == "2"
