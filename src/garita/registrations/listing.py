"""One page of an owner's registrations: filters, sort, limit/offset with the total.

An NGO may hold thousands of registrations; the list answers a page at a time
(issue 10, point 6). A name is matched on the registration's normalised names
(``registrations.search``: one column, one trigram index, no join), so a page of
the commonest surname reads the primary key in order and stops after the page;
its total is counted up to ``NAME_TOTAL_CAP`` only (see ``page``). Filters on the
registration's own data live here; filters on what happened to it (requests,
offers) are handed in by the features that own those tables as ``restrict``:
selects of registration ids to intersect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlalchemy import Select, and_, false, func, select
from sqlalchemy.orm import Session, selectinload

from garita.identity import Principal
from garita.registrations.models import Person, Registration
from garita.registrations.search import like_pattern

Sort = Literal["id", "-id", "registered_at", "-registered_at", "name", "-name",
               "group_size", "-group_size"]

# With a name, the total counts at most this many matches: counting every "pérez"
# among 100,000 registrations means reading each of them (~19,000), for a number
# nobody pages through; beyond it the page says "more than 1,000" (``exact`` False).
NAME_TOTAL_CAP = 1_000


def page(session: Session, who: Principal, *, limit: int, offset: int, sort: Sort = "id",
         name: str | None = None, nationality: str | None = None,
         registered_from: dt.date | None = None, registered_to: dt.date | None = None,
         restrict: Sequence[Select] = ()) -> tuple[int, bool, list[Registration]]:
    """(total matching, whether that total is exact, the page): the caller's own
    registrations, filtered and sorted.

    ``name`` is a substring of any member's names, given then family, compared as
    screening compares names (case, accents and punctuation ignored: "perez" finds
    "Pérez", "yusmary rojas" finds Yusmary Rojas Díaz). With a name the total is
    exact up to ``NAME_TOTAL_CAP``; past it the total is the cap and not exact.
    ``registered_from``/``registered_to`` bound the registration's UTC date, inclusive.
    Ties in the sort are broken by id, so pages never overlap or skip.
    """
    where = [Registration.owner_id == who.account_id, Registration.erased_at.is_(None)]
    if name is not None:
        pattern = like_pattern(name)
        where.append(false() if pattern is None else Registration.search_names.like(pattern))
    if nationality:
        where.append(Registration.lead_nationality == nationality.upper())
    if registered_from:
        where.append(Registration.registered_at >= dt.datetime.combine(
            registered_from, dt.time(), tzinfo=dt.UTC))
    if registered_to:
        where.append(Registration.registered_at < dt.datetime.combine(
            registered_to + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC))
    where += [Registration.id.in_(ids) for ids in restrict]
    matching = select(Registration.id).where(*where)
    if name is not None:  # stops at the cap+1st match: cheap however common the name
        matching = matching.limit(NAME_TOTAL_CAP + 1)
    total = int(session.scalar(select(func.count()).select_from(matching.subquery())) or 0)
    exact = name is None or total <= NAME_TOTAL_CAP
    total = total if exact else NAME_TOTAL_CAP
    query = select(Registration).options(selectinload(Registration.people)).where(*where)
    desc, key = sort.startswith("-"), sort.lstrip("-")
    if key == "name":  # the lead's family then given names: join the lead, once
        query = query.join(Person, and_(Person.registration_id == Registration.id,
                                        Person.position == 0))
        columns = [Person.family_names, Person.given_names]
    else:
        columns = [] if key == "id" else [getattr(Registration, key)]
    order = [c.desc() if desc else c for c in [*columns, Registration.id]]
    rows = list(session.scalars(query.order_by(*order).limit(limit).offset(offset)))
    return total, exact, rows
