"""At the bus door: notice tokens scan like permits; boarding closes after departure;
permits and notices share one envelope and cannot pass for each other."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers import staff

from garita.corridor import permits
from garita.notices import core, keys

KID, SEED, _ = keys.generate()
OTHER = keys.build({KID: SEED}, {}, None, "unused", production=False)


def test_permit_and_notice_envelopes_do_not_mix():
    token = permits.sign({"v": 1, "n": "FMM-1"}, OTHER.signer)
    assert permits.verify(token, OTHER.public) == ({"v": 1, "n": "FMM-1"}, "ok")
    assert core.verify(token, OTHER.public).reason == "malformed"  # a permit is no notice
    notice_like = "GN1" + token[3:]  # same body and signature, notice prefix
    assert core.verify(notice_like, OTHER.public).reason == "bad_signature"
    assert permits.verify(token, {})[0] is None
    assert "key" in permits.verify(token, {})[1]
    changed = token[:12] + ("A" if token[12] != "A" else "B") + token[13:]
    assert permits.verify(changed, OTHER.public)[0] is None


def _plan(client, clock, confirmed):
    (fam, _, fam_offer), (solo, _, solo_offer), _ = confirmed
    coord = staff(client, "coordinator")
    for who, offer in ((fam, fam_offer), (solo, solo_offer)):
        assert client.post(f"/corridor/appointments/{offer['id']}/seats",
                           headers=who).status_code == 201
    appt = dt.date.fromisoformat(fam_offer["appointment_date"])
    body = {"start": str(appt - dt.timedelta(days=3)), "days": 3, "seconds": 2}
    assert client.post("/corridor/plans", json=body, headers=coord).status_code == 201
    return coord, body


def test_a_notice_scans_at_the_door(client, clock, confirmed):
    (fam, _, fam_offer), _, (city, _, city_offer) = confirmed
    coord, body = _plan(client, clock, confirmed)
    notice = client.get(f"/offers/{fam_offer['id']}/notice", headers=fam).json()["token"]
    first_bus = client.get("/corridor/buses", headers=coord).json()[0]
    # a re-plan puts everyone on new buses: the first one is now "another bus"
    assert client.post("/corridor/plans", json=body, headers=coord).status_code == 201
    bus = client.get("/corridor/buses", headers=coord).json()[0]
    assert bus["id"] != first_bus["id"]
    clock.set_et(dt.date.fromisoformat(bus["departs_at"][:10]), 5)

    def scan(token: str, bus_id: int = bus["id"]) -> dict:
        r = client.post(f"/corridor/buses/{bus_id}/scan", json={"token": token}, headers=coord)
        assert r.status_code == 200, r.text
        return r.json()

    ok = scan(notice)
    assert ok["valid"] and ok["on_this_bus"] and not ok["boarded"]
    assert ok["message"] == "valid, on this bus, not yet boarded" and len(ok["people"]) == 3
    other = scan(notice, first_bus["id"])
    assert other["valid"] and not other["on_this_bus"]
    assert f"seated on bus {bus['code']}" in other["message"]
    assert (other["code"], other["params"]) == ("other_bus", {"bus": bus["code"]})
    city_notice = client.get(f"/offers/{city_offer['id']}/notice", headers=city).json()["token"]
    nobody = scan(city_notice)
    assert nobody["valid"] and not nobody["on_this_bus"] and "not seated on any bus" in (
        nobody["message"])
    forged = core.sign(core.verify(notice, client.app.state.notice_keys.public).payload,
                       OTHER.signer)
    assert scan(forged) == {"valid": False, "on_this_bus": False, "boarded": False,
                            "people": [], "message": "Notice not valid: Signed with a key "
                            "that is not in the public key set.", "code": "invalid",
                            "params": {"document": "notice", "reason": "unknown_key"}}
    middle = len(notice) // 2
    changed = scan(notice[:middle] + ("AA" if notice[middle:middle + 2] != "AA" else "BB")
                   + notice[middle + 2:])
    assert not changed["valid"] and "Notice not valid" in changed["message"]
    for pid in ok["people"]:
        r = client.post(f"/corridor/buses/{bus['id']}/boarding", headers=coord,
                        json={"person_id": pid, "status": "boarded"})
        assert r.status_code == 201, r.text
    again = scan(notice)
    assert again["boarded"] and again["message"] == "valid, on this bus, already boarded"


def test_boarding_closes_after_departure_plus_grace(client, clock, confirmed):
    coord, _ = _plan(client, clock, confirmed)
    bus = client.get("/corridor/buses", headers=coord).json()[0]
    manifest = client.get(f"/corridor/buses/{bus['id']}/manifest.csv", headers=coord).text
    ids = [int(line.split(",")[3]) for line in manifest.splitlines()[2:]]
    left = dt.datetime.fromisoformat(bus["departs_at"])
    clock.now = left + dt.timedelta(minutes=29)  # policy grace: 30 minutes
    r = client.post(f"/corridor/buses/{bus['id']}/boarding", headers=coord,
                    json={"person_id": ids[0], "status": "boarded"})
    assert r.status_code == 201
    clock.now = left + dt.timedelta(minutes=31)
    r = client.post(f"/corridor/buses/{bus['id']}/boarding", headers=coord,
                    json={"person_id": ids[1], "status": "boarded"})
    assert r.status_code == 422 and "boarding closed" in r.json()["detail"]
    assert "record a no-show" in r.json()["detail"]
    r = client.post(f"/corridor/buses/{bus['id']}/boarding", headers=coord,
                    json={"person_id": ids[1], "status": "no_show"})
    assert r.status_code == 201
