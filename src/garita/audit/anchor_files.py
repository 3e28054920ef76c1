"""Anchor files: make one from the database's lane heads, write it, and check a
directory of them against the database.

One JSON file per checkpoint, named by its time
(``anchor-20261202T100000.123456Z.json``), never overwritten. The database is
read for the heads when anchoring and for the entries when verifying; it is
never trusted for the anchors themselves (their copies live in files, and in
whatever write-once place the operator exports them to: docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from garita.audit import anchors, service
from garita.audit.anchor_keys import AnchorKeys


def current(session: Session, keys: AnchorKeys, at: dt.datetime, reason: str) -> dict:
    """A signed anchor of the lane heads as they stand in this session."""
    stamp = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return anchors.make(service.heads(session), stamp, reason, keys)


def file_name(doc: dict) -> str:
    at = dt.datetime.fromisoformat(doc["anchored_at"])
    return f"anchor-{at:%Y%m%dT%H%M%S.%f}Z.json"


def write(doc: dict, directory: Path, name: str | None = None, replace: bool = False) -> Path:
    """Write ``doc`` into ``directory`` (created if needed). A file named by time is never
    overwritten; ``replace`` is for a copy under a fixed name (a draw's ``anchor.json``)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (name or file_name(doc))
    with path.open("w" if replace else "x", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    return path


@dataclass(frozen=True)
class Verdict:
    anchors: int
    entries: int
    problems: list[str]


def verify_dir(session: Session, directory: Path, keys: AnchorKeys) -> Verdict:
    """Check the database against every anchor in ``directory`` (:func:`check_anchors`),
    then the chains themselves (:func:`service.verify`)."""
    count, problems = check_anchors(session, directory, keys)
    checked, breaks = service.verify(session)
    problems += [f"lane {b.lane}: entry {b.seq}: {b.problem}" for b in breaks]
    return Verdict(anchors=count, entries=checked, problems=problems)


def check_anchors(session: Session, directory: Path, keys: AnchorKeys) -> tuple[int, list[str]]:
    """Check every ``*.json`` anchor in ``directory``: its signature, then that each
    anchored (lane, seq) is still in the database with its anchored hash. Returns
    (valid anchors, problems).

    A problem a lane shows against several anchors is one line (the earliest anchor
    that shows it, and how many more do).
    """
    problems: list[str] = []
    good: list[tuple[str, dict]] = []
    paths = sorted(directory.glob("*.json"))
    if not paths:
        problems.append(f"no anchor files (*.json) in {directory}: nothing to check against")
    for path in paths:
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{path.name}: cannot read it ({type(exc).__name__})")
            continue
        bad = anchors.check_signature(path.name, doc, keys.public)
        if bad:
            problems.append(str(bad))
        else:
            good.append((path.name, doc))
    good.sort(key=lambda item: item[1]["anchored_at"])
    stored = service.hashes_at(session, [(e["lane"], e["seq"]) for _, d in good
                                         for e in d["lanes"]])
    lengths = service.lane_lengths(session)
    by_lane: dict[int, list[anchors.Problem]] = {}
    for name, doc in good:
        for p in anchors.compare(name, doc, stored, lengths):
            by_lane.setdefault(p.lane if p.lane is not None else -1, []).append(p)
    for lane in sorted(by_lane):
        first, more = by_lane[lane][0], len(by_lane[lane]) - 1
        problems.append(str(first) + (f" and {more} later anchor(s)" if more else ""))
    return len(good), problems
