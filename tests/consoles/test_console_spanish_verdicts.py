"""Spanish staff pages say their verdicts in Spanish too: every boarding scan at the bus
door (already boarded, not yet, another bus, no seat, forged, unreadable, closed), and the
analyst's job card with a note or an error. The services keep their English for the API;
the pages say the codes (and, for the job card, the service's sentence) via the catalogues."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from corridor_kit import confirm_three
from staffkit import csrf
from test_console_spanish import _job, _spanish, visible

from garita.db import transaction
from garita.integrity import screening
from garita.integrity.lists import parse_plain
from garita.notices import core, keys
from kit import staff

KID, SEED, _ = keys.generate()
OTHER = keys.build({KID: SEED}, {}, None, "unused", production=False)
# The scan verdict's English words (boarding.scan's messages and their reasons).
ENGLISH = re.compile(r"\b(valid|on this bus|boarded|seated|bus|Permit|Notice|signature|"
                     r"signed|key|superseded|issued|closed|left|forged|Garita permit|"
                     r"Garita notice|cannot be read)\b")


def _verdict(coord, bus_id: int, token: str) -> str:
    """The scan's verdict box on the Spanish bus page, as a reader sees it."""
    page = coord.get(f"/staff/corridor/buses/{bus_id}")
    r = coord.post(f"/staff/corridor/buses/{bus_id}/scan",
                   data={"csrf": csrf(page.text), "token": token})
    assert r.status_code == 200, r.text
    box = re.search(r'(?s)<div class="(?:ok|problem)" role="status">(.*?)</div>', r.text)
    assert box is not None, visible(r.text)
    said = visible(box.group(1)).strip()
    assert not ENGLISH.findall(said), said
    return said


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_boarding_verdict_in_spanish_says_no_english(client, clock, app):
    (fam, _, fam_offer), (solo, _, solo_offer), (city, _, city_offer) = confirm_three(
        client, clock)
    api = staff(client, "coordinator")
    seat_ids = []
    for who, offer in ((fam, fam_offer), (solo, solo_offer)):
        r = client.post(f"/corridor/appointments/{offer['id']}/seats", headers=who)
        assert r.status_code == 201, r.text
        seat_ids.append(r.json()["id"])
    appt = dt.date.fromisoformat(fam_offer["appointment_date"])
    body = {"start": str(appt - dt.timedelta(days=3)), "days": 3, "seconds": 2}
    assert client.post("/corridor/plans", json=body, headers=api).status_code == 201
    first_bus = client.get("/corridor/buses", headers=api).json()[0]
    # a re-plan puts everyone on new buses: the first one is now "another bus"
    assert client.post("/corridor/plans", json=body, headers=api).status_code == 201
    bus = client.get("/corridor/buses", headers=api).json()[0]
    notice = client.get(f"/offers/{fam_offer['id']}/notice", headers=fam).json()["token"]
    departs = dt.datetime.fromisoformat(bus["departs_at"])
    clock.set_et(departs.date(), 5)
    coord = _spanish(app, "coordinator")

    assert _verdict(coord, bus["id"], notice) == "Válido, en este autobús, todavía no abordó."
    assert _verdict(coord, first_bus["id"], notice) == (
        f"Válido, pero no va en este autobús: tiene asiento en el autobús {bus['code']}.")
    city_notice = client.get(f"/offers/{city_offer['id']}/notice", headers=city).json()["token"]
    assert "no tiene asiento en ningún autobús" in _verdict(coord, bus["id"], city_notice)
    forged = core.sign(core.verify(notice, app.state.notice_keys.public).payload, OTHER.signer)
    assert _verdict(coord, bus["id"], forged) == (
        "Aviso no válido: firmado con una clave que no está en el conjunto de claves públicas.")
    assert _verdict(coord, bus["id"], "hola-esto-no-es-un-aviso") == (
        "Aviso no válido: no es un código de aviso de Garita.")
    middle = len(notice) // 2
    changed = notice[:middle] + ("AA" if notice[middle:middle + 2] != "AA" else "BB") + (
        notice[middle + 2:])
    assert _verdict(coord, bus["id"], changed).startswith("Aviso no válido:")
    assert _verdict(coord, bus["id"], "GP1.nothing.here.x").startswith("Permiso no válido:")

    seat = client.get(f"/corridor/seats/{seat_ids[0]}", headers=fam).json()
    permit = next(p for p in seat["permits"])
    page = coord.get(f"/staff/corridor/buses/{bus['id']}")
    r = coord.post(f"/staff/corridor/buses/{bus['id']}/boarding", data={
        "csrf": csrf(page.text), "person_id": permit["person_id"], "status": "boarded"})
    assert r.status_code == 200, r.text
    assert _verdict(coord, bus["id"], permit["token"]) == "Válido, en este autobús, ya abordó."
    clock.now = departs + dt.timedelta(minutes=31)  # policy grace: 30 minutes
    assert _verdict(coord, bus["id"], notice) == (  # the rest of the family: too late
        "Válido, en este autobús, todavía no abordó. "
        f"El abordaje cerró a las {departs + dt.timedelta(minutes=30):%H:%M} UTC "
        "(el autobús ya salió).")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_job_card_says_its_error_and_its_note_in_spanish(client, app):
    analyst = _spanish(app, "analyst")
    failed = visible(_job(analyst, "screen"))  # no list loaded: the job is refused
    assert "No hay ninguna lista de vigilancia cargada" in failed, failed
    assert "No watchlist" not in failed
    with transaction(app.state.sessions) as s:  # a list of companies only: nobody to screen
        screening.load(s, "entities", "1", "csv", parse_plain(
            "id,name,type\nE1,Transportes del Norte SA,entity\n"), "test", app.state.clock())
    noted = visible(_job(analyst, "screen"))
    assert "las listas activas no contienen personas" in noted, noted
    assert "individuals" not in noted and "Note" not in noted
