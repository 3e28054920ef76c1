"""Imported public statistics: one provenance row per file, the months each dataset
covers, and the published rows themselves.

``stats_coverage`` says which import holds a dataset's figures for a region and
month; a newer release of the dataset takes those months over (its rows replace
the older ones), so a month is never held twice by one dataset. Two datasets may
hold the same region and month (the Southwest border is in all three files):
reports choose one of them per region and month (``core.choose_sources``).

``stats_snapshot`` keeps each import's rows a second time, as one Parquet file, written
in the import's transaction: a worker that has not yet seen an import reads that blob
into DuckDB instead of reading the rows one by one (`stats.olap`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class StatsImport(Base):
    """Provenance of one imported file."""

    __tablename__ = "stats_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    dataset: Mapped[str] = mapped_column(String(40))
    rows: Mapped[int] = mapped_column(Integer)
    first_month: Mapped[dt.date] = mapped_column(Date)
    last_month: Mapped[dt.date] = mapped_column(Date)
    months: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    imported_by: Mapped[str] = mapped_column(String(120))


class StatsCoverage(Base):
    """Which import holds a dataset's figures for one region and calendar month."""

    __tablename__ = "stats_coverage"

    dataset: Mapped[str] = mapped_column(String(40), primary_key=True)
    region: Mapped[str] = mapped_column(String(40), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("stats_import.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)


class StatsEncounter(Base):
    """One published row of a CBP encounter file (fields a dataset lacks are null)."""

    __tablename__ = "stats_encounter"
    __table_args__ = (Index("ix_stats_encounter_source", "dataset", "region", "month"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("stats_import.id"), index=True)
    dataset: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(40))
    month: Mapped[dt.date] = mapped_column(Date)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    month_grouping: Mapped[str] = mapped_column(String(20))
    component: Mapped[str | None] = mapped_column(String(60), nullable=True)
    aor: Mapped[str | None] = mapped_column(String(80), nullable=True)
    aor_abbv: Mapped[str | None] = mapped_column(String(40), nullable=True)
    state: Mapped[str | None] = mapped_column(String(40), nullable=True)
    demographic: Mapped[str] = mapped_column(String(60))
    citizenship: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(40))
    encounter_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    encounters: Mapped[int] = mapped_column(BigInteger)


class StatsSnapshot(Base):
    """One import's rows as a Parquet file (the columns `stats.olap` reports from).

    Rows of months a newer release took over stay in the older import's snapshot:
    reports join on ``stats_coverage.import_id``, so they are never read."""

    __tablename__ = "stats_snapshot"

    import_id: Mapped[int] = mapped_column(ForeignKey("stats_import.id"), primary_key=True)
    parquet: Mapped[bytes] = mapped_column(LargeBinary)
