"""Importing CBP files as published: recognition, validation, provenance, re-import, releases."""

from __future__ import annotations

import hashlib

import pytest
from cbp_files import SW_HEADER, small_southwest, write_csv
from sqlalchemy import func, select

from garita.db import transaction
from garita.errors import Conflict
from garita.stats import service
from garita.stats.models import StatsEncounter
from garita.stats.parse import FileRefused


def _rows(sessions) -> int:
    with transaction(sessions) as s:
        return s.execute(select(func.count()).select_from(StatsEncounter)).scalar_one()


def test_a_southwest_file_imports_with_bom_crlf_and_thousands(tmp_path, load, report, sessions):
    path = small_southwest(tmp_path / "sw.csv", base=1234)
    [result] = load(path)
    i = result.imported
    assert result.created and i.dataset == "southwest" and i.rows == 8 and i.months == 2
    assert i.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (str(i.first_month), str(i.last_month)) == ("2024-10-01", "2024-11-01")
    rows = report("southwest", "fiscal_year,component").rows
    assert rows == [
        {"fiscal_year": 2025, "component": "Office of Field Operations", "encounters": 2 * 1254,
         "partial": True},
        {"fiscal_year": 2025, "component": "U.S. Border Patrol", "encounters": 2 * (3702 + 7),
         "partial": True}]
    months = report("all", "month").rows
    assert [m["month"] for m in months] == ["2024-10", "2024-11"]
    assert report("northern", "month").rows == []


def test_same_file_again_changes_nothing(tmp_path, load, sessions):
    path = small_southwest(tmp_path / "sw.csv", bom=False, crlf=False)
    [first] = load(path)
    [again] = load(path)
    assert not again.created and again.imported.id == first.imported.id
    assert _rows(sessions) == 8
    with transaction(sessions) as s:
        assert len(service.imports(s)) == 1


def test_a_newer_release_replaces_the_months_it_covers(tmp_path, load, report, sessions):
    load(small_southwest(tmp_path / "a.csv", months=("OCT", "NOV"), base=1000))
    [newer] = load(small_southwest(tmp_path / "b.csv", months=("NOV", "DEC"), base=2000))
    assert newer.created and newer.months_replaced == 1
    by_month = {r["month"]: r["encounters"] for r in report("southwest", "month").rows}
    assert by_month == {"2024-10": 4027, "2024-11": 8027, "2024-12": 8027}
    assert _rows(sessions) == 12
    # the first release, imported again, is recognised (same bytes): no change
    [again] = load(tmp_path / "a.csv")
    assert not again.created and _rows(sessions) == 12


def test_an_older_release_of_held_months_is_refused(tmp_path, load, sessions):
    load(small_southwest(tmp_path / "new.csv", months=("OCT", "NOV", "DEC")))
    older = small_southwest(tmp_path / "old.csv", months=("OCT", "NOV"), base=5)
    with pytest.raises(Conflict, match="older release"):
        load(older)
    assert _rows(sessions) == 12


BAD = [
    (["2025 (FYTD)", "FYTD", "OCT", "Office of Field Operations", "Single Adults", "Mexico",
      "Title 8", "Inadmissibles", "-3"], "line 3: Encounter Count is '-3'"),
    (["2025 (FYTD)", "FYTD", "OCTOBER", "Office of Field Operations", "Single Adults",
      "Mexico", "Title 8", "Inadmissibles", "3"], "line 3: Month (abbv) is 'OCTOBER'"),
    (["twenty", "FYTD", "OCT", "Office of Field Operations", "Single Adults", "Mexico",
      "Title 8", "Inadmissibles", "3"], "line 3: Fiscal Year is 'twenty'"),
    (["2025", "FYTD", "OCT", "Field Ops", "Single Adults", "Mexico", "Title 8",
      "Inadmissibles", "3"], "line 3: Component is 'Field Ops'"),
    (["2025", "FYTD", "OCT", "U.S. Border Patrol", "", "Mexico", "Title 8", "Encounter", "3"],
     "line 3: Demographic is ''"),
    (["2025", "FYTD", "OCT", "U.S. Border Patrol", "Single Adults", "Mexico", "Title 8",
      "Encounter", "1,23"], "line 3: Encounter Count is '1,23'"),
    (["2025", "FYTD", "OCT", "U.S. Border Patrol", "Single Adults"], "line 3: 5 fields"),
    (["2025", "FYTD", "OCT", "U.S. Border Patrol", "Single Adults", "Mexico", "Title 8",
      "Encounter", "3"], "line 3: the same row key appears more than once"),
]


@pytest.mark.parametrize(("bad_row", "reason"), BAD)
def test_a_bad_row_refuses_the_whole_file(tmp_path, load, sessions, bad_row, reason):
    good = ["2025", "FYTD", "OCT", "U.S. Border Patrol", "Single Adults", "Mexico", "Title 8",
            "Encounter", "3"]
    path = write_csv(tmp_path / "bad.csv", SW_HEADER, [good, bad_row, good[:2] + ["NOV"]
                                                       + good[3:]])
    with pytest.raises(FileRefused) as caught:
        load(small_southwest(tmp_path / "fine.csv"), path)  # one transaction: all or none
    assert reason in caught.value.detail and "nothing was loaded" in caught.value.detail
    assert _rows(sessions) == 0


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "the file is empty"),
    (b"Fiscal Year,Month,Count\n2024,OCT,3\n", "is not a CBP encounter file"),
    (",".join(SW_HEADER).encode() + b"\n", "no rows"),
    (",".join(SW_HEADER).encode() + b"\n2025,FYTD,OCT,U.S. Border Patrol,Single Adults,"
     b"M\xe9xico,Title 8,Encounter,3\n", "line 2: not UTF-8"),
])
def test_files_that_are_not_cbp_encounter_files_are_refused(tmp_path, load, sessions, content,
                                                           reason):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(FileRefused, match=reason):
        load(path)
    assert _rows(sessions) == 0


def test_the_header_is_recognised_in_any_order_and_case(tmp_path, load, report):
    header = [h.upper() for h in reversed(SW_HEADER)]
    row = ["2", "Encounter", "Title 8", "Cuba", "FMUA", "U.S. Border Patrol", "jan", "FYTD",
           "2024"]
    [result] = load(write_csv(tmp_path / "rev.csv", header, [row]))
    assert result.imported.dataset == "southwest"
    assert report("southwest", "month,citizenship").rows == [
        {"month": "2024-01", "citizenship": "Cuba", "encounters": 2}]


def test_quoted_fields_blank_lines_and_extra_fields(tmp_path, load, report, sessions):
    head = ",".join(SW_HEADER)
    body = (f"{head}\n2024,FYTD,OCT,U.S. Border Patrol,Single Adults,\"CHINA, PEOPLES REPUBLIC "
            "OF\",Title 8,Encounter,\"1,001\"\n\n2024,FYTD,NOV,U.S. Border Patrol,Single Adults,"
            "Cuba,Title 8,Encounter,4\n")
    (tmp_path / "ok.csv").write_text(body)
    load(tmp_path / "ok.csv")
    assert report("southwest", "citizenship").rows == [
        {"citizenship": "CHINA, PEOPLES REPUBLIC OF", "encounters": 1001},
        {"citizenship": "Cuba", "encounters": 4}]
    (tmp_path / "extra.csv").write_text(body.replace("Cuba,Title 8,Encounter,4",
                                                     "Cuba,Title 8,Encounter,4,5"))
    with pytest.raises(FileRefused, match="line 4: 10 fields where the header has 9"):
        load(tmp_path / "extra.csv")
    assert _rows(sessions) == 2
