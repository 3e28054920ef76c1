"""The port officer's console and the confirmation photo, through the pages and the API:
a member's photo is taken (checked, sealed), the officer finds the group by its typed
confirmation number, sees the record with the photo (audited), checks in, records
outcomes, closes the day. Other roles and other ports are refused; so is the photo."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from port_days import APPOINTMENT_DAY
from sqlalchemy import select

from garita.audit.models import AuditEntry
from garita.db import transaction
from garita.photos.models import Photo
from kit import staff
from photo_kit import face_jpeg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "consoles"))
from staffkit import csrf, signed_in


def _photo(client, group, person_id: int, data: bytes):
    return client.post(f"/offers/{group.offer['id']}/photos", headers=group.headers,
                       data={"person_id": str(person_id)},
                       files={"photo": ("face.jpg", data, "image/jpeg")})


def test_photo_taken_sealed_and_seen_only_by_the_port(app, client, clock, book):
    (group,) = book([(1, "SYS")])
    clock.set_et(APPOINTMENT_DAY - dt.timedelta(days=1), 12)
    lead = group.people[0]
    r = _photo(client, group, lead, face_jpeg())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["person_id"] == lead and body["delete_after"] == str(
        APPOINTMENT_DAY + dt.timedelta(days=30))
    bad = _photo(client, group, lead, face_jpeg()[:200])
    assert bad.status_code == 422 and "not a photo we can read" in bad.json()["detail"]
    with transaction(app.state.sessions) as s:
        row = s.scalar(select(Photo).where(Photo.person_id == lead))
        assert row is not None and b"JFIF" not in row.sealed  # encrypted at rest

    clock.set_et(APPOINTMENT_DAY, 10, 20)
    url = f"/ports/SYS/photos/{group.offer['id']}/{lead}"
    officer = staff(client, "officer", port="SYS")
    seen = client.get(url, headers=officer)
    assert seen.status_code == 200 and seen.content[:2] == b"\xff\xd8"
    assert seen.headers["cache-control"] == "private, no-store"
    assert client.get(url, headers=staff(client, "admin")).status_code == 200
    other_port = staff(client, "officer", port="ELP")
    assert client.get(url.replace("SYS", "ELP"), headers=other_port).status_code == 404
    assert client.get(url, headers=other_port).status_code == 403
    for role in ("coordinator", "analyst"):
        assert client.get(url, headers=staff(client, role)).status_code == 403
    assert client.get(url, headers=group.headers).status_code == 403
    clock.set_et(APPOINTMENT_DAY + dt.timedelta(days=5), 12)  # outside the officer's days
    assert client.get(url, headers=officer).status_code == 403
    with transaction(app.state.sessions) as s:
        views = s.scalars(select(AuditEntry).where(AuditEntry.action == "photo.view")).all()
    assert len(views) == 2 and {v.object_id for v in views} == {str(row.id)}


def test_the_console_day_end_to_end(app, client, clock, book):
    (group, other) = book([(1, "SYS"), (0, "SYS")])
    clock.set_et(APPOINTMENT_DAY - dt.timedelta(days=1), 12)
    assert _photo(client, group, group.people[0], face_jpeg()).status_code == 201
    number = client.get(f"/offers/{group.offer['id']}/notice",
                        headers=group.headers).json()["confirmation_number"]
    clock.set_et(APPOINTMENT_DAY, 10, 20)
    page = signed_in(app, "officer", port="SYS")
    r = page.get("/staff/port")
    assert r.status_code == 200 and "San Ysidro" in r.text and "2 people" not in r.text
    r = page.post("/staff/port/SYS/find", data={"csrf": csrf(r.text),
                                                "code": number.lower()[:5] + "-" + number[5:]})
    assert r.status_code == 200 and f"/groups/{group.offer['id']}" in str(r.url)
    assert f"/photos/{group.offer['id']}/{group.people[0]}.jpg" in r.text
    img = page.get(f"/staff/port/SYS/photos/{group.offer['id']}/{group.people[0]}.jpg")
    assert img.status_code == 200 and img.headers["content-type"] == "image/jpeg"
    # the second member (an adult) confirmed too, so took a photo first: the policy's rule
    assert f"/photos/{group.offer['id']}/{group.people[1]}.jpg" in r.text
    token = csrf(r.text)
    r = page.post(f"/staff/port/SYS/groups/{group.offer['id']}/checkin", data={"csrf": token})
    assert r.status_code == 422 and "identity_confirmed" in r.text
    r = page.post(f"/staff/port/SYS/groups/{group.offer['id']}/checkin",
                  data={"csrf": token, "identity": "yes"})
    assert r.status_code == 200 and "Checked in" in r.text
    for pid in group.people:
        r = page.post(f"/staff/port/SYS/groups/{group.offer['id']}/outcomes",
                      data={"csrf": token, "person_id": pid, "decision": "paroled:humanitarian",
                            "parole_until": "2025-09-13"})
        assert r.status_code == 200, r.text
    assert r.text.count("Paroled") >= 2 and "Decided" in r.text
    clock.set_et(APPOINTMENT_DAY, 23, 30)
    r = page.post("/staff/port/SYS/close-day", data={"csrf": token, "date": str(APPOINTMENT_DAY)})
    assert r.status_code == 200 and "This day is closed" in r.text
    assert "No-show" in r.text and other.offer["id"]  # the other group never came
    summary = client.get(f"/ports/SYS/day-summary?date={APPOINTMENT_DAY}",
                         headers=staff(client, "admin")).json()
    assert summary["outcomes"] == {"paroled": 2} and summary["persons_by_status"]["no_show"] == 1


def test_the_console_refuses_other_roles_and_other_ports(app, client, clock, book):
    (group,) = book([(0, "SYS")])
    clock.set_et(APPOINTMENT_DAY, 10, 20)
    paths = ["/staff/port/SYS", f"/staff/port/SYS/groups/{group.offer['id']}",
             f"/staff/port/SYS/photos/{group.offer['id']}/{group.people[0]}.jpg"]
    elp = signed_in(app, "officer", port="ELP")
    assert elp.get("/staff/port", follow_redirects=False).headers["location"] == "/staff/port/ELP"
    for role in ("applicant", "ngo", "coordinator", "analyst"):
        someone = signed_in(app, role)
        for path in paths:
            assert someone.get(path).status_code == 403, (role, path)
    for path in paths:
        assert elp.get(path).status_code == 403, path
    r = elp.post("/staff/port/SYS/close-day", data={"csrf": csrf(elp.get("/staff/port/ELP").text),
                                                    "date": str(APPOINTMENT_DAY)})
    assert r.status_code == 403
    admin = signed_in(app, "admin")
    assert admin.get("/staff/port").status_code == 200
    assert admin.get(paths[1]).status_code == 200


PORT_PAGES = {  # (method, route): the officer console's pages, all for the port's officers and admins
    ("GET", "/staff/port"), ("GET", "/staff/port/{port}"), ("POST", "/staff/port/{port}/find"),
    ("GET", "/staff/port/{port}/groups/{offer_id}"),
    ("POST", "/staff/port/{port}/groups/{offer_id}/checkin"),
    ("POST", "/staff/port/{port}/groups/{offer_id}/outcomes"),
    ("POST", "/staff/port/{port}/close-day"),
    ("GET", "/staff/port/{port}/photos/{offer_id}/{person_id}.jpg"),
}


def test_every_port_page_refuses_other_roles_other_ports_and_forged_forms(app, client, clock,
                                                                          book):
    """A new /staff/port route without a row here fails; each refuses (403 page) every role
    but officers and admins, an officer of another port, and a form without its token."""
    from test_console_access import _routes

    routes = {(m, r.path) for r in _routes(app.routes) if r.path.startswith("/staff/port")
              for m in getattr(r, "methods", None) or () if m != "HEAD"}
    assert routes == PORT_PAGES
    (group,) = book([(0, "SYS")])
    clock.set_et(APPOINTMENT_DAY, 10, 20)
    values = {"port": "SYS", "offer_id": group.offer["id"], "person_id": group.people[0]}
    callers = {role: signed_in(app, role) for role in ("applicant", "ngo", "coordinator",
                                                       "analyst")}
    callers["officer of ELP"] = signed_in(app, "officer", port="ELP")
    admin = signed_in(app, "admin")
    for method, route in sorted(PORT_PAGES - {("GET", "/staff/port")}):
        path = route.format(**values)
        for who, page in callers.items():
            token = csrf(page.get("/signin").text)
            r = page.request(method, path, data={"csrf": token} if method == "POST" else None)
            assert r.status_code == 403 and "text/html" in r.headers["content-type"], (who, path)
        if method == "POST":
            r = admin.post(path, data={"csrf": "forged"})
            assert r.status_code == 403 and "expired" in r.text, path


def test_the_console_speaks_spanish(app, client, clock, book):
    from garita.web import i18n

    (group,) = book([(0, "SYS")])
    clock.set_et(APPOINTMENT_DAY, 10, 20)
    page = signed_in(app, "officer", port="SYS")
    page.cookies.set(i18n.COOKIE, "es")
    day = page.get("/staff/port/SYS").text
    assert "Llegadas a San Ysidro" in day and "Buscar el grupo" in day
    assert "Escanear con la cámara" in day and "Cerrar el día" in day
    record = page.get(f"/staff/port/SYS/groups/{group.offer['id']}").text
    assert "Registrar la llegada del grupo" in record and "tomada al confirmar" in record
    assert "Nacionalidad" in record and "Documentos" in record


def test_the_officers_alert_explanations_speak_spanish(app, client, clock, book):
    """An act-tier watchlist alert on the group, as screening raises it: its summary and
    evidence on the Spanish record are said in Spanish, not in the service's English."""
    import re

    from garita.integrity import screening
    from garita.integrity.lists import parse_plain
    from garita.web import i18n

    (group,) = book([(0, "SYS")])
    lead = group.registration["people"][0]
    listed = (f'X1,"{lead["family_names"].upper()}, {lead["given_names"]}",,'
              f'{lead["date_of_birth"]},{lead["nationality"]}\n')
    with transaction(app.state.sessions) as s:
        screening.load(s, "test-list", "1", "csv", parse_plain(
            "id,name,aliases,dates_of_birth,countries\n" + listed), "test", clock())
        assert screening.screen(s, clock(), "test", 0.7)["new_alerts"] == 1
    clock.set_et(APPOINTMENT_DAY, 10, 20)
    page = signed_in(app, "officer", port="SYS")
    page.cookies.set(i18n.COOKIE, "es")
    record = page.get(f"/staff/port/SYS/groups/{group.offer['id']}").text
    text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<script\b.*?</script>", " ", record))
    assert "se parece al nombre de la lista" in text and "misma fecha" in text
    assert "exacta" in text and "actuar" in text
    english = re.findall(r"\b(resembles|listed|same date|same|exact|unknown|different|act)\b",
                         text)
    assert not english, english


def test_photos_are_purged_after_their_retention_by_the_cli(app, client, clock, book,
                                                            database_url, monkeypatch):
    from typer.testing import CliRunner

    from garita.cli import app as cli

    (group,) = book([(0, "SYS")])
    clock.set_et(APPOINTMENT_DAY - dt.timedelta(days=1), 12)
    assert _photo(client, group, group.people[0], face_jpeg()).status_code == 201
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    last_day = APPOINTMENT_DAY + dt.timedelta(days=30)  # GARITA_PHOTO_RETENTION_DAYS
    monkeypatch.setenv("GARITA_CLOCK_START", f"{last_day}T12:00:00+00:00")
    r = CliRunner().invoke(cli, ["photos", "purge"])
    assert r.exit_code == 0 and "deleted 0 photos" in r.output  # still within its retention
    monkeypatch.setenv("GARITA_CLOCK_START", f"{last_day + dt.timedelta(days=1)}T12:00:00+00:00")
    r = CliRunner().invoke(cli, ["photos", "purge"])
    assert r.exit_code == 0 and "deleted 1 photos" in r.output, r.output
    with transaction(app.state.sessions) as s:
        assert s.scalar(select(Photo).where(Photo.offer_id == group.offer["id"])) is None
        purged = s.scalars(select(AuditEntry).where(AuditEntry.action == "photo.purge")).all()
    assert len(purged) == 1
    clock.set_et(APPOINTMENT_DAY, 10, 20)
    r = client.get(f"/ports/SYS/photos/{group.offer['id']}/{group.people[0]}",
                   headers=staff(client, "admin"))
    assert r.status_code == 404 and "retention" in r.json()["detail"]


def test_an_unconfirmed_offer_is_not_a_group_at_the_booth(app, client, clock, book):
    (group,) = book([(0, "SYS")], confirm=False)
    clock.set_et(APPOINTMENT_DAY, 10, 20)
    page = signed_in(app, "officer", port="SYS")
    r = page.get(f"/staff/port/SYS/groups/{group.offer['id']}")
    assert r.status_code == 422 and "was never confirmed" in r.text
    r = page.post("/staff/port/SYS/find", data={"csrf": csrf(page.get("/staff/port/SYS").text),
                                                "code": "0000000000"})
    assert r.status_code == 404 and "was issued by this register" in r.text


def test_the_officers_outcome_reasons_speak_spanish(app, client, clock, book):
    """The reason codes of recorded outcomes and of the outcome picker are said in Spanish
    on the Spanish record: none of the codes' English words remains."""
    import re

    from garita.ports.core import REASONS
    from garita.web import i18n

    (group,) = book([(1, "SYS")])
    clock.set_et(APPOINTMENT_DAY, 10, 20)
    page = signed_in(app, "officer", port="SYS")
    page.cookies.set(i18n.COOKIE, "es")
    where = f"/staff/port/SYS/groups/{group.offer['id']}"
    token = csrf(page.get(where).text)
    assert page.post(f"{where}/checkin", data={"csrf": token, "identity": "yes"}).status_code == 200
    for pid, decision, until in zip(group.people, ("paroled:family_unity",
                                                   "detained:criminal_record"),
                                    ("2025-09-13", ""), strict=True):
        r = page.post(f"{where}/outcomes", data={"csrf": token, "person_id": pid,
                                                 "decision": decision, "parole_until": until})
        assert r.status_code == 200, r.text
    html = page.get(where).text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(
        r"(?s)<(script|style)\b.*?</\1>", " ", html)))
    assert "· unidad familiar" in text and "· antecedentes penales" in text
    english = {r.replace("_", " ") for reasons in REASONS.values() for r in reasons}
    found = [w for w in english if re.search(rf"\b{w}\b", text)]
    assert not found, found
