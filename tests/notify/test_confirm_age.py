"""Issue 16: the selection and reminder messages say who must confirm from the policy
(its ``confirm_min_age``), not a hard-coded "over 14", in the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest

from garita.messaging import service as messaging
from garita.messaging.channels import OutboxTransport, Transports
from garita.notify import jobs
from garita.policy.service import shipped_history
from kit import CIUDAD_JUAREZ, applicant, ask, register, settings_for, staff

DAY = dt.date(2024, 9, 10)
OUTBOX = Transports(email=OutboxTransport(), short=OutboxTransport())


@pytest.mark.parametrize("language, said", [
    ("es", "Cada miembro de 16 años o más debe confirmar"),
    ("en", "Every member aged 16 or older must confirm"),
])
def test_selection_and_reminder_say_the_policys_age(client, clock, database_url, language,
                                                    said):
    admin, me = staff(client), applicant(client)
    reg = register(client, me, email="ana@example.org", language=language)
    clock.set_et(DAY, 13)
    assert ask(client, me, reg["id"], CIUDAD_JUAREZ).status_code == 201
    then = [v for v in shipped_history() if v.effective_from <= DAY][-1].policy
    policy = then.model_dump(mode="json") | {"confirm_min_age": 16}
    r = client.post("/policies", json={"effective_from": str(DAY + dt.timedelta(days=1)),
                                       "note": "members from 16 confirm", "policy": policy},
                    headers=admin)
    assert r.status_code == 201, r.text
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
    settings, factory = settings_for(database_url), client.app.state.sessions
    jobs.run_once(factory, settings, clock, OUTBOX)
    clock.set_et(DAY + dt.timedelta(days=2), 6)  # five hours before the 11:00 deadline
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.reminder"] == 1
    with factory() as s:
        emails = {m.template: m.body for m in messaging.outbox(s) if m.channel == "email"}
    for template in ("offer.selected", "offer.reminder"):
        assert said in emails[template], emails[template]
