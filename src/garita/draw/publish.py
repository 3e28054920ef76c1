"""Build a past draw's publication from the database: manifest, inputs, results.

Tickets are recomputed from request ids with the ticket key (nothing links
them in storage); the bins and share are the ones the draw recorded when it
ran, so the publication reproduces that draw even after offers lapsed or
were confirmed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy.orm import Session

from garita.draw import commitments, publication
from garita.draw import read as draw_input
from garita.draw import service as draws
from garita.draw.core import FIRST_FIT
from garita.draw.pseudonyms import DrawSecrets, tickets
from garita.errors import Conflict, NotFound
from garita.offers import service as offers
from garita.policy import roads
from garita.policy import service as policies
from garita.requests.columns import read_frame

if TYPE_CHECKING:
    import polars as pl


def _draw_record(session: Session, service_date: dt.date, secrets: DrawSecrets):
    draw = draws.get(session, service_date)
    record = draw.draw_inputs
    if not record:
        raise NotFound(f"The draw for {service_date} ran before draws were published; it "
                       "has no recorded inputs to publish.")
    if record["ticket_key_id"] != secrets.ticket_key_id:
        raise Conflict(f"The draw for {service_date} used ticket key {record['ticket_key_id']}; "
                       "this server's GARITA_TICKET_KEY differs. Restore that key to publish.")
    return draw, record


def manifest(session: Session, service_date: dt.date, secrets: DrawSecrets) -> dict:
    draw, record = _draw_record(session, service_date, secrets)
    commitment = commitments.find(session, service_date)
    winners = len(offers.of_draw(session, draw.id))
    return {
        "format": record["format"], "rule": publication.rule_of(record),
        "service_date": service_date.isoformat(),
        "seed": draw.seed, "seed_sha256": draw.seed_sha256,
        "committed_at": commitment.committed_at.isoformat() if commitment else None,
        "committed_in_advance": draw.committed_in_advance, "ran_at": draw.ran_at.isoformat(),
        "policy_version_id": draw.policy_version_id,
        "longest_waiting_share": record["longest_waiting_share"],
        "timezone": record["timezone"], "ports": record["ports"], "bins": record["bins"],
        "inputs_sha256": record["inputs_sha256"], "result_digest": draw.result_digest,
        "requests": record["requests"], "winners": winners,
        # [ticket, ticket it repeats]: requests of a person who had entered already
        # (earliest request stands), left out of inputs.csv; absent before the rule.
        **({"set_aside": record["set_aside"]} if "set_aside" in record else {}),
        # the road table the earliest days were computed on; absent in draws made before
        # it was recorded, and in draws without a corridor
        **({k: record[k] for k in ("road_times", "road_times_sha256")}
           if "road_times" in record else {}),
    }


def inputs(session: Session, service_date: dt.date, secrets: DrawSecrets,
           road_times: Path | None = None) -> pl.DataFrame:
    """The draw's input rows as published. The earliest reachable days are recomputed on
    the road table the draw recorded; a draw made before tables were recorded has none,
    and ``road_times`` (``GARITA_ROAD_TIMES_FILE``) must then be the table it ran on."""
    _, record = _draw_record(session, service_date, secrets)
    cols = draw_input.draw_columns(read_frame(session, service_date),
                                  secrets.ticket_key, record["timezone"])
    earliest = None if publication.rule_of(record) == FIRST_FIT else draws.earliest_days(
        session, service_date, policies.in_force(session, service_date).policy, cols["id"],
        road_times, _recorded_roads(service_date, record))
    return publication.inputs_frame(cols["ticket"], cols["port"], cols["size"],
                                    cols["registered_at"], record["ports"], earliest)


def _recorded_roads(service_date: dt.date, record: dict) -> roads.Table | None:
    """The road table the draw recorded (checked against its recorded digest), or None."""
    if "road_times" not in record:
        return None
    if publication.road_times_digest(record["road_times"]) != record["road_times_sha256"]:
        raise Conflict(f"The road table recorded with the draw for {service_date} does not "
                       "hash to its recorded road_times_sha256: the record was altered; "
                       "restore it from a backup before publishing.")
    return roads.from_rows(record["road_times"])


def results(session: Session, service_date: dt.date, secrets: DrawSecrets) -> pl.DataFrame:
    import polars as pl  # not at module level: API worker memory (docs/benchmarks.md)

    draw, record = _draw_record(session, service_date, secrets)
    rows = offers.of_draw(session, draw.id)
    order = {code: i for i, code in enumerate(record["ports"])}
    rows = sorted(rows, key=lambda r: (order[r[1]], r[2] != "longest_waiting", r[3]))
    ids = np.asarray([r[0] for r in rows], dtype=np.uint64)
    return pl.DataFrame({
        "ticket": pl.Series(tickets(secrets.ticket_key, ids), dtype=pl.UInt64),
        "port": [r[1] for r in rows], "tier": [r[2] for r in rows],
        "rank": pl.Series([r[3] for r in rows], dtype=pl.Int64),
        "day": pl.Series([r[4] for r in rows], dtype=pl.Date),
        "slot": [r[5].isoformat() for r in rows],
        "size": pl.Series([r[6] for r in rows], dtype=pl.Int16),
    }, schema={"ticket": pl.UInt64, "port": pl.String, "tier": pl.String, "rank": pl.Int64,
               "day": pl.Date, "slot": pl.String, "size": pl.Int16})


def write(session: Session, service_date: dt.date, secrets: DrawSecrets, out: Path,
          road_times: Path | None = None) -> list[Path]:
    """Write publication.json, inputs.csv and results.csv into `out` (created if needed)."""
    import json

    out.mkdir(parents=True, exist_ok=True)
    files = {
        "publication.json": (json.dumps(manifest(session, service_date, secrets), indent=2)
                             + "\n").encode(),
        "inputs.csv": publication.to_csv(inputs(session, service_date, secrets, road_times)),
        "results.csv": publication.to_csv(results(session, service_date, secrets)),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    return [out / name for name in files]
