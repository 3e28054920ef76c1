"""The real CBP files reproduce their published headline figures (shared/data/cbp/SOURCES.md),
and a Southwest-format file over the same months is never counted twice."""

from __future__ import annotations

import pytest
from cbp_files import AOR, STATE, southwest_from_aor

from garita.db import transaction
from garita.stats import service

pytestmark = pytest.mark.skipif(not (AOR.exists() and STATE.exists()),
                                reason=f"the CBP files are not in {AOR.parent} (shared data)")

SOUTHWEST = {2020: (57_437, 400_651), 2021: (75_480, 1_659_206), 2022: (172_508, 2_206_436),
             2023: (429_831, 2_045_838), 2024: (604_482, 1_530_523)}
NATIONWIDE = {2020: 646_822, 2021: 1_956_519, 2022: 2_766_582, 2023: 3_201_144,
              2024: 2_901_142}


def _by(rows: list[dict], *keys: str) -> dict:
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r["encounters"]
            for r in rows}


def test_the_shared_files_give_cbps_headline_figures(load, report):
    results = load(AOR, STATE)
    assert [r.imported.dataset for r in results] == ["nationwide_aor", "nationwide_state"]
    assert [r.imported.rows for r in results] == [68_815, 54_939]
    assert all(r.imported.months == 60 for r in results)

    split = _by(report("southwest", "fiscal_year,component").rows, "fiscal_year", "component")
    for fy, (ofo, usbp) in SOUTHWEST.items():
        assert split[(fy, "Office of Field Operations")] == ofo
        assert split[(fy, "U.S. Border Patrol")] == usbp
    total = report("southwest", "fiscal_year")
    assert _by(total.rows, "fiscal_year") == {fy: o + u for fy, (o, u) in SOUTHWEST.items()}
    assert _by(total.rows, "fiscal_year")[2024] == 2_135_005
    assert not any(r["partial"] for r in total.rows)
    assert [(s.region, s.dataset, s.months) for s in total.sources] == [
        ("Southwest Land Border", "nationwide_aor", 60)]

    assert _by(report("all", "fiscal_year").rows, "fiscal_year") == NATIONWIDE
    northern = _by(report("northern", "fiscal_year").rows, "fiscal_year")
    assert (northern[2023], northern[2024]) == (189_402, 198_929)
    months = _by(report("southwest", "month").rows, "month")
    assert max(months, key=months.get) == "2023-12" and months["2023-12"] == 301_981
    titles = _by(report("southwest", "fiscal_year,title").rows, "fiscal_year", "title")
    assert (titles[(2023, "Title 8")], titles[(2023, "Title 42")]) == (1_911_289, 564_380)
    assert {t for fy, t in titles if fy == 2024} == {"Title 8"}
    aor = _by(report("southwest", "fiscal_year,aor").rows, "fiscal_year", "aor")
    assert aor[(2024, "Tucson Sector")] == 463_567
    assert aor[(2024, "Laredo Field Office")] == 282_300
    assert aor[(2024, "San Diego Field Office")] == 183_890
    assert aor[(2024, "Big Bend Sector")] == 4_921
    citizens = _by(report("southwest", "fiscal_year,citizenship").rows, "fiscal_year",
                   "citizenship")
    assert [citizens[(2024, c)] for c in ("MEXICO", "VENEZUELA", "GUATEMALA", "CUBA",
                                          "HONDURAS")] == [653_684, 261_045, 204_252, 150_995,
                                                           140_479]
    states = report("southwest", "fiscal_year,state")
    assert {s.dataset for s in states.sources} == {"nationwide_state"}
    by_state = _by(states.rows, "fiscal_year", "state")
    assert [by_state[(2024, s)] for s in ("TX", "AZ", "CA", "NM")] == [923_370, 563_980,
                                                                       526_149, 121_506]


def test_a_southwest_file_over_the_same_months_is_not_counted_twice(tmp_path, load, report,
                                                                   sessions):
    load(AOR, STATE, southwest_from_aor(tmp_path / "sw-fy2024.csv", 2024))
    by_year = report("southwest", "fiscal_year,component")
    split = _by(by_year.rows, "fiscal_year", "component")
    assert (split[(2024, "Office of Field Operations")],
            split[(2024, "U.S. Border Patrol")]) == SOUTHWEST[2024]
    assert split[(2023, "U.S. Border Patrol")] == SOUTHWEST[2023][1]
    # FY2024 is read from the Southwest file, the earlier years from the AOR file
    assert sorted((s.dataset, s.first_month, s.last_month) for s in by_year.sources) == [
        ("nationwide_aor", "2019-10", "2023-09"), ("southwest", "2023-10", "2024-09")]
    assert _by(report("all", "fiscal_year").rows, "fiscal_year") == NATIONWIDE
    with transaction(sessions) as s:
        assert service.reconcile(s) == []


def test_reconcile_lists_the_months_where_sources_disagree(tmp_path, load, sessions):
    load(AOR, southwest_from_aor(tmp_path / "sw.csv", 2024, shift={"DEC": 5, "MAR": -2}))
    with transaction(sessions) as s:
        found = service.reconcile(s)
    assert [(d.region, d.month) for d in found] == [("Southwest Land Border", "2023-12"),
                                                    ("Southwest Land Border", "2024-03")]
    december = found[0]
    assert december.totals == {"nationwide_aor": 301_981, "southwest": 301_986}
