"""The pure rules: arrival timing against the slot, and outcome/reason/parole combinations."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from garita.policy.ports import PORT_CODES
from garita.ports import core

PORTS = st.sampled_from(PORT_CODES)
DAYS = st.dates(dt.date(2023, 5, 10), dt.date(2025, 1, 20))
SLOTS = st.times(dt.time(5), dt.time(18)).map(lambda t: t.replace(second=0, microsecond=0))
MINUTES = st.integers(0, 720)
OFFSET = st.integers(-24 * 60 * 60, 24 * 60 * 60)  # seconds from the slot


@given(PORTS, DAYS, SLOTS, OFFSET, MINUTES, MINUTES)
def test_timing_is_the_window_around_the_slot(port, day, slot, offset, early, late):
    start = core.slot_moment(port, day, slot)
    at = (start + dt.timedelta(seconds=offset)).astimezone(dt.UTC)
    seen = core.arrival(port, day, slot, at, early, late)
    expected = ("early" if offset < -early * 60 else "late" if offset > late * 60
                else "on_time")
    assert seen.timing == expected
    assert seen.minutes_from_slot == int(offset / 60)  # whole minutes, toward the slot
    assert seen.opens_at <= start <= seen.late_after


@given(PORTS, DAYS, SLOTS, OFFSET, OFFSET, MINUTES, MINUTES)
def test_later_arrivals_are_never_earlier_verdicts(port, day, slot, a, b, early, late):
    order = {"early": 0, "on_time": 1, "late": 2}
    start = core.slot_moment(port, day, slot)
    first, second = sorted((a, b))
    v1 = core.arrival(port, day, slot, start + dt.timedelta(seconds=first), early, late)
    v2 = core.arrival(port, day, slot, start + dt.timedelta(seconds=second), early, late)
    assert order[v1.timing] <= order[v2.timing]


@pytest.mark.parametrize(("port", "utc_hour", "minutes"), [
    ("SYS", 14, 0),   # 07:00 PDT
    ("NOG", 14, 0),   # 07:00 MST, Arizona keeps standard time in September
    ("ELP", 13, 0),   # 07:00 MDT
    ("BRO", 12, 0),   # 07:00 CDT
    ("BRO", 11, -60),
])
def test_slots_are_in_the_ports_own_time(port, utc_hour, minutes):
    at = dt.datetime(2024, 9, 13, utc_hour, tzinfo=dt.UTC)
    seen = core.arrival(port, dt.date(2024, 9, 13), dt.time(7), at, 120, 60)
    assert seen.minutes_from_slot == minutes and seen.timing == "on_time"


DECIDED = dt.date(2024, 9, 13)


@given(st.sampled_from(core.OUTCOMES), st.sampled_from(sorted({r for rs in core.REASONS.values()
                                                               for r in rs})),
       st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1))))
def test_an_outcome_is_valid_exactly_under_the_rules(outcome, reason, until):
    problem = core.outcome_problem(outcome, reason, until, DECIDED)
    paroled_ok = until is not None and until > DECIDED
    valid = reason in core.REASONS[outcome] and (
        paroled_ok if outcome == "paroled" else until is None)
    assert (problem is None) == valid
    if problem is not None:
        assert any(word in problem for word in ("use one of", "parole", "after"))


def test_every_outcome_has_reasons_and_unknown_codes_say_what_to_use():
    assert set(core.REASONS) == set(core.OUTCOMES) and all(core.REASONS.values())
    assert "permitted_to_withdraw" in core.outcome_problem("deported", "x", None, DECIDED)


def test_a_day_closes_after_the_last_slots_late_allowance():
    day = dt.date(2024, 9, 13)
    at = core.slot_moment("SYS", day, dt.time(17))
    assert core.day_closable("SYS", day, dt.time(16), 60, at) == at
    assert core.day_closable("SYS", day, dt.time(16), 60, at + dt.timedelta(seconds=1)) is None
