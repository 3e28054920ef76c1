"""Every field the API corrects, corrected on the corrections page (issue 16, point 4):
a person's nationality, country of birth, sex and documents, and the registration's
phone, email, language and U.S. address; the reason asked and kept, only the fields
really changed recorded, the change audited and the registration screened again."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from garita.audit import service as audit
from garita.db import transaction
from garita.integrity import screening
from garita.integrity.lists import Entry
from kit import page_sign_up, registration, staff


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _owner(app, email: str, lang: str) -> tuple[TestClient, dict, dict]:
    client = TestClient(app)
    assert page_sign_up(client, email).status_code == 303
    token = {"Authorization": "Bearer " + client.cookies["garita_session"]}
    r = client.post("/registrations", json=registration(members=1), headers=token)
    assert r.status_code == 201, r.text
    client.cookies.set("garita_lang", lang)
    return client, token, r.json()


def _form(page: str, person_id: int) -> dict:
    """The person's form as the page filled it (every field at its stored value)."""
    start = page.index(f'name="person_id" value="{person_id}"')
    block = page[start:page.index("</form>", start)]
    values = dict(re.findall(r'name="([^"]+)"[^>]*?value="([^"]*)"', block))
    for name, chosen in re.findall(r'name="([^"]+)">.*?<option value="([^"]+)" selected',
                                   block, re.S):
        values[name] = chosen
    return {k: v for k, v in values.items() if k not in ("csrf", "act", "person_id")}


def test_every_field_of_a_person_in_spanish(app):
    client, token, reg = _owner(app, "fix.person@example.org", "es")
    lead = reg["people"][0]["id"]
    url = f"/me/registrations/{reg['id']}/people"
    page = client.get(url).text
    assert "Documentos de identidad" in page and "Nacionalidad" in page
    filled = _form(page, lead)
    assert filled["nationality"] == "VEN" and filled["sex"] == "F"
    base = {"csrf": _csrf(page), "act": "correct", "person_id": lead, **filled}
    r = client.post(url, data={**base, "nationality": "COL"})
    assert r.status_code == 422 and "reason" in r.text  # the reason is asked, beside the form
    r = client.post(url, data={**base, "reason": "nada"})
    assert r.status_code == 422 and "Nada que corregir" in r.text  # nothing differs
    r = client.post(url, data={**base, "nationality": "XYZ", "reason": "error"})
    assert r.status_code == 422 and "XYZ" in r.text
    r = client.post(url, data={**base, "nationality": "col", "country_of_birth": "COL",
                               "sex": "X", "doc.0.type": "passport", "doc.0.number": "AB123456",
                               "doc.0.country": "COL", "reason": "pasaporte nuevo"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    data = client.get(f"/registrations/{reg['id']}/export.json", headers=token).json()
    person = data["people"][0]
    assert (person["nationality"], person["country_of_birth"], person["sex"]) == (
        "COL", "COL", "X")
    assert person["documents"] == [{"type": "passport", "number": "AB123456", "country": "COL"}]
    assert data["changes"][-1]["reason"] == "pasaporte nuevo"
    assert data["changes"][-1]["fields"] == "country_of_birth,documents,nationality,sex"
    # the document emptied is removed, with its own reason
    page = client.get(url).text
    r = client.post(url, data={"csrf": _csrf(page), "act": "correct", "person_id": lead,
                               **_form(page, lead), "doc.0.number": "",
                               "reason": "documento vencido"}, follow_redirects=False)
    assert r.status_code == 303
    data = client.get(f"/registrations/{reg['id']}/export.json", headers=token).json()
    assert data["people"][0]["documents"] == [] and data["changes"][-1]["fields"] == "documents"
    with transaction(app.state.sessions) as s:
        actions = [e["action"] for e in audit.entries_for(s, "registration", reg["id"])]
    assert actions.count("person.correct") == 2


def test_the_registration_fields_in_russian_screened_again(app, clock):
    with transaction(app.state.sessions) as s:
        screening.load(s, "test list", "1", "csv",
                       [Entry(ref="1", entry_type="individual", name="Joaquin Guzman Loera",
                              aliases=[], dates_of_birth=["1957-04-04"], countries=["MEX"])],
                       "admin:0", dt.datetime(2024, 9, 1, tzinfo=dt.UTC))
    client, token, reg = _owner(app, "fix.contact@example.org", "ru")
    url = f"/me/registrations/{reg['id']}/people"
    page = client.get(url).text
    assert "Контакты, язык и адрес" in page
    form = {"csrf": _csrf(page), "act": "edit", "phone": reg["phone"], "email": "rosa.new@example.org",
            "language": "pt", "us_address.street": "500 Elm St", "us_address.unit": "",
            "us_address.city": "Dallas", "us_address.state": "tx",
            "us_address.zip": "75201"}
    r = client.post(url, data=form)
    assert r.status_code == 422 and "reason" in r.text  # no reason, nothing changed
    r = client.post(url, data={**form, "us_address.zip": "752", "reason": "переезд"})
    assert r.status_code == 422 and "ZIP" in r.text
    r = client.post(url, data={**form, "phone": "+1 202 555 0143", "reason": "переезд"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    after = client.get(f"/registrations/{reg['id']}", headers=token).json()
    assert after["phone"] == "+12025550143" and after["language"] == "pt"
    assert after["email"] == "rosa.new@example.org"
    assert after["us_address"] == {"street": "500 Elm St", "unit": None, "city": "Dallas",
                                   "state": "TX", "zip": "75201"}
    assert after["registered_at"] == reg["registered_at"]  # seniority kept
    data = client.get(f"/registrations/{reg['id']}/export.json", headers=token).json()
    assert data["changes"][-1]["reason"] == "переезд"
    assert data["changes"][-1]["fields"] == "email,language,phone,us_address"
    # the lead's identity corrected on the same page becomes a watchlist alert
    page = client.get(url).text
    lead = reg["people"][0]["id"]
    r = client.post(url, data={"csrf": _csrf(page), "act": "correct", "person_id": lead,
                               **_form(page, lead), "given_names": "Joaquin",
                               "family_names": "Guzman Loera", "date_of_birth": "1957-04-04",
                               "nationality": "MEX", "reason": "настоящее имя"},
                    follow_redirects=False)
    assert r.status_code == 303
    alerts = client.get(f"/integrity/alerts?registration_id={reg['id']}",
                        headers=staff(client, "analyst")).json()
    assert [a["kind"] for a in alerts] == ["watchlist"]
