"""Least privilege for staff: each role reads personal data only as its work needs.

Finding (issue 11): an officer of one port, a coordinator and an analyst each read
40 of 40 registrations' full personal data, including people with appointments at
other ports.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corridor"))
from corridor_kit import confirm_three

from kit import applicant, register, staff


def test_each_staff_role_sees_only_the_registrations_its_work_needs(client, clock):
    (fam, fam_reg, fam_offer), (solo, solo_reg, solo_offer), (city, city_reg, _) = \
        confirm_three(client, clock)  # three confirmed appointments at Brownsville
    other = register(client, applicant(client))  # registered, nothing else
    url = "/registrations/{}".format
    appt = dt.date.fromisoformat(fam_offer["appointment_date"])

    officer_bro, officer_sys = staff(client, "officer", port="BRO"), staff(client, "officer",
                                                                           port="SYS")
    clock.set_et(appt - dt.timedelta(days=1), 9)
    assert client.get(url(fam_reg["id"]), headers=officer_bro).status_code == 200
    r = client.get(url(fam_reg["id"]), headers=officer_sys)  # another port's people
    assert r.status_code == 404 and "their port" in r.json()["detail"]
    assert client.get(url(other["id"]), headers=officer_bro).status_code == 404
    clock.set_et(appt + dt.timedelta(days=10), 9)  # long after the appointment
    assert client.get(url(fam_reg["id"]), headers=officer_bro).status_code == 404
    r = client.get("/ports/BRO/arrivals", params={"date": str(appt)}, headers=officer_bro)
    assert r.status_code == 403 and "only" in r.json()["detail"]
    clock.set_et(appt, 9)
    assert client.get("/ports/BRO/arrivals", params={"date": str(appt)},
                      headers=officer_bro).status_code == 200

    coordinator = staff(client, "coordinator")
    assert client.get(url(fam_reg["id"]), headers=coordinator).status_code == 404
    clock.set_et(appt - dt.timedelta(days=5), 9)
    assert client.post(f"/corridor/appointments/{fam_offer['id']}/seats",
                       headers=fam).status_code == 201
    assert client.get(url(fam_reg["id"]), headers=coordinator).status_code == 200
    assert client.get(url(solo_reg["id"]), headers=coordinator).status_code == 404

    analyst = staff(client, "analyst")
    assert client.get(url(city_reg["id"]), headers=analyst).status_code == 404
    with client.app.state.engine.begin() as c:  # an alert on the city registration
        c.execute(text(
            "INSERT INTO alert (kind, registration_id, severity, status, summary, evidence, "
            "fingerprint, raised_at, raised_by) VALUES ('shared_address', :r, 'medium', "
            "'open', 'test', '{}', :f, CURRENT_TIMESTAMP, 'test')"),
            {"r": city_reg["id"], "f": f"lp-{city_reg['id']}"})
    assert client.get(url(city_reg["id"]), headers=analyst).status_code == 200

    admin = staff(client, "admin")
    assert all(client.get(url(r["id"]), headers=admin).status_code == 200
               for r in (fam_reg, solo_reg, city_reg, other))
