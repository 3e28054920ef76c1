"""Watchlists in the database: load a version, build the index, screen registrations.

Takes a session, flushes, never commits. Screening results become alerts of
kind ``watchlist`` whose evidence is the score's full explanation.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.db import paged
from garita.errors import Conflict, Invalid
from garita.integrity import service as alerts
from garita.integrity.core import Person as Screened
from garita.integrity.core import severity
from garita.integrity.lists import Entry
from garita.integrity.models import Watchlist, WatchlistEntry, WatchlistName
from garita.integrity.names import ListName, NameIndex, Query, normalise
from garita.integrity.scoring import Frequencies
from garita.integrity.summaries import summary
from garita.integrity.workers import screen_shards
from garita.registrations import service as registrations


def load(session: Session, name: str, version: str, source_format: str, entries: list[Entry],
         actor: str, now: dt.datetime) -> Watchlist:
    """Store one list version (all entries and names); older versions of the list go inactive."""
    if not entries:
        raise Invalid(f"List '{name}' version '{version}' has no entries; check the files.")
    if session.scalar(select(Watchlist.id).where(Watchlist.name == name,
                                                 Watchlist.version == version)):
        raise Conflict(f"List '{name}' version '{version}' is already loaded; "
                       "give the new download a new --version.")
    session.execute(update(Watchlist).where(Watchlist.name == name).values(active=False))
    wl = Watchlist(name=name, version=version, source_format=source_format, loaded_at=now,
                   loaded_by=actor, active=True, entry_count=len(entries))
    session.add(wl)
    session.flush()
    rows = [{"watchlist_id": wl.id, "ref": e.ref, "entry_type": e.entry_type,
             "name": e.name[:350], "program": (e.program or "")[:200] or None,
             "dates_of_birth": e.dates_of_birth, "countries": e.countries,
             "remarks": e.remarks} for e in entries]
    ids = session.scalars(insert(WatchlistEntry).returning(WatchlistEntry.id,
                                                           sort_by_parameter_order=True), rows)
    names = [{"entry_id": eid, "name": n[:350], "normalised": norm[:350], "is_alias": alias,
              "weak": weak} for eid, e in zip(ids.all(), entries, strict=True)
             for n, norm, alias, weak in e.names()]
    if names:
        session.execute(insert(WatchlistName), names)
    audit.record(session, actor=actor, action="watchlist.load", object_type="watchlist",
                 object_id=wl.id, change={"name": name, "version": version,
                                          "entries": len(entries), "names": len(names)})
    return wl


def lists(session: Session) -> list[Watchlist]:
    return list(session.scalars(select(Watchlist).order_by(Watchlist.id)))


LIST_ORDER = {"id": (Watchlist.id,), "-loaded_at": (Watchlist.loaded_at.desc(), Watchlist.id.desc()),
              "name": (Watchlist.name, Watchlist.id)}


def list_page(session: Session, *, limit: int, offset: int, name: str | None = None,
              active: bool | None = None, sort: str = "id") -> tuple[list[Watchlist], int]:
    """A page of loaded list versions (one list's name, only the active ones), and the total."""
    q = select(Watchlist)
    if name is not None:
        q = q.where(Watchlist.name == name)
    if active is not None:
        q = q.where(Watchlist.active.is_(active))
    return paged(session, q, LIST_ORDER[sort], limit=limit, offset=offset)


def _require_list(session: Session) -> None:
    if session.scalar(select(Watchlist.id).where(Watchlist.active.is_(True)).limit(1)) is None:
        raise Invalid("No watchlist is loaded; load one with 'garita watchlist load'.")


NO_INDIVIDUALS = "the active lists hold no individuals (entities and vessels are not screened)"


def index(session: Session, registered: Iterable[str] | None = None) -> NameIndex:
    """Every name of every individual on the active lists, with part frequencies.

    Frequencies count the list's names and ``registered`` (the screened
    people's names; every registered person's when None), so a part common
    among applicants ("Mohammad", "González") weighs little.
    """
    rows = session.execute(
        select(WatchlistName.name, WatchlistName.normalised, WatchlistName.is_alias,
               WatchlistEntry.id, WatchlistEntry.dates_of_birth, WatchlistEntry.countries,
               WatchlistName.weak)
        .join(WatchlistEntry, WatchlistEntry.id == WatchlistName.entry_id)
        .join(Watchlist, Watchlist.id == WatchlistEntry.watchlist_id)
        .where(Watchlist.active.is_(True), WatchlistEntry.entry_type == "individual")
        .order_by(WatchlistName.id))
    names = [ListName(eid, n, norm, tuple(dobs or ()), tuple(cs or ()), alias, bool(weak))
             for n, norm, alias, eid, dobs, cs, weak in rows]
    if registered is None:
        registered = (f"{r[2]} {r[3]}" for r in registrations.people_for_integrity(session))
    freq = Frequencies().add(n.normalised for n in names).add(map(normalise, registered))
    return NameIndex(names, frequencies=freq)


@dataclass
class IndexCache:
    """The search route's index, kept between requests and rebuilt when the active lists change.

    Building it reads every list name and registered name (seconds at a
    million); a search then takes milliseconds. The key is the set of active
    list versions, read on each search (one small query), so a list loaded by
    the CLI in another process is picked up by the next search. Part
    frequencies are those of the registrations when it was built.
    """

    key: tuple[int, ...] | None = None
    index: NameIndex | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, session: Session) -> NameIndex:
        key = tuple(session.scalars(select(Watchlist.id).where(Watchlist.active.is_(True))
                                    .order_by(Watchlist.id)))
        if not key:
            raise Invalid("No watchlist is loaded; load one with 'garita watchlist load'.")
        with self.lock:
            if self.key != key or self.index is None:
                self.index, self.key = index(session), key
            return self.index


def search(session: Session, query: Query, limit: int = 10, threshold: float = 0.0,
           cache: IndexCache | None = None) -> list[dict]:
    """Explained matches, best first; [] when the active lists hold no individuals.

    The same candidates and scores as a screening run (:meth:`NameIndex.search`
    and :func:`core.screen_batch` share their steps).
    """
    idx = (cache or IndexCache()).get(session)
    return idx.search(query, limit=limit, threshold=threshold)


def screen(session: Session, now: dt.datetime, actor: str, threshold: float,
           progress: Callable[[int], None] | None = None, workers: int = 1,
           only: set[int] | None = None) -> dict:
    """Screen every registered person; raise an alert per (person, listed entry) hit.

    Hits are turned into alerts shard by shard (:func:`screen_shards`), all in
    the caller's transaction, so only one shard's hits are in memory at a time.
    ``workers`` > 1 forks processes for the scoring (the CLI; the API keeps 1).
    """
    _require_list(session)
    people = [Screened(pid, rid, f"{given} {family}", dob, nat)
              for pid, rid, given, family, dob, nat, *_ in
              registrations.people_for_integrity(session)
              if only is None or rid in only]
    idx = index(session, registered=(p.name for p in people))
    hits = new = 0
    if not idx.names:
        return {"people": len(people), "hits": 0, "new_alerts": 0, "list_names": 0,
                "threshold": threshold, "note": NO_INDIVIDUALS}
    for part in screen_shards(idx, people, threshold, workers=workers, progress=progress):
        findings = [{
            "kind": "watchlist", "registration_id": p.registration_id, "person_id": p.person_id,
            "severity": severity(h["score"]), "score": h["score"], "key": f"entry:{h['entry_id']}",
            "summary": summary("watchlist", ev), "evidence": ev}
            for p, h in part for ev in ({"screened_name": p.name, **h},)]
        hits += len(part)
        new += alerts.raise_alerts(session, findings, now, actor)
    return {"people": len(people), "hits": hits, "new_alerts": new,
            "list_names": len(idx.names), "threshold": threshold}


def rescreen(session: Session, registration_id: int, now: dt.datetime, actor: str,
             threshold: float) -> dict:
    """Screen one registration's people again after a correction or a new member (against
    the watchlists loaded; nothing to do without one). New hits become alerts, audited."""
    if not any(w.active for w in lists(session)):
        return {"people": 0, "hits": 0, "new_alerts": 0, "note": "no watchlist is loaded"}
    return screen(session, now, actor, threshold, only={registration_id})

