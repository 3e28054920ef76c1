"""The photo at confirmation is policy data: the version in force says whether a member
takes it before confirming, the same rule through the API and the confirm page.

The shipped history requires it from 2024-03-04 (DESIGN §3); a version without it is
added here from 2024-09-01, as an operator would, to show the other side of the rule.
"""

from __future__ import annotations

import datetime as dt
import re

from garita.db import transaction
from garita.policy import service as policies
from garita.policy.schemas import PolicyVersionIn
from kit import TIJUANA, applicant, ask, page_sign_up, register, sign_in, staff, take_photo
from photo_kit import face_jpeg

DAY = dt.date(2024, 9, 10)


def test_the_shipped_history_requires_photos_from_2024_03_04():
    history = {v.effective_from: v.policy.photo_required for v in policies.shipped_history()}
    assert [d for d, photo in sorted(history.items()) if photo][0] == dt.date(2024, 3, 4)
    assert all(photo for d, photo in history.items() if d >= dt.date(2024, 3, 4))
    assert not any(photo for d, photo in history.items() if d < dt.date(2024, 3, 4))


def _without_photos(app) -> None:
    """A version like the one in force on DAY, but without photos, from 2024-09-01."""
    with transaction(app.state.sessions) as s:
        base = policies.in_force(s, DAY).policy
        policies.insert_version(s, PolicyVersionIn(
            effective_from=dt.date(2024, 9, 1), note="Test: confirmation without photos.",
            policy=base.model_copy(update={"photo_required": False})), "test")


def _offer(client, clock, me: dict) -> tuple[dict, dict]:
    clock.set_et(DAY, 14)
    reg = register(client, me)
    assert ask(client, me, reg["id"], TIJUANA).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    offer = client.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]
    return reg, offer


def _body(reg: dict) -> dict:
    return {"person_id": reg["people"][0]["id"], "lat": TIJUANA[0], "lon": TIJUANA[1]}


def test_under_a_version_without_photos_the_api_confirms_without_one(app, client, clock):
    _without_photos(app)
    me = applicant(client)
    reg, offer = _offer(client, clock, me)
    r = client.post(f"/offers/{offer['id']}/confirmations", headers=me, json=_body(reg))
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text


def test_under_a_version_with_photos_the_api_says_to_take_it_first(app, client, clock):
    me = applicant(client)
    reg, offer = _offer(client, clock, me)
    url = f"/offers/{offer['id']}/confirmations"
    r = client.post(url, headers=me, json=_body(reg))
    assert r.status_code == 422
    assert "has no photo" in r.json()["detail"] and f"/offers/{offer['id']}/photos" in \
        r.json()["detail"]
    r = client.post(url, headers={**me, "Accept-Language": "es"}, json=_body(reg))
    assert r.status_code == 422 and "no tiene foto" in r.json()["detail"]
    take_photo(client, me, offer["id"], reg["people"][0]["id"])
    r = client.post(url, headers=me, json=_body(reg))
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text


def _page_applicant(client) -> dict:
    email = f"photo-policy-{id(client)}-{dt.datetime.now().timestamp()}@example.org"
    assert page_sign_up(client, email).status_code == 303
    return sign_in(client, email)


def _post_page(client, offer: dict, reg: dict, photo: bytes | None):
    page = client.get(f"/me/offers/{offer['id']}/confirm")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    data = {"csrf": csrf, **{k: str(v) for k, v in _body(reg).items()}}
    files = {"photo": ("face.jpg", photo, "image/jpeg")} if photo else None
    return page, client.post(f"/me/offers/{offer['id']}/confirm", data=data, files=files,
                             follow_redirects=False)


def test_the_confirm_page_follows_the_same_rule(app, client, clock):
    me = _page_applicant(client)
    reg, offer = _offer(client, clock, me)
    page, r = _post_page(client, offer, reg, None)
    assert 'name="photo"' in page.text  # the camera and the file field are asked for
    assert r.status_code == 422 and "No photo was sent" in r.text
    _, r = _post_page(client, offer, reg, face_jpeg())
    assert r.status_code == 303
    assert client.get(f"/registrations/{reg['id']}/status",
                      headers=me).json()["stage"] == "confirmed"


def test_the_confirm_page_asks_no_photo_under_a_version_without_it(app, client, clock):
    _without_photos(app)
    me = _page_applicant(client)
    reg, offer = _offer(client, clock, me)
    page, r = _post_page(client, offer, reg, None)
    assert 'name="photo"' not in page.text
    assert r.status_code == 303, r.text
    assert client.get(f"/registrations/{reg['id']}/status",
                      headers=me).json()["stage"] == "confirmed"
