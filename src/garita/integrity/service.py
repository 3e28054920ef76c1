"""Alerts: raise them idempotently, read them for the arrival list, let analysts decide."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.integrity.models import Alert
from garita.integrity.schemas import AlertOut

LIVE = ("open", "confirmed")


def alerts_for_registrations(
    session: Session, registration_ids: list[int]
) -> dict[int, list[AlertOut]]:
    """Open and confirmed alerts per registration, whichever port's data raised them.

    Every id asked for is a key (empty list when clean) so callers can render
    "no alerts" without a second lookup. Chunked so a long arrival list stays
    under parameter limits.
    """
    out: dict[int, list[AlertOut]] = defaultdict(list)
    ids = sorted(set(registration_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.scalars(
            select(Alert)
            .where(Alert.registration_id.in_(chunk), Alert.status.in_(LIVE))
            .order_by(Alert.registration_id, Alert.id)
        )
        for row in rows:
            out[row.registration_id].append(AlertOut.model_validate(row))
    return {rid: out.get(rid, []) for rid in ids}
