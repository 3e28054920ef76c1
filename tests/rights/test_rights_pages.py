"""The rights and help pages, in five languages, through cookie sessions and CSRF forms."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kit import page_sign_up, registration

PRIVACY_TITLE = {"en": "Privacy notice", "es": "Aviso de privacidad",
                 "ht": "Avi sou vi prive", "pt": "Aviso de privacidade",
                 "ru": "Уведомление о конфиденциальности"}


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _signed_up(app, email: str, role: str = "applicant") -> TestClient:
    """Signed up through the pages, the email confirmed with its link, and signed in."""
    client = TestClient(app)
    r = page_sign_up(client, email, role=role)
    assert r.status_code == 303, r.text
    return client


@pytest.mark.parametrize("lang", sorted(PRIVACY_TITLE))
def test_the_privacy_notice_is_shown_at_sign_up_in_each_language(app, lang):
    client = TestClient(app)
    client.cookies.set("garita_lang", lang)
    signup = client.get("/signup").text
    assert 'href="/privacy"' in signup and PRIVACY_TITLE[lang] in signup
    page = client.get("/privacy")
    assert page.status_code == 200 and PRIVACY_TITLE[lang] in page.text
    assert "730" in page.text  # the retention period from the settings


def test_download_and_delete_from_the_registration_pages(app):
    client = _signed_up(app, "pages.owner@example.org")
    r = client.post("/registrations", json=registration(),
                    headers={"Authorization": "Bearer " + client.cookies["garita_session"]})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    client.cookies.set("garita_lang", "es")
    status = client.get(f"/me/registrations/{rid}").text
    assert f'href="/me/registrations/{rid}/data"' in status
    assert 'href="/help/new?page=' in status  # help from any page (the layout's footer)
    data = client.get(f"/me/registrations/{rid}/data").text
    assert "Descargar sus datos (JSON)" in data
    assert client.get(f"/me/registrations/{rid}/data.json").json()["people"][0][
        "given_names"] == "Ana"
    assert client.get(f"/me/registrations/{rid}/data.pdf").content[:5] == b"%PDF-"
    # without the tick nothing is deleted; with it, the registration is gone
    r = client.post(f"/me/registrations/{rid}/withdrawal", data={"csrf": _csrf(data)},
                    follow_redirects=False)
    assert r.status_code == 303 and client.get(f"/me/registrations/{rid}").status_code == 200
    r = client.post(f"/me/registrations/{rid}/withdrawal",
                    data={"csrf": _csrf(data), "confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/me"
    assert client.get(f"/me/registrations/{rid}").status_code == 404


def test_help_from_a_page_reaches_the_ngo_desk(app):
    me = _signed_up(app, "pages.help@example.org")
    me.cookies.set("garita_lang", "ht")
    form = me.get("/help/new?page=/me").text
    assert "Kisa ou bezwen?" in form
    r = me.post("/help/new", data={"csrf": _csrf(form), "kind": "help", "page": "/me",
                                   "message": "Mwen pa ka jwenn paj konfimasyon an"},
                follow_redirects=False)
    assert r.status_code == 303
    ngo = _signed_up(app, "pages.ngo@example.org", role="ngo")
    desk = ngo.get("/desk/help").text
    assert "Mwen pa ka jwenn paj konfimasyon an" in desk
    hid = re.search(r'action="/desk/help/(\d+)/answer"', desk).group(1)
    r = ngo.post(f"/desk/help/{hid}/answer", data={"csrf": _csrf(desk),
                                                   "answer": "Ale nan paj enskripsyon an."},
                 follow_redirects=False)
    assert r.status_code == 303
    assert "Ale nan paj enskripsyon an." in me.get("/help/new").text
    assert me.get("/desk/help").status_code == 403  # the queue is for NGO staff and admins


def test_correct_add_and_remove_from_the_people_page(app):
    client = _signed_up(app, "pages.people@example.org")
    r = client.post("/registrations", json=registration(members=1),
                    headers={"Authorization": "Bearer " + client.cookies["garita_session"]})
    reg = r.json()
    lead, member = (p["id"] for p in reg["people"])
    client.cookies.set("garita_lang", "pt")
    url = f"/me/registrations/{reg['id']}/people"
    page = client.get(url).text
    assert "Corrigir ou alterar as pessoas" in page
    r = client.post(url, data={"csrf": _csrf(page), "act": "correct", "person_id": lead,
                               "family_names": "Pérez Gómez"}, follow_redirects=False)
    assert r.status_code == 422  # no reason: said beside the person's form
    r = client.post(url, data={"csrf": _csrf(page), "act": "correct", "person_id": lead,
                               "family_names": "Peres Gomes", "reason": "grafia"},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.post(url, data={"csrf": _csrf(page), "act": "add", "given_names": "Bebê",
                               "family_names": "Peres", "date_of_birth": "2024-09-01",
                               "sex": "F", "reason": "recém-nascido"}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post(url, data={"csrf": _csrf(page), "act": "remove", "person_id": lead,
                               "reason": "separação"}, follow_redirects=False)
    assert r.status_code == 422 and "pessoa principal" in r.text  # the refusal, translated
    r = client.post(url, data={"csrf": _csrf(page), "act": "remove", "person_id": member,
                               "reason": "separação"}, follow_redirects=False)
    assert r.status_code == 303
    token = {"Authorization": "Bearer " + client.cookies["garita_session"]}
    after = client.get(f"/registrations/{reg['id']}", headers=token).json()
    assert [p["given_names"] for p in after["people"]] == ["Ana", "Bebê"]
    assert after["people"][0]["family_names"] == "Peres Gomes"
    assert after["registered_at"] == reg["registered_at"]


def test_assistance_from_the_help_page(app):
    client = _signed_up(app, "pages.assist@example.org")
    r = client.post("/registrations", json=registration(),
                    headers={"Authorization": "Bearer " + client.cookies["garita_session"]})
    rid = r.json()["id"]
    client.cookies.set("garita_lang", "ru")
    form = client.get("/help/new").text
    assert "Я не могу сделать фото или пользоваться телефоном без помощи" in form
    r = client.post("/help/new", data={"csrf": _csrf(form), "kind": "assistance",
                                       "message": "Нужна помощь с телефоном"})
    assert r.status_code == 422 and "registration_id" in r.text  # which registration?
    r = client.post("/help/new", data={"csrf": _csrf(form), "kind": "assistance",
                                       "need": "phone", "registration_id": str(rid),
                                       "share": "yes", "message": "Нужна помощь с телефоном"},
                    follow_redirects=False)
    assert r.status_code == 303
    data = client.get(f"/me/registrations/{rid}/data.json").json()
    assert data["assistance"] == "phone"


def test_the_ngo_hands_a_registration_back_from_its_page(app):
    ngo = _signed_up(app, "pages.handback.ngo@example.org", role="ngo")
    r = ngo.post("/registrations", json=registration(),
                 headers={"Authorization": "Bearer " + ngo.cookies["garita_session"]})
    rid = r.json()["id"]
    person = _signed_up(app, "pages.handback.person@example.org")
    ngo.cookies.set("garita_lang", "es")
    page = ngo.get(f"/me/registrations/{rid}").text
    assert "Entregar este registro a la cuenta propia de la persona" in page
    r = ngo.post(f"/me/registrations/{rid}/hand-back",
                 data={"csrf": _csrf(page), "email": "pages.handback.person@example.org"})
    assert r.status_code == 422 and "consentimiento" in r.text  # not ticked: nothing done
    r = ngo.post(f"/me/registrations/{rid}/hand-back",
                 data={"csrf": _csrf(page), "email": "pages.handback.person@example.org",
                       "consent": "yes"}, follow_redirects=False)
    assert r.status_code == 303
    assert person.get(f"/me/registrations/{rid}").status_code == 200
    assert ngo.get(f"/me/registrations/{rid}").status_code == 404
    # the person's own status page has no hand-back form (it is the NGO's act)
    assert "hand-back" not in person.get(f"/me/registrations/{rid}").text
