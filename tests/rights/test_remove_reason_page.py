"""Issue 16: removing a member from the people page asks the reason, as the other
corrections do (required; no fixed English sentence), here in Spanish; the reason typed
is the one kept with the change."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from garita.registrations import changes
from kit import page_sign_up, registration


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_removing_a_member_asks_the_reason_in_spanish(app):
    client = TestClient(app)
    assert page_sign_up(client, "remove.reason@example.org").status_code == 303
    bearer = {"Authorization": "Bearer " + client.cookies["garita_session"]}
    reg = client.post("/registrations", json=registration(members=1), headers=bearer).json()
    member = reg["people"][1]["id"]
    client.cookies.set("garita_lang", "es")
    url = f"/me/registrations/{reg['id']}/people"
    page = client.get(url).text
    form = page[page.index('name="act" value="remove"'):]
    form = form[:form.index("</form>")]
    assert f'id="reason-remove-{member}"' in form and "Motivo del cambio" in form
    assert "separated from the group" not in page

    r = client.post(url, data={"csrf": _csrf(page), "act": "remove", "person_id": member},
                    follow_redirects=False)
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert len(client.get(f"/registrations/{reg['id']}", headers=bearer).json()["people"]) == 2

    r = client.post(url, data={"csrf": _csrf(page), "act": "remove", "person_id": member,
                               "reason": "se separó del grupo"}, follow_redirects=False)
    assert r.status_code == 303
    with app.state.sessions() as s:
        [row] = changes.changes_of(s, reg["id"])
    assert (row.action, row.person_id, row.reason) == ("remove", member, "se separó del grupo")
