"""The steps of one simulated day, over the run's column state.

Each step calls an engine for its rule — the geofence's batch verdict, the draw core
(via `draws`), the policy calendar, the corridor's reach, the ports' outcome codes —
and does only the bookkeeping around it with NumPy.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from garita.corridor.plan_types import Group
from garita.draw import core
from garita.geo import core as geo
from garita.geo.service import locator_from
from garita.policy.ports import PORT_CODES, PORTS
from garita.policy.schemas import Policy
from garita.ports.core import OUTCOMES, slot_moment
from garita.simulation import draws
from garita.simulation.buses import Corridor
from garita.simulation.population import KINDS, Population
from garita.simulation.scenario import Scenario

WAITING, BOOKED, GONE, SERVED = 0, 1, 2, 3
_EPOCH = dt.date(1970, 1, 1)
_CITIES = np.array([(PORTS[p].city_lat - 0.03, PORTS[p].city_lon) for p in PORT_CODES])


class State:
    """Every registration's status and where it stands, as columns."""

    def __init__(self, pop: Population, scenario: Scenario, rng: np.random.Generator) -> None:
        n = len(pop)
        self.pop, self.rng, self.n = pop, rng, 0
        self.scenario, self.demand = scenario, scenario.demand
        self.start_epoch = (scenario.start - _EPOCH).days
        self.status = np.full(n, WAITING, np.int8)
        self.eligible = np.zeros(n, bool)
        self.state = np.full(n, "", object)
        self.ever_refused = np.zeros(n, bool)
        self.ever_eligible = np.zeros(n, bool)
        self.moved = np.zeros(n, bool)
        self.booked_on = np.full(n, -1, np.int32)
        self.appointment = np.full(n, -1, np.int32)
        self.nat_codes = np.array(pop.nationalities, object)[pop.nationality]
        self.in_border = pop.kind == KINDS.index("border")
        self.area_key = ""
        self.by_day: dict[int, list[np.ndarray]] = {}

    def judge(self, rows: np.ndarray, policy: Policy) -> None:
        """The geofence's batch verdict for these rows' current points."""
        if not rows.size:
            return
        verdict = geo.evaluate_batch(locator_from(None), policy, self.pop.lat[rows],
                                     self.pop.lon[rows], self.nat_codes[rows])
        self.eligible[rows] = verdict.eligible
        self.state[rows] = verdict.state
        self.ever_eligible[rows] |= verdict.eligible


def arrive(st: State, d: int, policy: Policy, row: dict) -> None:
    """New registrations in; the geofence judges them (everyone waiting, if the area
    changed); some waiting people give up; some refused people move to their port's city."""
    pop, rng = st.pop, st.rng
    hi = int(np.searchsorted(pop.day, d, side="right"))
    new = np.arange(st.n, hi)
    row["registrations"] = int(new.size)
    row["persons_registered"] = int(pop.size[new].sum())
    st.n = hi
    key = policy.model_dump_json(include={"eligible_area"})
    if key != st.area_key:
        st.area_key = key
        st.judge(np.flatnonzero(st.status[:hi] == WAITING), policy)
    else:
        st.judge(new, policy)
    waiting = np.flatnonzero(st.status[: st.n] == WAITING)
    gone = waiting[rng.random(waiting.size) < st.demand.give_up_per_day]
    st.status[gone] = GONE
    stuck = waiting[~st.eligible[waiting] & st.ever_refused[waiting]]
    movers = stuck[rng.random(stuck.size) < st.demand.move_per_day]
    if movers.size:
        pop.lat[movers] = _CITIES[pop.port[movers], 0] + rng.normal(0, 0.01, movers.size)
        pop.lon[movers] = _CITIES[pop.port[movers], 1] + rng.normal(0, 0.01, movers.size)
        st.moved[movers] = True
        st.in_border[movers] = True
        st.judge(movers, policy)
    row["moved"] = int(movers.size)
    row["gave_up"] = int(gone.size)


def requests_of(st: State, rows: np.ndarray, earliest: np.ndarray | None) -> core.DrawRequests:
    """The draw's input for these registrations: ticket = row + 1, registration day in
    seconds (the service's `draw_columns` also keeps the day: ties go to the key)."""
    pop = st.pop
    return core.DrawRequests(ticket=rows.astype(np.uint64) + np.uint64(1), port=pop.port[rows],
                             size=pop.size[rows],
                             registered_at=(pop.day[rows].astype(np.int64) + st.start_epoch)
                             * 86_400, earliest=earliest)


def ask_and_draw(st: State, d: int, today: dt.date, policy: Policy, places: draws.Places,
                 corridor: Corridor, row: dict) -> core.DrawResult:
    """Waiting registrations ask; the geofence refuses the ineligible; the draw runs;
    offers are confirmed or lapse (their places go back)."""
    rng, pop, demand = st.rng, st.pop, st.demand
    waiting = np.flatnonzero(st.status[: st.n] == WAITING)
    asking = waiting[rng.random(waiting.size) < demand.request_probability]
    ok = st.eligible[asking]
    st.ever_refused[asking[~ok]] = True
    rows = asking[ok]
    row.update(requests=int(asking.size), refused_geofence=int((~ok).sum()),
               eligible_requests=int(rows.size),
               persons_requested=int(pop.size[rows].sum()))
    soon = draws.earliest(policy, today, st.state[rows], pop.port[rows])
    result = draws.run_draw(policy, today, requests_of(st, rows, soon), places,
                            draws.day_seed(st.scenario.seed, today))
    won = (result.ticket - np.uint64(1)).astype(np.int64)
    first_come = today < demand.confirm_step_from
    kept = np.ones(won.size, bool) if first_come else rng.random(won.size) < demand.confirm_rate
    slot_index = {t: i for i, t in enumerate(policy.slots)}
    for i in np.flatnonzero(~kept).tolist():
        places.give_back(result.day[i], int(result.port[i]), slot_index[result.slot[i]],
                         int(result.size[i]))
    day_of = np.array([(x - st.scenario.start).days for x in result.day], np.int32)
    booked = won[kept]
    st.status[booked] = BOOKED
    st.booked_on[booked] = d + 1  # the draw runs the day after the window
    st.appointment[booked] = day_of[kept]
    for day in np.unique(day_of[kept]).tolist():
        st.by_day.setdefault(day, []).append(booked[day_of[kept] == day])
    row.update(offered_persons=int(result.size.sum()),
               appointments=int(pop.size[booked].sum()),
               lapsed_persons=int(result.size[~kept].sum()),
               places=sum(s.places for s in result.ports))
    row.update(fairness(result, pop.size[rows]))
    _seat_requests(st, policy, result, kept, corridor)
    return result


def fairness(result: core.DrawResult, sizes: np.ndarray) -> dict:
    """The day's fairness figures: the longest-waiting share of the persons selected, and
    in the random tier the selection rate of groups over that of persons alone (1: fair)."""
    lw = sum(s.allocated_longest_waiting for s in result.ports)
    total = sum(s.allocated for s in result.ports)
    taken_lw = result.tier == 0
    picked = result.size[~taken_lw]
    pool_groups = int((sizes > 1).sum()) - int((result.size[taken_lw] > 1).sum())
    pool_alone = int((sizes == 1).sum()) - int((result.size[taken_lw] == 1).sum())
    rate_groups = (picked > 1).sum() / pool_groups if pool_groups else np.nan
    rate_alone = (picked == 1).sum() / pool_alone if pool_alone else np.nan
    return {"longest_waiting_share": lw / total if total else np.nan,
            "selection_rate": float(result.size.sum() / sizes.sum()) if sizes.size else np.nan,
            "group_vs_alone": float(rate_groups / rate_alone) if rate_alone else np.nan}


def _seat_requests(st: State, policy: Policy, result: core.DrawResult, kept: np.ndarray,
                   corridor: Corridor) -> None:
    c = policy.corridor
    if c is None or not c.active:
        return
    won = (result.ticket - np.uint64(1)).astype(np.int64)
    for i in np.flatnonzero(kept).tolist():
        r = int(won[i])
        hub = c.hub_for_state(st.state[r])
        port = PORT_CODES[int(result.port[i])]
        if hub is None or c.city(port) is None or st.rng.random() >= st.demand.corridor_uptake:
            continue
        at = slot_moment(port, result.day[i], result.slot[i]).astimezone(dt.UTC)
        corridor.ask(Group(r, hub.name, port, int(st.pop.size[r]), int(st.pop.children[r]), at))


def port_day(st: State, d: int, outcome_p: np.ndarray, row: dict) -> None:
    """Today's appointments: no-shows may ask again; arrivals get an outcome each."""
    due = st.by_day.pop(d, [])
    rows = np.concatenate(due) if due else np.zeros(0, np.int64)
    rows = rows[st.status[rows] == BOOKED]
    absent = st.rng.random(rows.size) < st.demand.no_show_rate
    st.status[rows[absent]] = WAITING
    st.appointment[rows[absent]] = -1
    came = rows[~absent]
    st.status[came] = SERVED
    persons = int(st.pop.size[came].sum())
    row.update(arrivals=persons, no_shows=int(st.pop.size[rows[absent]].sum()))
    counts = st.rng.multinomial(persons, outcome_p)
    row.update({f"outcome_{o}": int(c) for o, c in zip(OUTCOMES, counts, strict=True)})


def waiting_figures(st: State, row: dict) -> None:
    """Persons waiting: all, in border cities, in places the geofence refuses."""
    waiting = np.flatnonzero(st.status[: st.n] == WAITING)
    size = st.pop.size[waiting]
    row.update(waiting_persons=int(size.sum()),
               waiting_border_cities=int(size[st.in_border[waiting]].sum()),
               waiting_ineligible=int(size[~st.eligible[waiting]].sum()))
