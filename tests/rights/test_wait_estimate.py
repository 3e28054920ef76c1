"""The wait estimate (issue 16, point 7): a pure function of published draw figures, held
by properties; then the route and the status page after real draws."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from garita.rights.core import DrawDay, estimate, odds, standing
from kit import TIJUANA, applicant, ask, register, staff

START = dt.date(2024, 6, 1)


@st.composite
def draw_days(draw, min_size: int = 0) -> list[DrawDay]:
    n = draw(st.integers(min_size, 28))
    cut = draw(st.dates(dt.date(2023, 5, 1), dt.date(2024, 5, 1)))
    out = []
    for i in range(n):
        requests = draw(st.integers(0, 5000))
        selected = draw(st.integers(0, requests))
        cut = cut + dt.timedelta(days=draw(st.integers(-3, 5)))
        out.append(DrawDay(START + dt.timedelta(days=i), requests, selected,
                           draw(st.one_of(st.none(), st.just(cut)))))
    return out


@given(draw_days())
def test_odds_are_a_range_around_the_median(days):
    o = odds(days)
    if o is None:
        assert all(d.random_selected == 0 for d in days)
    else:
        assert 1 <= o.one_in_low <= o.one_in <= o.one_in_high
        assert o.days == sum(d.random_selected > 0 for d in days)


@given(draw_days(), st.dates(dt.date(2023, 1, 1), dt.date(2025, 1, 1)),
       st.integers(0, 400))
def test_an_older_registration_never_waits_longer(days, registered, earlier_by):
    later = standing(days, registered)
    older = standing(days, registered - dt.timedelta(days=earlier_by))
    if later.within:
        assert older.within
    if later.days is not None and older.days is not None:
        assert older.days[0] <= later.days[0]
        assert older.days[1] <= later.days[1] and older.days[2] <= later.days[2]
    if later.days is not None:
        assert later.days[1] <= later.days[0] <= later.days[2]


@given(draw_days(min_size=1), st.dates(dt.date(2023, 1, 1), dt.date(2025, 1, 1)))
def test_within_exactly_when_the_share_has_reached_the_registration(days, registered):
    cutoffs = [d.cutoff for d in days if d.cutoff is not None]
    s = standing(days, registered)
    assert s.within == (bool(cutoffs) and registered <= max(cutoffs))
    assert s.within == (s.days == (0, 0, 0))


def test_a_share_moving_a_day_a_day_reaches_ten_days_later_in_ten_days():
    days = [DrawDay(START + dt.timedelta(days=i), 400, 10, dt.date(2024, 1, 1)
                    + dt.timedelta(days=i)) for i in range(21)]
    result = estimate(days, dt.date(2024, 1, 31))
    assert result.standing.days == (10, 10, 10)
    assert result.odds is not None and result.odds.one_in == 40


def test_a_share_that_does_not_move_gives_no_figure():
    days = [DrawDay(START + dt.timedelta(days=i), 100, 0, dt.date(2024, 1, 1))
            for i in range(5)]
    result = estimate(days, dt.date(2024, 3, 1))
    assert result.odds is None and result.standing.days is None
    assert not result.standing.within


def test_the_route_and_the_page_show_the_estimate(client, clock):
    """Two draws at Tijuana (SYS): the route reads their published figures."""
    admin = staff(client)
    me = applicant(client)
    mine = register(client, me)
    for offset in range(2):
        day = dt.date(2024, 9, 10) + dt.timedelta(days=offset)
        clock.set_et(day, 14)
        others = applicant(client)
        for _ in range(3):
            assert ask(client, others, register(client, others)["id"], TIJUANA).status_code == 201
        if offset == 1:
            assert ask(client, me, mine["id"], TIJUANA).status_code == 201
        clock.set_et(day + dt.timedelta(days=1), 12, 5)
        assert client.post(f"/draws/{day}", headers=admin).status_code == 201
    r = client.get(f"/registrations/{mine['id']}/estimate", headers=me)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["port"] == "SYS" and body["window"] == 2
    # Few asked: everyone went through the longest-waiting share (its budget is 231 of
    # Tijuana's 770 places), so the random share drew nobody: no odds are made up, and
    # the share has reached registrations of the 11th, so ours (the 10th) is within it.
    summary = client.get("/draws/2024-09-11").json()["summary"]["SYS"]
    assert summary["selected_longest_waiting"] == 4 and summary["selected_random"] == 0
    assert body["odds"] is None and body["within_longest_waiting"] is True
    assert body["cutoff"] == "2024-09-11" and body["days"] == [0, 0, 0]
    assert body["message"] == ("No recent draw at SYS selected anyone at random. Your "
                               "registration is already within the longest-waiting share: "
                               "ask each day.")
    # the page, in Spanish, through the cookie session
    client.cookies.set("garita_lang", "es")
    page = _page(client, me, f"/me/registrations/{mine['id']}")
    assert "Cuánto puede esperar" in page
    assert "Su registro ya está dentro de la cuota de mayor espera" in page


def _page(client, headers: dict, path: str) -> str:
    token = headers["Authorization"].split()[1]
    client.cookies.set("garita_session", token)
    r = client.get(path)
    assert r.status_code == 200, r.text
    return r.text


def test_the_random_odds_from_draws_with_few_places(client, clock):
    """Tijuana (SYS) with 4 places a day (the longest-waiting share's budget: 1): six
    asking each day, one selected by seniority, three of the five others at random."""
    admin = staff(client)
    base = client.get("/policies/in-force?date=2024-09-10").json()["policy"]
    base["port_capacity"] = {**base["port_capacity"], "SYS": 4}
    r = client.post("/policies", headers=admin, json={
        "effective_from": "2024-09-10", "note": "Test: four places at San Ysidro",
        "policy": base})
    assert r.status_code == 201, r.text
    me = applicant(client)
    mine = register(client, me)
    for offset in range(2):
        day = dt.date(2024, 9, 10) + dt.timedelta(days=offset)
        clock.set_et(day, 14)
        others = applicant(client)
        for _ in range(6):
            assert ask(client, others, register(client, others)["id"], TIJUANA).status_code == 201
        clock.set_et(day + dt.timedelta(days=1), 12, 5)
        assert client.post(f"/draws/{day}", headers=admin).status_code == 201
    figures = [client.get(f"/draws/{d}").json()["summary"]["SYS"]
               for d in ("2024-09-10", "2024-09-11")]
    ratios = sorted((f["requests"] - f["selected_longest_waiting"]) / f["selected_random"]
                    for f in figures)
    # this registration never asked: the port is named
    body = client.get(f"/registrations/{mine['id']}/estimate?port=sys", headers=me).json()
    assert all(f["selected_random"] > 0 for f in figures)
    assert body["odds"] == {"days": 2, "one_in": sum(ratios) / 2, "one_in_low": ratios[0],
                            "one_in_high": ratios[1]}
    assert body["message"].startswith(f"About 1 in {sum(ratios) / 2:.0f} a day at SYS lately")
