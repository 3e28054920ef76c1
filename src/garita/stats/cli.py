"""``garita stats``: import CBP's published files, report, reconcile, export open data.

Each command owns its transaction: an import of several files stores all of them or,
if one is refused, none. Errors are one line on stderr with exit status 2.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

stats_app = typer.Typer(help="Statistics: CBP public encounter data, reports, open data.",
                        no_args_is_help=True)
console = Console()
err = Console(stderr=True)
ACTOR = "admin:cli"


def _run(work):
    from garita.db import make_engine, make_sessionmaker, transaction
    from garita.errors import DomainError
    from garita.settings import Settings

    settings = Settings()
    sessions = make_sessionmaker(make_engine(settings.database_url, settings.pool_size))
    try:
        with transaction(sessions) as s:
            return work(s)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}", soft_wrap=True)
        raise typer.Exit(2) from None


def _read(files: list[Path]) -> list[tuple[str, bytes]]:
    out = []
    for f in files:
        try:
            out.append((f.name, f.read_bytes()))
        except OSError as exc:
            err.print(f"[red]error:[/red] cannot read {f}: {exc.strerror}; check the path")
            raise typer.Exit(2) from None
    return out


@stats_app.command("import")
def import_files(files: Annotated[list[Path], typer.Argument(help="CBP encounter CSV files.")]
                 ) -> None:
    """Import CBP encounter files as published (recognised from their header). All or none:
    a refused file leaves nothing loaded. The same file again changes nothing."""
    from garita.stats import service

    data = _read(files)
    now = dt.datetime.now(dt.UTC)
    results = _run(lambda s: [service.import_file(s, name, body, now, ACTOR)
                              for name, body in data])
    for r in results:
        i = r.imported
        what = (f"imported, {r.months_replaced} months replaced" if r.created
                else "already imported, nothing changed")
        console.print(f"{i.file_name}: {i.dataset}, {i.rows:,} rows, {i.first_month:%Y-%m} to "
                      f"{i.last_month:%Y-%m} ({i.months} months), sha256 {i.sha256[:12]}…: "
                      f"{what}")


@stats_app.command("snapshot")
def snapshot_imports() -> None:
    """Store the Parquet snapshot of imports made before snapshots existed (once, after
    upgrading): until then each API worker reads their rows on its first report."""
    from garita.stats import service

    done = _run(lambda s: service.snapshot_missing(s, ACTOR))
    console.print(f"{done} import(s) given a snapshot" if done
                  else "every import has its snapshot, nothing changed")


@stats_app.command("imports")
def list_imports() -> None:
    """The provenance of every imported file."""
    from garita.stats import service

    table = Table("id", "file", "dataset", "rows", "months", "sha256", "imported at")
    for i in _run(service.imports):
        table.add_row(str(i.id), i.file_name, i.dataset, f"{i.rows:,}",
                      f"{i.first_month:%Y-%m}..{i.last_month:%Y-%m}", i.sha256[:12],
                      f"{i.imported_at:%Y-%m-%d %H:%M}")
    console.print(table)


@stats_app.command("encounters")
def encounters(
    region: Annotated[str, typer.Option(help="southwest, northern, other or all.")] = "all",
    by: Annotated[str, typer.Option(help="Comma-separated: fiscal_year, month, component, "
                                         "citizenship, demographic, title, encounter_type, "
                                         "region, aor, state, dataset.")] = "fiscal_year",
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array on stdout.")] = False,
) -> None:
    """Encounters grouped by the given dimensions, one source per region and month."""
    from garita.stats import service

    report = _run(lambda s: service.encounters(s, region, by.split(",")))
    if as_json:
        typer.echo(json.dumps(report.rows))
        return
    table = Table(*report.by, "encounters", title=f"Encounters, region {report.region}")
    for row in report.rows:
        mark = " (partial)" if row.get("partial") else ""
        table.add_row(*(str(row[d]) + (mark if d == "fiscal_year" else "") for d in report.by),
                      f"{row['encounters']:,}")
    console.print(table)
    for src in report.sources:
        console.print(f"source for {src.region}: {src.title}, {src.first_month} to "
                      f"{src.last_month} ({src.months} months), {', '.join(src.files)}, "
                      f"imported {src.imported_at:%Y-%m-%d}")


@stats_app.command("reconcile")
def reconcile(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every region and month where two imported datasets disagree."""
    from garita.stats import service

    found = _run(service.reconcile)
    if as_json:
        typer.echo(json.dumps([d.model_dump() for d in found]))
        return
    if not found:
        console.print("the sources agree on every region and month they share")
        return
    table = Table("region", "month", "totals by dataset", "difference")
    for d in found:
        table.add_row(d.region, d.month, ", ".join(f"{k} {v:,}" for k, v in d.totals.items()),
                      f"{max(d.totals.values()) - min(d.totals.values()):,}")
    console.print(table)
    console.print(f"{len(found)} region-months where the sources disagree")


@stats_app.command("export")
def export(directory: Annotated[Path, typer.Argument(help="Folder for the open-data files.")]
           ) -> None:
    """Every public table as CSV, Parquet and JSON, plus a Frictionless datapackage.json."""
    from garita.settings import Settings
    from garita.stats import export as open_data

    now = dt.datetime.now(dt.UTC)
    min_cell = Settings().stats_min_cell
    try:
        paths = _run(lambda s: open_data.export(s, directory, now, min_cell))
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write to {directory}: {exc.strerror}; choose a "
                  "writable folder")
        raise typer.Exit(2) from None
    console.print(f"{len(paths)} files written to {directory} (descriptor: "
                  f"{directory / 'datapackage.json'})")


@stats_app.command("flows")
def own_flows(
    period: Annotated[str, typer.Option(help="day, week, month or fiscal_year.")] = "month",
    by: Annotated[str, typer.Option(help="Comma-separated, optional: port, nationality, "
                                         "origin_state, group_size.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array on stdout.")] = False,
) -> None:
    """Garita's own flows per period (small cells suppressed, GARITA_STATS_MIN_CELL)."""
    from garita.settings import Settings
    from garita.stats import flows

    min_cell = Settings().stats_min_cell
    rows = _run(lambda s: flows.flows(s, period, by.split(","), min_cell))
    if as_json:
        typer.echo(json.dumps(rows, default=str))
        return
    dims = [d for d in by.split(",") if d]
    table = Table("period", *dims, "measure", "value", title=f"Garita flows by {period}")
    for r in rows:
        table.add_row(r["period"], *(str(r[d]) for d in dims), r["measure"],
                      f"< {min_cell}" if r["suppressed"] else f"{r['value']:,}")
    console.print(table)


@stats_app.command("picture")
def whole_picture(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Per month: Border Patrol and Field Operations encounters (Southwest), appointments
    kept, and the share of port encounters that came by appointment."""
    from garita.settings import Settings
    from garita.stats import picture

    now = dt.datetime.now(dt.UTC)
    out = _run(lambda s: picture.picture(s, Settings().stats_min_cell, now))
    if as_json:
        typer.echo(out.model_dump_json())
        return

    def cell(v: int | float | None) -> str:
        return "—" if v is None else f"{v:.1%}" if isinstance(v, float) else f"{v:,}"

    for title, rows in (("month", out.months), ("fiscal year", out.fiscal_years)):
        table = Table(title, "Border Patrol", "Field Operations", "appointments kept",
                      "by appointment", title=f"The whole picture by {title} (Southwest)")
        for r in rows:
            table.add_row(r.period, cell(r.border_patrol), cell(r.field_operations),
                          cell(r.appointments_kept), cell(r.appointment_share))
        console.print(table)
    for src in out.encounter_sources:
        console.print(f"encounters: {src.title}, {src.first_month} to {src.last_month}, "
                      f"{', '.join(src.files)}, imported {src.imported_at:%Y-%m-%d}")
    console.print(f"appointments: {out.appointments_source}")


@stats_app.command("charts")
def charts_command(
    directory: Annotated[Path, typer.Argument(help="Folder for the chart files.")],
    fmt: Annotated[str, typer.Option("--format", help="svg or png.")] = "svg",
) -> None:
    """The statistics charts as static SVG or PNG files, for reports."""
    from garita.settings import Settings
    from garita.stats import charts

    if fmt not in ("svg", "png"):
        err.print(f"[red]error:[/red] unknown format {fmt!r}: use svg or png")
        raise typer.Exit(2)
    min_cell = Settings().stats_min_cell
    paths = _run(lambda s: charts.write(s, directory, fmt, min_cell))
    console.print(f"{len(paths)} charts written to {directory}: "
                  f"{', '.join(p.name for p in paths)}")
