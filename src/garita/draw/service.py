"""Run the daily draw: read the day's requests, draw (pure core), write offers.

One set-based pass per day. Idempotent by service date: a second run returns
the stored draw and changes nothing. The seed is the day's committed seed
(`commitments`), revealed by the draw; requests enter the core under their
pseudonymous tickets (`pseudonyms`), read column-wise (`read`), and the
draw keeps what it needs to publish itself exactly as it ran (`publication`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import numpy as np
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.draw import commitments, core, pseudonyms, publication
from garita.draw import read as draw_input
from garita.draw.models import Draw
from garita.draw.pseudonyms import DrawSecrets, tickets
from garita.draw.schemas import DrawOut, Status
from garita.errors import NotFound, Refused
from garita.offers import service as offers
from garita.policy import calendar, roads
from garita.policy import service as policies
from garita.policy.ports import PORT_CODES
from garita.policy.schemas import Policy
from garita.requests import service as day_requests
from garita.requests.columns import read_frame

_EPOCH = dt.date(1970, 1, 1)
commitment_for = commitments.commitment_for  # the day's commitment, made now if still in time
DRAW_LOCK = 0x6761726974610001  # 'garita' + 1: the advisory lock id for draws
PORT_INDEX = draw_input.PORT_INDEX


def slot_capacity(policy: Policy, port: str) -> list[int]:
    """A port's daily places spread over the slots, the remainder to the earliest."""
    cap, n = policy.port_capacity.get(port, 0), len(policy.slots)
    return [cap // n + (1 if i < cap % n else 0) for i in range(n)]


def build_bins(session: Session, policy: Policy, days: list[dt.date],
               spare: bool = False) -> dict[int, list[core.Bin]]:
    """Free places per port, earliest day and slot first (capacity of the day's policy).

    Under ``group-fair`` a slot may hold more than its share (slots flex by persons),
    so a slot's excess is taken from the day's last slots: a day's bins always add up
    to its places minus the persons it holds, never more.
    """
    held = offers.held_places(session, days)
    bins: dict[int, list[core.Bin]] = defaultdict(list)
    for day in days:
        day_policy = policies.in_force(session, day).policy
        if not day_policy.active:
            continue
        for port in PORT_CODES:
            free = [cap - held.get((port, day, slot), 0)
                    for slot, cap in zip(policy.slots, slot_capacity(day_policy, port),
                                         strict=True)]
            for slot, left in zip(policy.slots, _spread_excess(free), strict=True):
                if left > 0:
                    bins[PORT_INDEX[port]].append(core.Bin(day=day, slot=slot, free=left,
                                                           spare=spare))
    return dict(bins)


def _spread_excess(free: list[int]) -> list[int]:
    """Slots' free places with any slot's overflow (negative free) taken from the last slots."""
    excess = -sum(f for f in free if f < 0)
    out = [max(f, 0) for f in free]
    for i in range(len(out) - 1, -1, -1):
        take = min(excess, out[i])
        out[i] -= take
        excess -= take
    return out


def earliest_days(session: Session, service_date: dt.date, policy: Policy,
                  ids: np.ndarray, road_times: Path | None = None,
                  table: roads.Table | None = None) -> np.ndarray:
    """Per request id (same order), the first appointment day a bus can reach from where
    it was made (days since 1970-01-01; 0: any day). Only requests from a corridor
    hub's states have one (`CorridorPolicy.earliest_appointment`, policy data), on the
    road times ``table`` (the one a draw recorded), else those of the file
    ``road_times`` (``GARITA_ROAD_TIMES_FILE``, as the planner reads it)."""
    out = np.zeros(len(ids), np.int32)
    c = policy.corridor
    if c is None or not c.active or not len(ids):
        return out
    rows = day_requests.asked_from(session, service_date,
                                       [s for h in c.hubs for s in h.states])
    if not rows:
        return out
    if table is None:
        table = roads.load(road_times, c)
    ready, first_slot, known = calendar.draw_moment(policy, service_date), policy.slots[0], {}
    order = np.argsort(ids)
    for request_id, state, port in rows:
        if (state, port) not in known:
            day = c.earliest_appointment(state, port, ready, first_slot, table)
            known[state, port] = 0 if day is None else (day - _EPOCH).days
        out[order[np.searchsorted(ids[order], request_id)]] = known[state, port]
    return out


def spare_bins(session: Session, policy: Policy, days: list[dt.date],
               earliest: np.ndarray | None) -> dict[int, list[core.Bin]]:
    """Later days, up to the furthest earliest day, for groups who cannot reach ``days``."""
    furthest = 0 if earliest is None else int(earliest.max(initial=0))
    if not days or furthest <= (days[-1] - _EPOCH).days:
        return {}
    later = [days[-1] + dt.timedelta(days=k)
             for k in range(1, furthest - (days[-1] - _EPOCH).days + 1)]
    return build_bins(session, policy, later, spare=True)


def read_requests(session: Session, service_date: dt.date, ticket_key: bytes,
                  tz: str, policy: Policy | None = None, road_times: Path | None = None,
                  aside: dict[int, int] | None = None, table: roads.Table | None = None,
                  ) -> tuple[core.DrawRequests, np.ndarray]:
    """The day's requests keyed by pseudonymous ticket, and their request ids (same order);
    with ``policy``, each request's earliest reachable day (`earliest_days`)."""
    frame = read_frame(session, service_date, aside)
    cols = draw_input.draw_columns(frame, ticket_key, tz)
    earliest = None if policy is None else earliest_days(session, service_date, policy,
                                                         cols["id"], road_times, table)
    try:
        requests = core.DrawRequests(ticket=cols["ticket"], port=cols["port"], size=cols["size"],
                                     registered_at=cols["registered_at"], earliest=earliest)
    except ValueError as exc:  # two tickets colliding in 63 bits: ~5e-8 at a million requests
        raise Refused(f"The draw inputs for {service_date} are not valid ({exc}); set a new "
                      "GARITA_TICKET_KEY before this day's draw and run it again.") from exc
    return requests, cols["id"]


def _serialise_draws(session: Session) -> None:
    """Two draws racing for one day must not both write: the second waits, then finds the
    first. PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE already
    serialises writers."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DRAW_LOCK})


def get(session: Session, service_date: dt.date) -> Draw:
    found = session.scalar(select(Draw).where(Draw.service_date == service_date))
    if found is None:
        raise NotFound(f"No draw has run for {service_date}.")
    return found


def run(session: Session, service_date: dt.date, now: dt.datetime, actor: str, *,
        secrets: DrawSecrets, require_commitment: bool = False,
        road_times: Path | None = None) -> tuple[Draw, bool]:
    """Draw one service day; returns (draw, ran). ``ran`` is False if it already existed.

    The seed is the day's committed one (made now, and flagged late, if nobody
    committed in time); with ``require_commitment`` a late commitment refuses.
    """
    _serialise_draws(session)
    existing = session.scalar(select(Draw).where(Draw.service_date == service_date))
    if existing is not None:
        return existing, False
    version = policies.in_force(session, service_date)
    policy = version.policy
    if not policy.active:
        raise Refused(f"The scheme was closed on {service_date}: there is nothing to draw.")
    due = calendar.draw_moment(policy, service_date)
    if now < due:
        raise Refused(f"The draw for {service_date} runs at {due:%Y-%m-%d %H:%M %Z}, after "
                      "the request window; try again then.")
    if require_commitment and not _committed_in_time(session, service_date, policy):
        raise Refused(f"No seed was committed for {service_date} before its request window "
                      "closed, and this site requires one (GARITA_DRAW_REQUIRE_COMMITMENT).")
    commitment = commitments.for_draw(session, service_date, now, secrets, actor)
    seed = commitments.open_seed(commitment, secrets)
    offers.lapse_expired(session, now, actor)
    tz = policy.request_window.timezone
    aside = day_requests.set_aside(session, service_date)  # one entry per person
    # the road table the reachable days are computed on, read once and recorded with the
    # draw: its publication recomputes them from the record, whatever the file says later
    table = roads.load(road_times, policy.corridor) if (
        policy.corridor is not None and policy.corridor.active) else None
    requests, ids = read_requests(session, service_date, secrets.ticket_key, tz, policy,
                                  road_times=road_times, aside=aside, table=table)
    days = calendar.appointment_dates(policy, service_date)
    bins = build_bins(session, policy, days)
    for port, extra in spare_bins(session, policy, days, requests.earliest).items():
        bins[port] = bins.get(port, []) + extra
    result = core.draw(requests, bins, policy.longest_waiting_share, seed, rule=core.GROUP_FAIR)
    digest = publication.inputs_digest(requests.ticket, requests.port, requests.size,
                                       requests.registered_at, requests.earliest)
    draw = Draw(service_date=service_date, policy_version_id=version.id, seed=seed.hex(),
                seed_sha256=commitment.seed_sha256, ran_at=now,
                result_digest=core.allocation_digest(result), summary=_summary(result),
                committed_in_advance=commitments.in_advance(commitment, policy),
                draw_inputs=publication.draw_inputs_record(
                    policy.longest_waiting_share, tz, bins, digest, len(requests),
                    secrets.ticket_key_id, core.GROUP_FAIR,
                    set_aside=_ticket_pairs(secrets.ticket_key, aside),
                    road_times=None if table is None else roads.rows(table)))
    commitment.revealed_at = now
    session.add(draw)
    session.flush()
    _write_offers(session, draw, result, _request_ids(requests.ticket, ids, result.ticket),
                  calendar.confirm_deadline(policy, service_date))
    audit.record(session, actor=actor, action="draw.run", object_type="draw", object_id=draw.id,
                 change={"day": service_date, "seed_sha256": draw.seed_sha256,
                         "result_digest": draw.result_digest, "offers": len(result),
                         "inputs_sha256": digest, "requests": len(requests),
                         **({"road_times_sha256": publication.road_times_digest(
                             roads.rows(table))} if table is not None else {}),
                         "committed_in_advance": draw.committed_in_advance})
    return draw, True


def _ticket_pairs(ticket_key: bytes, aside: dict[int, int]) -> list[list[int]]:
    """[ticket set aside, ticket of the earlier entry of the same person], sorted: what the
    publication shows of the one-entry-per-person rule (tickets, never people)."""
    if not aside:
        return []
    out = tickets(ticket_key, np.asarray(list(aside), dtype=np.int64))
    stood = tickets(ticket_key, np.asarray(list(aside.values()), dtype=np.int64))
    return sorted([int(a), int(b)] for a, b in zip(out, stood, strict=True))


def _committed_in_time(session: Session, service_date: dt.date, policy: Policy) -> bool:
    found = commitments.find(session, service_date)
    return found is not None and commitments.in_advance(found, policy)


def _request_ids(tickets: np.ndarray, ids: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Request id of each chosen ticket (tickets are unique)."""
    order = np.argsort(tickets)
    return ids[order[np.searchsorted(tickets[order], chosen)]]


def _summary(result: core.DrawResult) -> dict:
    out = {}
    for s in result.ports:
        out[PORT_CODES[s.port]] = {
            "places": s.places, "requests": s.requests, "persons_requested": s.persons_requested,
            "budget_longest_waiting": s.budget_longest_waiting,
            "allocated_longest_waiting": s.allocated_longest_waiting,
            "allocated_random": s.allocated_random,
            "selected_longest_waiting": s.selected_longest_waiting,
            "selected_random": s.selected_random,
        }
    return out


def _write_offers(session: Session, draw: Draw, result: core.DrawResult,
                  request_ids: np.ndarray, deadline: dt.datetime) -> None:
    if not len(result):
        return
    ids = [int(i) for i in request_ids]
    reg_of = day_requests.registrations_of(session, ids)
    tiers = result.tier_names
    offers.issue(session, [
        {"draw_id": draw.id, "request_id": r, "registration_id": reg_of[r],
         "port": PORT_CODES[int(result.port[i])], "tier": tiers[i], "rank": int(result.rank[i]),
         "persons": int(result.size[i]), "appointment_date": result.day[i],
         "slot": result.slot[i], "confirm_deadline": deadline, "status": "offered"}
        for i, r in enumerate(ids)])


def to_out(draw: Draw) -> DrawOut:
    return DrawOut(service_date=draw.service_date, policy_version_id=draw.policy_version_id,
                   seed=draw.seed, seed_sha256=draw.seed_sha256, ran_at=draw.ran_at,
                   result_digest=draw.result_digest, summary=draw.summary,
                   committed_in_advance=draw.committed_in_advance)


def secrets_of(settings: object) -> DrawSecrets:
    """The draw's keys from a ``Settings`` (duck-typed: engines do not import settings)."""
    return DrawSecrets.of(settings.seed_key, settings.ticket_key,  # type: ignore[attr-defined]
                          tuple(getattr(settings, "seed_key_previous", ())))


def run_with(session: Session, service_date: dt.date, now: dt.datetime, actor: str,
             settings: object) -> tuple[Draw, bool]:
    """`run` with the keys and the commitment rule of a ``Settings``."""
    return run(session, service_date, now, actor, secrets=secrets_of(settings),
               require_commitment=settings.draw_require_commitment,  # type: ignore[attr-defined]
               road_times=settings.road_times_file)  # type: ignore[attr-defined]


def with_tickets(status: Status, settings: object) -> Status:
    """Show an applicant their own draw tickets, to find themselves in the published lists."""
    key = secrets_of(settings).ticket_key
    if status.request is not None:
        status.request.ticket = str(pseudonyms.ticket(key, status.request.id))
    if status.offer is not None and status.offer.request_id is not None:
        status.offer.ticket = str(pseudonyms.ticket(key, status.offer.request_id))
    return status


def last_drawn(session: Session) -> dt.date | None:
    return session.scalar(select(func.max(Draw.service_date)))


def published_days(session: Session, port: str, before: dt.date, limit: int = 28
                   ) -> list[tuple[int, dt.date, dict]]:
    """The last ``limit`` draws before ``before`` with this port's published figures
    (draw id, service day, the summary's entry for the port): the wait estimate's input."""
    rows = session.execute(select(Draw.id, Draw.service_date, Draw.summary)
                           .where(Draw.service_date < before)
                           .order_by(Draw.service_date.desc()).limit(limit))
    return [(i, day, summary.get(port, {})) for i, day, summary in rows][::-1]
