"""Download, delete and retention: a registration's data across every feature.

This feature sits above all the others that hold data about a registration
(offers, requests, notices, corridor, ports, integrity), so the whole of a
person's data can be gathered or erased in one transaction, each feature through
its own service. Takes a session, never commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth import service as accounts
from garita.corridor import service as corridor
from garita.help import service as help_queue
from garita.identity import Principal
from garita.integrity import service as integrity
from garita.messaging import service as messaging
from garita.notices import service as notices
from garita.offers import service as offers
from garita.photos import service as photos
from garita.ports import service as ports
from garita.registrations import changes, erasure
from garita.registrations import service as registrations
from garita.requests import service as day_requests
from garita.rights import core
from garita.rights.schemas import Deleted, RetentionRun


def export(session: Session, who: Principal, registration_id: int) -> dict[str, Any]:
    """Everything Garita holds about a registration, for its owner (JSON-ready).

    Integrity alerts are not included: screening findings go to the analysts, and an
    applicant asks the operator for them (docs/data-rights.md says why)."""
    reg = registrations.get(session, registration_id, who)
    out = registrations.to_out(reg).model_dump(mode="json")
    out["people"] = [{
        "id": p.id, "position": p.position, "given_names": p.given_names,
        "family_names": p.family_names, "date_of_birth": p.date_of_birth.isoformat(),
        "country_of_birth": p.country_of_birth, "nationality": p.nationality, "sex": p.sex,
        "documents": p.documents, "photo_sha256": p.photo_sha256,
        "us_address": {"street": p.us_street, "unit": p.us_unit, "city": p.us_city,
                       "state": p.us_state, "zip": p.us_zip}} for p in reg.people]
    out["assistance"] = reg.assistance
    out["account_email"] = accounts.email_of(session, reg.owner_id)
    out["requests"] = [{
        "id": r.id, "service_date": r.service_date.isoformat(), "port": r.port,
        "lat": r.lat, "lon": r.lon, "state": r.state, "zone": r.zone,
        "requested_at": r.requested_at.isoformat()}
        for r in day_requests.of_registration(session, reg.id)]
    offer_rows = offers.of_registration(session, reg.id)
    numbers = notices.numbers_of(session, [o.id for o in offer_rows])
    out["offers"] = [{
        "id": o.id, "port": o.port, "tier": o.tier, "appointment_date":
        o.appointment_date.isoformat(), "slot": o.slot.isoformat(), "status": o.status,
        "confirm_deadline": o.confirm_deadline.isoformat(),
        "confirmation_number": numbers.get(o.id)} for o in offer_rows]
    out["confirmations"] = [{
        "offer_id": c.offer_id, "person_id": c.person_id, "lat": c.lat, "lon": c.lon,
        "state": c.state, "eligible": c.eligible, "at": c.at.isoformat()}
        for c in offers.confirmations_of(session, [o.id for o in offer_rows])]
    out["changes"] = [{"at": c.at.isoformat(), "by": c.actor, "action": c.action,
                       "person_id": c.person_id, "fields": c.fields, "reason": c.reason}
                      for c in changes.changes_of(session, reg.id)]
    out["history"] = audit.entries_for(session, "registration", reg.id)
    audit.record(session, actor=who.actor, action="registration.export",
                 object_type="registration", object_id=reg.id, change={})
    return out


def _erase_everywhere(session: Session, registration_id: int, actor: str, reason: str,
                      now: dt.datetime) -> int:
    """Erase one registration's personal data in every feature that holds some."""
    reg = erasure.load(session, registration_id)
    if reg is None:
        return 0
    messaging.erase_for(session, addresses=[a for a in (reg.email, reg.phone) if a])
    people = erasure.erase(session, reg, actor, reason, now)
    offer_ids = offers.withdraw_registration(session, registration_id, now)
    day_requests.coarsen(session, registration_id)
    notices.erase_for_offers(session, offer_ids)
    corridor.erase_permits(session, people)
    photos.erase_people(session, people)
    ports.erase_notes(session, offer_ids)
    integrity.redact(session, registration_id)
    help_queue.erase_for_registration(session, registration_id)
    return len(people)


def delete(session: Session, who: Principal, registration_id: int, reason: str,
           close_account: bool, now: dt.datetime) -> tuple[Deleted, list[str]]:
    """The owner withdraws a registration and its personal data is erased at once; with
    ``close_account`` (and no other registration) the account too, its sessions ended
    (returned, for the caller's process to refuse their tokens at once)."""
    reg = registrations.get(session, registration_id, who)
    owner = reg.owner_id
    people = _erase_everywhere(session, reg.id, who.actor, reason, now)
    closed, ended = False, []
    if close_account and erasure.live_owned_by(session, owner) == 0:
        messaging.erase_for(session, addresses=[], account_id=owner)
        ended = accounts.close_account(session, owner, who.actor, now)
        help_queue.erase_for_account(session, owner)
        closed = True
    return Deleted(registration_id=registration_id, erased_at=now, people=people,
                   account_closed=closed), ended


RETENTION_ACTOR = "system:retention"


def retention(session: Session, now: dt.datetime, days: int, batch: int = 10_000) -> RetentionRun:
    """Erase every registration unused for more than ``days`` (idempotent: an erased
    registration is never read again; each erasure is audited, and so is the run)."""
    today = now.date()
    cutoff = today - dt.timedelta(days=days)
    registered_before = dt.datetime.combine(cutoff, dt.time(), dt.UTC)
    candidates = erasure.retention_candidates(session, registered_before, batch)
    ids = [rid for rid, _, _ in candidates]
    asked = day_requests.last_asked(session, ids)
    erased = 0
    for rid, registered_at, _owner in candidates:
        latest = offers.latest(session, rid)
        used = core.last_use(registered_at, asked.get(rid),
                             latest.appointment_date if latest is not None else None)
        if core.due(used, today, days):
            _erase_everywhere(session, rid, RETENTION_ACTOR, f"retention: unused since {used}",
                              now)
            erased += 1
    audit.record(session, actor=RETENTION_ACTOR, action="retention.run", object_type="retention",
                 object_id=today.isoformat(),
                 change={"days": days, "examined": len(candidates), "erased": erased})
    return RetentionRun(examined=len(candidates), erased=erased, cutoff=cutoff)
