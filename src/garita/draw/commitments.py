"""Commit-reveal of the daily seed: SHA-256 public before the window closes, seed after.

A commitment is made once per service day and never changes: by an admin
(route or ``garita draw commit``), lazily by anyone reading the day's
commitment while its window is still open, or — too late to count — by the
draw itself. The draw records whether its commitment came before the window
closed (``committed_in_advance``), so verifiers see an honest flag rather than
a draw that silently had no commitment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.draw import pseudonyms
from garita.draw.models import DrawCommitment
from garita.draw.pseudonyms import DrawSecrets
from garita.errors import NotFound, Refused
from garita.policy import calendar
from garita.policy import service as policies
from garita.policy.schemas import Policy

#: How far ahead a commitment may be made (a guard against filling the table with far days).
AHEAD_DAYS = 30


def window_close(policy: Policy, service_date: dt.date) -> dt.datetime:
    """The last moment a request for this day is accepted (inclusive, like the window)."""
    w = policy.request_window
    return dt.datetime.combine(service_date, w.end, tzinfo=ZoneInfo(w.timezone))


def in_advance(commitment: DrawCommitment, policy: Policy) -> bool:
    return commitment.committed_at <= window_close(policy, commitment.service_date)


def find(session: Session, service_date: dt.date) -> DrawCommitment | None:
    return session.scalar(select(DrawCommitment)
                          .where(DrawCommitment.service_date == service_date))


def commitment_for(session: Session, service_date: dt.date, now: dt.datetime,
                   secrets: DrawSecrets, actor: str = "system:commit") -> DrawCommitment:
    """The day's commitment, made now if the request window has not yet closed.

    Callable from anywhere (admin route, CLI, the public read, a scheduler);
    two callers racing get the same row.
    """
    found = find(session, service_date)
    if found is not None:
        return found
    policy = policies.in_force(session, service_date).policy
    if not policy.active:
        raise Refused(f"The scheme was closed on {service_date}: there is no draw to commit to.")
    close = window_close(policy, service_date)
    if now > close:
        raise NotFound(f"No seed was committed for {service_date} before its request window "
                       f"closed ({close:%Y-%m-%d %H:%M %Z}); its draw, if any, is marked "
                       "committed_in_advance=false.")
    today = calendar.local(now, policy.request_window.timezone).date()
    if service_date > today + dt.timedelta(days=AHEAD_DAYS):
        raise Refused(f"Commitments are made at most {AHEAD_DAYS} days ahead; ask again on or "
                      f"after {service_date - dt.timedelta(days=AHEAD_DAYS)}.")
    return _create(session, service_date, now, secrets, actor, in_time=True)


def for_draw(session: Session, service_date: dt.date, now: dt.datetime,
             secrets: DrawSecrets, actor: str) -> DrawCommitment:
    """The commitment the draw must use: the existing one, or a late one made now."""
    return find(session, service_date) or _create(session, service_date, now, secrets, actor,
                                                  in_time=False)


def _create(session: Session, service_date: dt.date, now: dt.datetime, secrets: DrawSecrets,
            actor: str, *, in_time: bool) -> DrawCommitment:
    seed = pseudonyms.new_seed()
    row = DrawCommitment(service_date=service_date, seed_sha256=hashlib.sha256(seed).hexdigest(),
                         seed_sealed=pseudonyms.seal(secrets.seed_key, service_date, seed),
                         committed_at=now, committed_by=actor)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # a parallel caller committed first: theirs stands
        twin = find(session, service_date)
        if twin is None:
            raise
        return twin
    audit.record(session, actor=actor, action="draw.commit", object_type="draw_commitment",
                 object_id=row.id, change={"day": service_date, "seed_sha256": row.seed_sha256,
                                           "before_window_closed": in_time})
    return row


def open_seed(commitment: DrawCommitment, secrets: DrawSecrets) -> bytes:
    """Unseal the seed and check it against the public hash (a mismatch is never drawn on)."""
    for key in (secrets.seed_key, *secrets.previous_seed_keys):
        try:
            seed = pseudonyms.unseal(key, commitment.service_date, commitment.seed_sealed)
            break
        except ValueError:
            continue
    else:
        raise Refused(f"The committed seed for {commitment.service_date} does not open: "
                      "neither GARITA_SEED_KEY nor GARITA_SEED_KEY_PREVIOUS is the key it was "
                      "sealed with. Restore that key.")
    if hashlib.sha256(seed).hexdigest() != commitment.seed_sha256:
        raise Refused(f"The committed seed for {commitment.service_date} does not match its "
                      "published SHA-256; the draw cannot run on it.")
    return seed


def public(session: Session, service_date: dt.date, now: dt.datetime,
           secrets: DrawSecrets) -> dict:
    """What anyone may see: the hash and when it was committed; the seed once revealed."""
    row = find(session, service_date)
    if row is None:
        row = commitment_for(session, service_date, now, secrets, actor="system:commit")
    policy = policies.in_force(session, service_date).policy
    seed = None
    if row.revealed_at is not None:
        seed = open_seed(row, secrets).hex()
    return {"service_date": service_date, "seed_sha256": row.seed_sha256,
            "committed_at": row.committed_at, "window_closes_at": window_close(policy, service_date),
            "committed_in_advance": in_advance(row, policy), "revealed_at": row.revealed_at,
            "seed": seed}
