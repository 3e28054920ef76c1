"""Alerts: raise them idempotently, read them for the arrival list, let analysts decide."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from sqlalchemy import insert, select, union
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.db import paged
from garita.errors import Conflict, Invalid, NotFound
from garita.identity import Principal
from garita.integrity import summaries
from garita.integrity.models import Alert
from garita.integrity.schemas import TIERS, AlertKind, AlertOut, AlertStatus, Decision
from garita.offers import service as offers
from garita.requests import service as requests

LIVE = ("open", "confirmed")


def alerts_for_registrations(
    session: Session, registration_ids: list[int], tiers: tuple[str, ...] = ("act",)
) -> dict[int, list[AlertOut]]:
    """Open and confirmed alerts per registration, whichever port's data raised them.

    Only the tiers asked for: by default what an officer must act on (a port's
    arrival list); review and note alerts stay with the analysts. Every id
    asked for is a key (empty list when clean) so callers can render "no
    alerts" without a second lookup. Chunked so a long arrival list stays
    under parameter limits.
    """
    severities = [sev for sev, name in TIERS.items() if name in tiers]
    out: dict[int, list[AlertOut]] = defaultdict(list)
    ids = sorted(set(registration_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.scalars(
            select(Alert)
            .where(Alert.registration_id.in_(chunk), Alert.status.in_(LIVE),
                   Alert.severity.in_(severities))
            .order_by(Alert.registration_id, Alert.id)
        )
        for row in rows:
            if row.registration_id is not None:  # always: the query asked for these ids
                out[row.registration_id].append(AlertOut.model_validate(row))
    return {rid: out.get(rid, []) for rid in ids}


def fingerprint(kind: str, registration_id: int | None, person_id: int | None, key: str) -> str:
    """One alert per (finding, person): re-running a job raises nothing new."""
    raw = f"{kind}|{registration_id}|{person_id}|{key}"
    return hashlib.sha256(raw.encode()).hexdigest()


CHUNK = 5_000  # findings per fingerprint lookup / INSERT / audit batch (SQLite binds < 32,766)


def raise_alerts(session: Session, findings: list[dict], now: dt.datetime, actor: str) -> int:
    """Insert the findings not raised before; each one audited. Returns how many were new.

    A finding is a dict with kind, registration_id, person_id, severity, score,
    summary, evidence and key (what makes it the same finding next time).

    Written in chunks (a lookup of existing fingerprints, one multi-row INSERT
    ... RETURNING id, one bulk audit append): a screening run raises about a
    million alerts, which one flush and one head update per alert would take
    hours to write. No ORM objects are created, so the session does not grow.
    """
    prints = {fingerprint(f["kind"], f["registration_id"], f.get("person_id"), f["key"]): f
              for f in findings}
    keys, new = list(prints), 0
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        seen = set(session.scalars(select(Alert.fingerprint).where(Alert.fingerprint.in_(chunk))))
        rows = [_alert_row(prints[fp], fp, now, actor) for fp in chunk if fp not in seen]
        if not rows:
            continue
        ids = session.scalars(insert(Alert).returning(Alert.id, sort_by_parameter_order=True),
                              rows).all()
        audit.record_many(session, [
            {"actor": actor, "action": "alert.raise", "object_type": "alert", "object_id": aid,
             "change": {"kind": r["kind"], "fingerprint": r["fingerprint"]}}
            for aid, r in zip(ids, rows, strict=True)])
        new += len(rows)
    return new


def _alert_row(f: dict, fp: str, now: dt.datetime, actor: str) -> dict:
    return {"kind": f["kind"], "registration_id": f["registration_id"],
            "person_id": f.get("person_id"), "severity": f["severity"], "score": f.get("score"),
            "status": "open", "summary": f["summary"][:300], "evidence": f["evidence"],
            "fingerprint": fp, "raised_at": now, "raised_by": actor}


ALERT_ORDER = {"newest": (Alert.id.desc(),), "oldest": (Alert.id,),
               "score": (Alert.score.desc(), Alert.id.desc())}


def list_alerts(session: Session, *, kind: AlertKind | None = None,
                status: AlertStatus | None = None, registration_id: int | None = None,
                port: str | None = None, severity: str | None = None,
                limit: int = 100, offset: int = 0,
                raised_from: dt.date | None = None, raised_to: dt.date | None = None,
                sort: str = "newest") -> tuple[list[AlertOut], int]:
    """A page of alerts and how many match in all. ``port`` keeps alerts on registrations
    requesting or offered that port; ``raised_from``/``raised_to`` are UTC dates."""
    q = select(Alert)
    if kind:
        q = q.where(Alert.kind == kind.value)
    if status:
        q = q.where(Alert.status == status.value)
    if severity:
        q = q.where(Alert.severity == severity)
    if registration_id is not None:
        q = q.where(Alert.registration_id == registration_id)
    if port:
        at_port = union(offers.registration_ports(port),
                        requests.registration_ports(port)).subquery()
        q = q.where(Alert.registration_id.in_(select(at_port.c.registration_id)))
    if raised_from is not None:
        q = q.where(Alert.raised_at >= dt.datetime.combine(raised_from, dt.time(), dt.UTC))
    if raised_to is not None:
        q = q.where(Alert.raised_at < dt.datetime.combine(raised_to + dt.timedelta(days=1),
                                                          dt.time(), dt.UTC))
    rows, total = paged(session, q, ALERT_ORDER[sort], limit=limit, offset=offset)
    return [AlertOut.model_validate(a) for a in rows], total


def get_alert(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"No alert {alert_id}; list alerts at GET /integrity/alerts.")
    return alert


def decide(session: Session, alert_id: int, decision: Decision, who: Principal,
           now: dt.datetime) -> AlertOut:
    """Confirm or dismiss an open alert, with the analyst's note (audited)."""
    if decision.status == AlertStatus.open:
        raise Invalid("A decision is 'confirmed' or 'dismissed'; 'open' is not a decision.")
    alert = session.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        raise NotFound(f"No alert {alert_id}; list alerts at GET /integrity/alerts.")
    if alert.status != "open":
        raise Conflict(f"Alert {alert_id} was already {alert.status} by {alert.decided_by}; "
                       "it cannot be decided twice.")
    alert.status, alert.note = decision.status.value, decision.note
    alert.decided_by, alert.decided_at = who.actor, now
    session.flush()
    audit.record(session, actor=who.actor, action=f"alert.{decision.status.value}",
                 object_type="alert", object_id=alert.id,
                 change={"status": alert.status, "note": decision.note})
    return AlertOut.model_validate(alert)


def has_alert(session: Session, registration_id: int) -> bool:
    """Is this registration the subject of an alert? What lets an analyst see its people."""
    return session.scalar(select(Alert.id).where(
        Alert.registration_id == registration_id).limit(1)) is not None


def redact(session: Session, registration_id: int) -> int:
    """Strip a withdrawn registration's names and contacts out of the alerts.

    Its own alerts keep only their kind, severity, status and decision (summary = the
    kind, evidence and note emptied). Alerts on *other* registrations that quote it are
    cleaned too: a duplicate-identity alert drops the erased person's names ("other"),
    and an alert of a shared address, phone or email cluster it belonged to drops the
    list of surnames (its counts stay). Returns how many alerts were changed."""
    own = list(session.scalars(select(Alert).where(Alert.registration_id == registration_id)))
    changed = 0
    clusters = {(a.kind, str(a.evidence.get("value"))) for a in own
                if a.kind.startswith("shared_") and a.evidence}
    for a in own:
        a.summary, a.evidence, a.note = summaries.summary(a.kind, {}), {}, None
        changed += 1
    quoting = session.scalars(select(Alert).where(
        Alert.kind == "duplicate_identity",
        Alert.summary.like(f"% in registration {registration_id} (probability %")))
    for a in quoting:
        if a.evidence.get("other_registration_id") == registration_id:
            a.evidence = {**a.evidence, "other": {"erased": True}}
            changed += 1
    for kind, value in clusters:
        for a in session.scalars(select(Alert).where(Alert.kind == kind,
                                                     Alert.registration_id != registration_id)):
            if str(a.evidence.get("value")) == value and "surnames" in a.evidence:
                a.evidence = {k: v for k, v in a.evidence.items() if k != "surnames"}
                changed += 1
    session.flush()
    return changed


def report(session: Session, who: Principal, text: str, registration_id: int | None,
           now: dt.datetime, key: str) -> int:
    """A person's report of someone selling appointments or fake notices, as an alert for
    the analysts (medium: review). ``key`` (the help request's id) keeps it one alert.
    ``registration_id`` is the registration a reported notice belongs to, if known."""
    evidence = {"reported_by": who.actor, "text": text, "help_request": key}
    finding = {"kind": "report", "registration_id": registration_id, "person_id": None,
               "severity": "medium", "score": None, "key": key,
               "summary": summaries.summary("report", evidence), "evidence": evidence}
    raise_alerts(session, [finding], now, who.actor)
    return session.scalar(select(Alert.id).where(Alert.fingerprint == fingerprint(
        "report", registration_id, None, key))) or 0
