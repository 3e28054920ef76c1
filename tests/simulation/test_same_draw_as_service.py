"""The simulation draws through the service's engine: same requests, same seed, same winners.

Requests are made through the API (real database), the draw service runs the day;
then the simulation's draw step (`simulation.draws.run_draw`) gets the same requests
(as the service read them), the same policy and the revealed seed, and must give the
very allocation the service published (its digest) and the same offers.
"""

from __future__ import annotations

import datetime as dt

from garita.draw import core
from garita.draw import service as draw_service
from garita.offers.models import Offer
from garita.policy import service as policies
from garita.simulation import draws
from kit import CIUDAD_JUAREZ, TIJUANA, applicant, ask, register, staff

DAY = dt.date(2024, 9, 10)


def _tight_policy(client, admin) -> None:
    """Few places at two ports so that the draw must choose (groups of 1-4 asking)."""
    policy = policies.shipped_history()[-2].policy.model_dump(mode="json")
    policy["port_capacity"] = {p: 0 for p in policy["port_capacity"]} | {"SYS": 7, "ELP": 5}
    policy["slots"] = ["08:00", "09:00"]
    r = client.post("/policies", json={"effective_from": str(DAY), "note": "tight places",
                                       "policy": policy}, headers=admin)
    assert r.status_code == 201, r.text


def test_simulation_draw_gives_the_service_winners(client, clock):
    admin = staff(client)
    clock.set_et(DAY, 13)
    _tight_policy(client, admin)
    for i in range(14):
        me = applicant(client)
        reg = register(client, me, members=i % 4)
        port, where = ("SYS", TIJUANA) if i % 3 else ("ELP", CIUDAD_JUAREZ)
        assert ask(client, me, reg["id"], where, port).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    published = client.post(f"/draws/{DAY}", headers=admin)
    assert published.status_code == 201, published.text
    seed = bytes.fromhex(client.get(f"/draws/{DAY}").json()["seed"])

    with client.app.state.sessions() as s:
        policy = policies.in_force(s, DAY).policy
        requests, ids = draw_service.read_requests(s, DAY, client.app.state.ticket_key,
                                                   policy.request_window.timezone, policy)
        offers = {(o.request_id, o.appointment_date, o.slot, o.persons)
                  for o in s.query(Offer).all()}
        places = draws.Places(lambda day: policies.in_force(s, day).policy)
        result = draws.run_draw(policy, DAY, requests, places, seed)

    assert core.allocation_digest(result) == published.json()["result_digest"]
    by_ticket = dict(zip(requests.ticket.tolist(), ids.tolist(), strict=True))
    simulated = {(by_ticket[t], d, sl, int(n)) for t, d, sl, n in
                 zip(result.ticket.tolist(), result.day, result.slot, result.size, strict=True)}
    assert simulated == offers
    assert 0 < len(offers) < 14  # 33 persons asked for 24 places: a real choice was made
