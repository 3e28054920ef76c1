"""One page of an owner's registrations: filters, sort, limit/offset with the total.

An NGO may hold thousands of registrations; the list answers a page at a time
(issue 10, point 6). Filters on the registration's own data live here; filters on
what happened to it (requests, offers) are handed in by the features that own
those tables as ``restrict``: selects of registration ids to intersect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from garita.identity import Principal
from garita.registrations.models import Person, Registration

Sort = Literal["id", "-id", "registered_at", "-registered_at", "name", "-name",
               "group_size", "-group_size"]


def page(session: Session, who: Principal, *, limit: int, offset: int, sort: Sort = "id",
         name: str | None = None, nationality: str | None = None,
         registered_from: dt.date | None = None, registered_to: dt.date | None = None,
         restrict: Sequence[Select] = ()) -> tuple[int, list[Registration]]:
    """(total matching, the page): the caller's own registrations, filtered and sorted.

    ``name`` matches any member's given or family names (case-insensitive substring);
    ``registered_from``/``registered_to`` bound the registration's UTC date, inclusive.
    Ties in the sort are broken by id, so pages never overlap or skip.
    """
    where = [Registration.owner_id == who.account_id, Registration.erased_at.is_(None)]
    if name:
        pattern = f"%{name.lower()}%"  # IN (not a correlated EXISTS): one pass over people
        where.append(Registration.id.in_(select(Person.registration_id).where(
            or_(func.lower(Person.given_names).like(pattern),
                func.lower(Person.family_names).like(pattern)))))
    if nationality:
        where.append(Registration.lead_nationality == nationality.upper())
    if registered_from:
        where.append(Registration.registered_at >= dt.datetime.combine(
            registered_from, dt.time(), tzinfo=dt.UTC))
    if registered_to:
        where.append(Registration.registered_at < dt.datetime.combine(
            registered_to + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC))
    where += [Registration.id.in_(ids) for ids in restrict]
    total = session.scalar(select(func.count()).select_from(Registration).where(*where))
    query = select(Registration).options(selectinload(Registration.people)).where(*where)
    desc, key = sort.startswith("-"), sort.lstrip("-")
    if key == "name":  # the lead's family then given names: join the lead, once
        query = query.join(Person, and_(Person.registration_id == Registration.id,
                                        Person.position == 0))
        columns = [Person.family_names, Person.given_names]
    else:
        columns = [] if key == "id" else [getattr(Registration, key)]
    order = [c.desc() if desc else c for c in [*columns, Registration.id]]
    return int(total or 0), list(session.scalars(query.order_by(*order).limit(limit)
                                                 .offset(offset)))
