"""Run the daily draw: read the day's requests, draw (pure core), write offers.

One set-based pass per day. Idempotent by service date: a second run returns
the stored draw and changes nothing. The seed comes from a CSPRNG unless one is
given (tests, or a seed committed in advance).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict

import numpy as np
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.errors import NotFound, Refused
from garita.policy import service as policies
from garita.policy.schemas import PORT_CODES, Policy
from garita.scheduling import calendar, core
from garita.scheduling.models import DailyRequest, Draw, Offer
from garita.scheduling.schemas import DrawOut
from garita.scheduling.service import HOLDING, lapse_expired

DRAW_LOCK = 0x6761726974610001  # 'garita' + 1: the advisory lock id for draws
PORT_INDEX = {code: i for i, code in enumerate(PORT_CODES)}


def slot_capacity(policy: Policy, port: str) -> list[int]:
    """A port's daily places spread over the slots, the remainder to the earliest."""
    cap, n = policy.port_capacity.get(port, 0), len(policy.slots)
    return [cap // n + (1 if i < cap % n else 0) for i in range(n)]


def _held(session: Session, days: list[dt.date]) -> dict[tuple[str, dt.date, dt.time], int]:
    rows = session.execute(
        select(Offer.port, Offer.appointment_date, Offer.slot, func.sum(Offer.persons))
        .where(Offer.appointment_date.in_(days), Offer.status.in_(HOLDING))
        .group_by(Offer.port, Offer.appointment_date, Offer.slot))
    return {(p, d, s): int(n) for p, d, s, n in rows}


def build_bins(session: Session, policy: Policy, days: list[dt.date]) -> dict[int, list[core.Bin]]:
    """Free places per port, earliest day and slot first (capacity of the day's policy)."""
    held = _held(session, days)
    bins: dict[int, list[core.Bin]] = defaultdict(list)
    for day in days:
        day_policy = policies.in_force(session, day).policy
        for port in PORT_CODES:
            for slot, cap in zip(policy.slots, slot_capacity(day_policy, port), strict=True):
                free = cap - held.get((port, day, slot), 0)
                if free > 0 and day_policy.active:
                    bins[PORT_INDEX[port]].append(core.Bin(day=day, slot=slot, free=free))
    return dict(bins)


def read_requests(session: Session, service_date: dt.date) -> core.DrawRequests:
    rows = session.execute(
        select(DailyRequest.id, DailyRequest.port, DailyRequest.group_size,
               DailyRequest.registered_at)
        .where(DailyRequest.service_date == service_date)).all()
    ids, ports, sizes, reg = zip(*rows, strict=True) if rows else ((), (), (), ())
    return core.DrawRequests(
        ticket=np.asarray(ids, dtype=np.uint64),
        port=np.asarray([PORT_INDEX[p] for p in ports], dtype=np.int16),
        size=np.asarray(sizes, dtype=np.int64),
        registered_at=np.asarray([int(_utc(t).timestamp()) for t in reg], dtype=np.int64),
    )


def _utc(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t


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


def run(session: Session, service_date: dt.date, now: dt.datetime, actor: str,
        seed: bytes | None = None) -> tuple[Draw, bool]:
    """Draw one service day; returns (draw, ran). ``ran`` is False if it already existed."""
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
    lapse_expired(session, now, actor)
    seed = seed if seed is not None else secrets.token_bytes(32)
    days = calendar.appointment_dates(policy, service_date)
    result = core.draw(read_requests(session, service_date), build_bins(session, policy, days),
                       policy.longest_waiting_share, seed)
    draw = Draw(service_date=service_date, policy_version_id=version.id, seed=seed.hex(),
                seed_sha256=hashlib.sha256(seed).hexdigest(), ran_at=now,
                result_digest=core.allocation_digest(result), summary=_summary(result))
    session.add(draw)
    session.flush()
    _write_offers(session, draw, result, calendar.confirm_deadline(policy, service_date))
    audit.record(session, actor=actor, action="draw.run", object_type="draw", object_id=draw.id,
                 change={"day": service_date, "seed_sha256": draw.seed_sha256,
                         "result_digest": draw.result_digest, "offers": len(result)})
    return draw, True


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
                  deadline: dt.datetime) -> None:
    if not len(result):
        return
    tickets = [int(t) for t in result.ticket]
    reg_of = dict(session.execute(select(DailyRequest.id, DailyRequest.registration_id)
                                  .where(DailyRequest.id.in_(tickets))).all())
    tiers = result.tier_names
    session.execute(insert(Offer), [
        {"draw_id": draw.id, "request_id": t, "registration_id": reg_of[t],
         "port": PORT_CODES[int(result.port[i])], "tier": tiers[i], "rank": int(result.rank[i]),
         "persons": int(result.size[i]), "appointment_date": result.day[i],
         "slot": result.slot[i], "confirm_deadline": deadline, "status": "offered"}
        for i, t in enumerate(tickets)])


def to_out(draw: Draw) -> DrawOut:
    return DrawOut(service_date=draw.service_date, policy_version_id=draw.policy_version_id,
                   seed=draw.seed, seed_sha256=draw.seed_sha256, ran_at=draw.ran_at,
                   result_digest=draw.result_digest, summary=draw.summary)


def last_drawn(session: Session) -> dt.date | None:
    return session.scalar(select(func.max(Draw.service_date)))
