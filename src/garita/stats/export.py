"""Open data: every public statistics table as CSV, Parquet and JSON, with a Frictionless
Data Package descriptor (``datapackage.json``: fields, types, sources, licences).

The tables are built by ``service`` (aggregates only, the source of every figure
named); Polars writes the three formats so they hold the same rows and types.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from garita.stats import service
from garita.stats.formats import DATASETS

FORMATS = ("csv", "parquet", "json")
MEDIA = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet",
         "json": "application/json"}
PUBLIC_DOMAIN = {"name": "other-pd", "title": "U.S. Government Work, public domain "
                 "(17 U.S.C. §105)", "path": "https://www.usa.gov/government-copyright"}
CBP_SOURCE = [{"title": d.title, "path": d.url} for d in DATASETS.values()]
TYPES: dict[Any, str] = {pl.Int64: "integer", pl.Int32: "integer", pl.Float64: "number",
                         pl.String: "string", pl.Boolean: "boolean", pl.Date: "date"}
DESCRIPTIONS = {
    "region": "CBP's Land Border Region (Southwest Land Border, Northern Land Border, Other).",
    "fiscal_year": "U.S. federal fiscal year (October to September).",
    "month": "Calendar month, YYYY-MM.",
    "component": "Office of Field Operations (at ports of entry) or U.S. Border Patrol "
                 "(between ports), as CBP publishes it.",
    "encounters": "Encounters, as CBP publishes them.",
    "partial": "True when the fiscal year is not complete in the imported data.",
    "dataset": "The CBP dataset this figure was read from (one per region and month).",
}
#: The encounter tables: name, description, dimensions.
ENCOUNTER_TABLES = (
    ("cbp_encounters_monthly",
     "CBP encounters per month by region, component, demographic, citizenship, title of "
     "authority and encounter type; one CBP dataset per region and month (never counted twice).",
     ["region", "fiscal_year", "month", "dataset", "component", "demographic", "citizenship",
      "title", "encounter_type"]),
    ("cbp_encounters_by_state",
     "CBP encounters per month by region and state (CBP's Nationwide Encounters by State).",
     ["region", "fiscal_year", "month", "dataset", "state", "demographic", "citizenship",
      "title"]),
)


#: Every public table's name, in the order of the descriptor.
TABLES = (*(t[0] for t in ENCOUNTER_TABLES), "cbp_imports", "garita_flows_monthly_by_port",
          "garita_flows_by_fiscal_year", "whole_picture_monthly")


@dataclass
class Table:
    name: str
    description: str
    frame: pl.DataFrame
    licenses: list[dict] = field(default_factory=lambda: [PUBLIC_DOMAIN])
    sources: list[dict] = field(default_factory=lambda: list(CBP_SOURCE))


def public_tables(session: Session, min_cell: int, now: dt.datetime,
                  only: str | None = None) -> list[Table]:
    """Every public statistics table (or only the one named), built from the database now."""
    tables = []
    for name, description, dims in ENCOUNTER_TABLES:
        if only not in (None, name):
            continue
        rows = service.encounters(session, "all", dims).rows
        schema: dict[str, Any] = {d: pl.Int64 if d == "fiscal_year" else pl.String
                                  for d in dims}
        schema |= {"encounters": pl.Int64, "partial": pl.Boolean}
        tables.append(Table(name, description, pl.DataFrame(rows, schema=schema, orient="row")))
    if only in (None, "cbp_imports"):
        tables.append(_imports(session))
    return tables + _own_tables(session, min_cell, now, only)


def _imports(session: Session) -> Table:
    imports = [{**i.model_dump(), "imported_at": i.imported_at.isoformat()}
               for i in service.imports(session)]
    frame = pl.DataFrame(imports, schema={
        "id": pl.Int64, "file_name": pl.String, "sha256": pl.String, "dataset": pl.String,
        "rows": pl.Int64, "first_month": pl.Date, "last_month": pl.Date, "months": pl.Int64,
        "imported_at": pl.String, "imported_by": pl.String}, orient="row")
    return Table("cbp_imports", "Provenance of every imported CBP file: name, SHA-256, "
                 "dataset, rows, months covered, import time.", frame)


def _own_tables(session: Session, min_cell: int, now: dt.datetime,
                only: str | None) -> list[Table]:
    """Garita's own flows (suppressed as the API shows them) and the whole picture."""
    from garita.stats import flows, picture

    own = [{"title": "Garita: this deployment's own records (aggregated at export time)"}]
    licence = [{"name": "CC0-1.0", "title": "CC0 1.0",
                "path": "https://creativecommons.org/publicdomain/zero/1.0/"}]
    out = []
    for name, period, dims in (("garita_flows_monthly_by_port", "month", ["port"]),
                               ("garita_flows_by_fiscal_year", "fiscal_year", [])):
        if only not in (None, name):
            continue
        schema = {"period": pl.String, **{d: pl.String for d in dims}, "measure": pl.String,
                  "value": pl.Int64, "suppressed": pl.Boolean}
        rows = flows.flows(session, period, dims, min_cell)
        out.append(Table(name, f"Garita's own flows by {period.replace('_', ' ')}"
                         + (f" and {', '.join(dims)}" if dims else "") + f"; counts of people "
                         f"or groups under {min_cell} suppressed (value empty).",
                         pl.DataFrame(rows, schema=schema, orient="row"), licence, own))
    if only not in (None, "whole_picture_monthly"):
        return out
    whole = picture.picture(session, min_cell, now)
    frame = pl.DataFrame([r.model_dump() for r in whole.months], schema={
        "period": pl.String, "border_patrol": pl.Int64, "field_operations": pl.Int64,
        "appointments_kept": pl.Int64, "appointment_share": pl.Float64,
        "appointments_suppressed": pl.Boolean}, orient="row")
    out.append(Table("whole_picture_monthly", "Per month, Southwest: Border Patrol encounters "
                     "between ports, Field Operations encounters at ports (CBP), appointments "
                     "kept (Garita check-ins, persons) and their share of port encounters.",
                     frame, [PUBLIC_DOMAIN, *licence], CBP_SOURCE + own))
    return out


def _field(name: str, dtype: pl.DataType) -> dict:
    kind = "yearmonth" if name == "month" else TYPES.get(dtype, "string")
    out = {"name": name, "type": kind}
    if name in DESCRIPTIONS:
        out["description"] = DESCRIPTIONS[name]
    return out


def to_bytes(frame: pl.DataFrame, fmt: str) -> bytes:
    """A table in one format. JSON is an array of arrays, the header first: Frictionless'
    tabular JSON, which (unlike an array of objects) still says the columns when a table
    has no rows."""
    if fmt == "json":
        rows = [list(frame.columns), *(list(r) for r in frame.iter_rows())]
        return json.dumps(rows, default=str, ensure_ascii=False).encode()
    out = BytesIO()
    getattr(frame, f"write_{fmt}")(out)
    return out.getvalue()


def write(table: Table, directory: Path, fmt: str) -> Path:
    path = directory / f"{table.name}.{fmt}"
    path.write_bytes(to_bytes(table.frame, fmt))
    return path


def descriptor(tables: list[Table], created: dt.datetime) -> dict:
    """The Frictionless Data Package: one resource per table and format."""
    resources = []
    for t in tables:
        schema = {"fields": [_field(n, d) for n, d in t.frame.schema.items()]}
        for fmt in FORMATS:
            # Frictionless reads Parquet through pandas, which turns a missing integer into
            # NaN: the descriptor says NaN is a missing value (the file itself holds nulls).
            fmt_schema = {**schema, "missingValues": ["", "nan"]} if fmt == "parquet" else schema
            resources.append({"name": f"{t.name.replace('_', '-')}-{fmt}",
                              "path": f"{t.name}.{fmt}", "format": fmt,
                              "mediatype": MEDIA[fmt], "profile": "tabular-data-resource",
                              "description": t.description, "schema": fmt_schema,
                              "licenses": t.licenses, "sources": t.sources})
    return {"profile": "tabular-data-package", "name": "garita-statistics",
            "title": "Garita statistics: CBP encounters and the appointment scheme's flows",
            "created": created.isoformat(), "licenses": [PUBLIC_DOMAIN],
            "sources": CBP_SOURCE, "resources": resources}


def export(session: Session, directory: Path, now: dt.datetime, min_cell: int) -> list[Path]:
    """Write every public table in every format and the descriptor into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    tables = public_tables(session, min_cell, now)
    paths = [write(t, directory, fmt) for t in tables for fmt in FORMATS]
    package = directory / "datapackage.json"
    package.write_text(json.dumps(descriptor(tables, now), indent=2, ensure_ascii=False) + "\n",
                       "utf-8")
    return [*paths, package]


def render(session: Session, name: str, fmt: str, min_cell: int, now: dt.datetime) -> bytes:
    """One public table in one format, as bytes (for the download route)."""
    from garita.errors import NotFound

    tables = {t.name: t for t in public_tables(session, min_cell, now, only=name)}
    if name not in tables or fmt not in FORMATS:
        raise NotFound(f"no open-data file {name}.{fmt}: tables are {', '.join(TABLES)}; "
                       f"formats {', '.join(FORMATS)} (see datapackage.json)")
    return to_bytes(tables[name].frame, fmt)
