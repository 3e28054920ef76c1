"""Import CBP files and answer encounter reports from the stored rows.

Services take the session and never commit: the CLI command or request owns the
transaction, so an import is stored whole (provenance, coverage, rows, audit
entry) or not at all. Each import also stores its rows as a Parquet snapshot, in
that transaction, and reports group them in DuckDB (`stats.olap`): a worker reads a
new import's snapshot once, whichever process imported it, and answers every report
from it (bench/bench_stats.py). Polars and pandera are imported inside the import
path only: the API worker loads DuckDB alone to answer a report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.db import paged
from garita.errors import Conflict, Invalid
from garita.stats import core
from garita.stats.formats import DATASETS, DIMENSIONS, PRIORITY, REGIONS, supports
from garita.stats.models import StatsCoverage, StatsEncounter, StatsImport, StatsSnapshot
from garita.stats.schemas import DisagreementOut, EncounterReport, ImportOut, ImportResult, Source
from garita.stats.snapshot import from_rows, snapshot

STORED = ("fiscal_year", "month_grouping", "component", "region", "aor", "aor_abbv", "state",
          "demographic", "citizenship", "title", "encounter_type", "encounters", "month")


def import_file(session: Session, file_name: str, data: bytes, now: dt.datetime,
                actor: str) -> ImportResult:
    """Import one published file. The same bytes again change nothing; a newer release
    of a dataset replaces the months it covers; an older release of months already
    held from a newer one is refused (import the newer file instead)."""
    sha = hashlib.sha256(data).hexdigest()
    held = session.execute(select(StatsImport).where(StatsImport.sha256 == sha)).scalar_one_or_none()
    if held is not None:
        return ImportResult(imported=ImportOut.model_validate(held), created=False,
                            months_replaced=0)
    import polars as pl  # Polars and pandera: the import path only

    from garita.stats.parse import parse

    parsed = parse(file_name, data)
    frame, name = parsed.frame, parsed.dataset.name
    months = sorted(set(frame.get_column("month").to_list()))
    _refuse_older(session, name, months, file_name)
    replaced = session.execute(
        select(func.count(func.distinct(StatsCoverage.month)))
        .where(StatsCoverage.dataset == name, StatsCoverage.month.in_(months))).scalar_one()
    session.execute(delete(StatsEncounter).where(StatsEncounter.dataset == name,
                                                 StatsEncounter.month.in_(months)))
    session.execute(delete(StatsCoverage).where(StatsCoverage.dataset == name,
                                                StatsCoverage.month.in_(months)))
    row = StatsImport(file_name=file_name[-255:], sha256=sha, dataset=name, rows=frame.height,
                      first_month=months[0], last_month=months[-1], months=len(months),
                      imported_at=now, imported_by=actor)
    session.add(row)
    session.flush()
    covered = frame.select("region", "month", "fiscal_year").unique().to_dicts()
    session.execute(insert(StatsCoverage), [{"dataset": name, "import_id": row.id, **c}
                                            for c in covered])
    stored = _write_rows(session, frame.with_columns(pl.lit(row.id).alias("import_id"),
                                                     pl.lit(name).alias("dataset")))
    session.add(StatsSnapshot(import_id=row.id, parquet=snapshot(stored)))
    audit.record(session, actor=actor, action="stats.import", object_type="stats_import",
                 object_id=row.id, change={"file_name": row.file_name, "sha256": sha,
                                           "dataset": name, "rows": row.rows,
                                           "first_month": str(months[0]),
                                           "last_month": str(months[-1]),
                                           "months_replaced": replaced})
    return ImportResult(imported=ImportOut.model_validate(row), created=True,
                        months_replaced=replaced)


def _write_rows(session: Session, frame):
    """Bulk-write the rows through the driver inside the session's transaction:
    PostgreSQL's COPY, SQLite's executemany. Through the ORM the two shared files took
    9-12 s; this way about a second (bench/stats_bench.py). Returns the rows written
    (every stored column, nulls where the dataset lacks one)."""
    import polars as pl

    columns = ["import_id", "dataset", *STORED]
    frame = frame.with_columns(pl.lit(None, pl.String).alias(c)
                               for c in STORED if c not in frame.columns).select(columns)
    conn = session.connection()
    raw = conn.connection.driver_connection
    assert raw is not None, "a pooled connection has its driver connection"
    if conn.dialect.name == "postgresql":
        # Polars writes the CSV (nulls as unquoted empty fields: NULL to COPY; every text
        # field is non-empty, the schema checked it).
        with raw.cursor() as cur, cur.copy(f"COPY stats_encounter ({', '.join(columns)}) "
                                           "FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(frame.write_csv(include_header=False))
    else:
        marks = ", ".join("?" * len(columns))
        raw.executemany(f"INSERT INTO stats_encounter ({', '.join(columns)}) VALUES ({marks})",
                        frame.with_columns(pl.col("month").cast(pl.String)).iter_rows())
    # Fresh planner statistics: with the empty table's, PostgreSQL sorted the rows on
    # disk to group them (a wide report took 190 ms instead of 40).
    conn.exec_driver_sql("ANALYZE stats_encounter")
    return frame


def snapshot_missing(session: Session, actor: str) -> int:
    """Store the snapshot of every import made before snapshots existed (migration
    0019), from the rows it still holds; how many. Until then each worker reads those
    rows once, which takes seconds for the shared files."""
    missing = session.execute(
        select(StatsImport.id).where(~select(StatsSnapshot.import_id).where(
            StatsSnapshot.import_id == StatsImport.id).exists())
        .order_by(StatsImport.id)).scalars().all()
    for import_id in missing:
        session.add(StatsSnapshot(import_id=import_id, parquet=from_rows(session, import_id)))
    audit.record_many(session, [{"actor": actor, "action": "stats.snapshot",
                                 "object_type": "stats_import", "object_id": i,
                                 "change": {"snapshot": "from the rows held"}}
                                for i in missing])
    return len(missing)


def _refuse_older(session: Session, dataset: str, months: list[dt.date], file_name: str) -> None:
    newer = session.execute(
        select(StatsImport.file_name, StatsImport.last_month).join(
            StatsCoverage, StatsCoverage.import_id == StatsImport.id)
        .where(StatsCoverage.dataset == dataset, StatsCoverage.month.in_(months),
               StatsImport.last_month > months[-1]).limit(1)).first()
    if newer is not None:
        raise Conflict(f"{file_name} is an older release of {dataset} (to "
                       f"{core.month_label(months[-1])}) than {newer.file_name} (to "
                       f"{core.month_label(newer.last_month)}), which already holds these "
                       "months; nothing was loaded. Import the newest release only.")


def imports(session: Session) -> list[ImportOut]:
    """Every imported file, newest first (the provenance table)."""
    rows = session.execute(select(StatsImport).order_by(StatsImport.id.desc())).scalars()
    return [ImportOut.model_validate(r) for r in rows]


def import_page(session: Session, *, limit: int, offset: int, dataset: str | None = None,
                oldest_first: bool = False) -> tuple[list[ImportOut], int]:
    """A page of the provenance table (newest first), one dataset's if asked, and the total."""
    q = select(StatsImport)
    if dataset is not None:
        q = q.where(StatsImport.dataset == dataset)
    order = StatsImport.id if oldest_first else StatsImport.id.desc()
    rows, total = paged(session, q, [order], limit=limit, offset=offset)
    return [ImportOut.model_validate(r) for r in rows], total


def _dimensions(by: list[str]) -> list[str]:
    dims = [d.strip() for d in by if d.strip()]
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown or not dims:
        raise Invalid(f"cannot group by {', '.join(unknown) or 'nothing'}: use one or more of "
                      f"{', '.join(DIMENSIONS)}, comma-separated")
    if len(set(dims)) != len(dims):
        raise Invalid(f"a dimension is named twice in {','.join(dims)}; name each once")
    return dims


def _regions(region: str) -> list[str]:
    if region == "all":
        return list(REGIONS.values())
    if region not in REGIONS:
        raise Invalid(f"unknown region {region!r}: use one of {', '.join(REGIONS)}, all")
    return [REGIONS[region]]


def encounters(session: Session, region: str, by: list[str]) -> EncounterReport:
    """Encounters in ``region`` grouped by ``by``, reading one dataset per region and
    month (the first in ``PRIORITY`` that publishes every asked dimension). The grouping
    runs in DuckDB over this worker's copy of each import's snapshot (`stats.olap`)."""
    dims, regions = _dimensions(by), _regions(region)
    allowed = [d for d in PRIORITY if supports(DATASETS[d], dims)]
    if not allowed:
        raise Invalid(f"no CBP dataset publishes {', '.join(dims)} together; group by fewer "
                      "dimensions")
    coverage = session.execute(
        select(StatsCoverage.dataset, StatsCoverage.region, StatsCoverage.month,
               StatsCoverage.import_id)
        .where(StatsCoverage.region.in_(regions), StatsCoverage.dataset.in_(allowed))).all()
    chosen = core.choose_sources([core.Covered(c.dataset, c.region, c.month) for c in coverage],
                                 allowed)
    report = EncounterReport(region=region, by=dims, rows=[], sources=[])
    if not chosen:
        return report
    from garita.stats import olap  # DuckDB: loaded on first use, not by every worker

    held = ((c.region, c.month, c.import_id) for c in coverage
            if chosen.get((c.region, c.month)) == c.dataset)
    rows = olap.grouped(session, held, dims)
    partial = core.partial_years(chosen)
    labels = {m: core.month_label(m) for _, m in chosen}
    for values in rows:
        out: dict[str, str | int | bool] = {}
        for dim, value in zip(dims, values, strict=False):
            out[dim] = labels[value] if dim == "month" else value
        out["encounters"] = int(values[-1])
        if "fiscal_year" in dims:
            out["partial"] = out["fiscal_year"] in partial
        report.rows.append(out)
    report.sources = _sources(session, coverage, chosen)
    return report


def _sources(session: Session, coverage: Sequence[Any], chosen: dict) -> list[Source]:
    files = {r.id: r for r in session.execute(select(StatsImport)).scalars()}
    used: dict[tuple[str, str], dict] = {}
    for c in coverage:
        if chosen.get((c.region, c.month)) != c.dataset:
            continue
        entry = used.setdefault((c.region, c.dataset), {"months": [], "imports": set()})
        entry["months"].append(c.month)
        entry["imports"].add(c.import_id)
    out = []
    for (region, dataset), entry in sorted(used.items()):
        held = [files[i] for i in sorted(entry["imports"])]
        out.append(Source(region=region, dataset=dataset, title=DATASETS[dataset].title,
                          first_month=core.month_label(min(entry["months"])),
                          last_month=core.month_label(max(entry["months"])),
                          months=len(entry["months"]), files=[f.file_name for f in held],
                          imported_at=max(f.imported_at for f in held)))
    return out


def reconcile(session: Session) -> list[DisagreementOut]:
    """Every region and month where two imported datasets disagree (total or component)."""
    e = StatsEncounter
    rows = session.execute(select(e.dataset, e.region, e.month, e.component,
                                  func.sum(e.encounters))
                           .group_by(e.dataset, e.region, e.month, e.component)).all()
    found = core.disagreements((r[0], r[1], r[2], r[3], int(r[4])) for r in rows)
    return [DisagreementOut(region=d.region, month=core.month_label(d.month), totals=d.totals,
                            components=d.components) for d in found]
