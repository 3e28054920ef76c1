"""One person, one entry: the members' stored keys (``person_key``) and the checks that
read them — which registrations share a person, and which of a day's requests repeat
one (the request route and the draw). Split from ``service`` (which re-exports what
other features call) so the rule reads in one place."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, delete, select, text, update
from sqlalchemy.orm import Session, aliased

from garita.registrations.keys import person_keys
from garita.registrations.models import Person, PersonKey, Registration

KEY_LOCK = 0x67617269  # 'gari': the advisory lock class of person keys (PostgreSQL)


def store_keys(session: Session, registration_id: int, person: Person) -> None:
    """(Re)write a member's person keys from their current fields: at registration, and
    after a correction or an added member (``changes``), so the one-entry-per-person rule
    sees the person as they are now.

    A key another registration holds is marked ``shared`` on every row that holds it.
    On PostgreSQL a transaction-scoped advisory lock per key makes two registrations
    written at once with one key see each other; SQLite has one writer at a time already.
    Locks are taken in key order, and a new registration takes all its members' keys
    at once first (``lock_keys``), so two writers do not wait on each other in a cycle
    (short of two keys sharing a 32-bit ``hashtext``)."""
    session.execute(delete(PersonKey).where(PersonKey.person_id == person.id))
    keys = keys_of(person)
    lock_keys(session, keys)  # held already if the registration took them all: no wait
    shared = set(session.scalars(select(PersonKey.key).where(
        PersonKey.key.in_(keys), PersonKey.registration_id != registration_id)))
    if shared:
        session.execute(update(PersonKey).where(PersonKey.key.in_(shared)).values(shared=True))
    session.add_all(PersonKey(person_id=person.id, registration_id=registration_id, key=k,
                              shared=k in shared) for k in keys)


def keys_of(person: Person) -> list[str]:
    return sorted(set(person_keys(person.given_names, person.family_names,
                                  person.date_of_birth, person.nationality, person.documents)))


def lock_keys(session: Session, keys: list[str]) -> None:
    """PostgreSQL: the transaction's advisory lock on each key, in key order (re-taking a
    lock it holds does not wait). SQLite has one writer at a time: nothing to do."""
    if session.get_bind().dialect.name == "postgresql":
        for k in sorted(keys):
            session.execute(text("SELECT pg_advisory_xact_lock(:cls, hashtext(:key))"),
                            {"cls": KEY_LOCK, "key": k})


def entered_twice(session: Session, registration_id: int, day: dt.date,
                  requests: Select) -> tuple[int, int] | None:
    """(registration id, owner id) of the earliest *other* registration that shares a
    person with this one and is among ``requests`` (a query of (request id, registration
    id, requested at) of one day's requests), or None: one entry per person per draw."""
    mine = aliased(PersonKey)
    theirs = aliased(PersonKey)
    asked = requests.subquery()
    row = session.execute(
        select(theirs.registration_id, Registration.owner_id)
        .join(mine, (mine.key == theirs.key) & (mine.registration_id == registration_id)
              & mine.shared)  # only a shared key can be another registration's too
        .where(theirs.registration_id != registration_id, theirs.shared)
        .join(asked, asked.c.registration_id == theirs.registration_id)
        .join(Registration, Registration.id == theirs.registration_id)
        .order_by(asked.c.requested_at, asked.c.id).limit(1)).first()
    return None if row is None else (int(row[0]), int(row[1]))


def keys_of_requests(session: Session, requests: Select) -> list[tuple[int, dt.datetime, str]]:
    """(request id, requested at, person key) of the members behind ``requests`` (a query of
    (request id, registration id, requested at)) for every key marked shared: the only rows
    the draw's one-entry-per-person rule needs, as a key no other registration holds
    cannot repeat a person.

    Two steps, so both databases start from the small partial index of shared keys
    (SQLite's planner, without statistics, would otherwise walk the whole day's
    requests): the shared keys, then the requests of their registrations."""
    held: dict[int, list[str]] = {}
    for rid, key in session.execute(select(PersonKey.registration_id, PersonKey.key)
                                    .where(PersonKey.shared)):
        held.setdefault(rid, []).append(key)
    asked = requests.subquery()
    ids = sorted(held)
    out: list[tuple[int, dt.datetime, str]] = []
    for i in range(0, len(ids), 10_000):  # bounded IN lists
        for request_id, rid, at in session.execute(select(asked).where(
                asked.c.registration_id.in_(ids[i:i + 10_000]))):
            out.extend((int(request_id), at, k) for k in held[rid])
    return out
