"""Text people type: one Unicode form; NUL, controls and invisible-only names refused with
the right message on both databases (NUL answered "number out of range" on PostgreSQL
and was stored on SQLite)."""

from __future__ import annotations

import pytest

from kit import applicant, registration


def _register(client, **lead: str):
    body = registration()
    body["lead"] |= lead
    return client.post("/registrations", json=body, headers=applicant(client))


@pytest.mark.parametrize(("name", "says"), [
    ("Ana\x00", "NUL"),
    ("Ana\x07Maria", "control character (U+0007)"),
    ("\u200b\u200c\u200d", "no visible character"),
    ("\u202e\u2066", "no visible character"),
])
def test_names_that_cannot_be_names_are_refused_saying_why(client, name, says):
    r = _register(client, given_names=name)
    assert r.status_code == 422, r.text
    assert "given_names" in r.json()["detail"] and says in r.json()["detail"]


def test_names_are_stored_in_one_unicode_form(client):
    decomposed = "Jose\u0301 Mari\u0301a"  # e + combining acute
    r = _register(client, given_names=decomposed, family_names="Pen\u0303a")
    assert r.status_code == 201, r.text
    lead = r.json()["people"][0]
    assert lead["given_names"] == "José María" and lead["family_names"] == "Peña"


def test_a_nul_anywhere_else_is_named_as_such_not_as_a_number(client):
    r = client.post("/notices/check", json={"confirmation_number": "7K3M9\x00QX2PA",
                                            "date_of_birth": "1990-01-01"})
    assert r.status_code == 422 and "out of range" not in r.json()["detail"]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_formula_cells_are_escaped_in_csv_exports(cell):
    import csv
    import io

    from garita.text import spreadsheet_safe

    buf = io.StringIO()
    csv.writer(buf).writerow([spreadsheet_safe(cell), spreadsheet_safe("Ana"), 3])
    read = next(csv.reader(io.StringIO(buf.getvalue())))
    assert read[0] == "'" + cell and read[1] == "Ana" and read[2] == "3"
