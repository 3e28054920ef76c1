"""``garita corridor plan`` and ``garita corridor manifest``: each owns its transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from garita.db import make_engine, make_sessionmaker, transaction
from garita.errors import DomainError
from garita.settings import Settings

app = typer.Typer(help="Corridor buses: plans, manifests.", no_args_is_help=True)
console, err = Console(), Console(stderr=True)


def _sessions(settings: Settings):
    return make_sessionmaker(make_engine(settings.database_url, settings.pool_size))


@app.command("plan")
def plan(start: Annotated[dt.datetime, typer.Argument(formats=["%Y-%m-%d"])],
         days: int = 1, seconds: float = 8.0) -> None:
    """Plan buses for DAYS of departures from START; issue permits to everyone seated.

    Road times come from GARITA_ROAD_TIMES_FILE when set (else estimated)."""
    from garita.corridor import boarding, service
    from garita.notices.keys import from_settings

    settings = Settings()
    now = settings.now()
    try:
        with transaction(_sessions(settings)) as s:
            row = service.plan(s, start.date(), days, now, "cli:corridor",
                               settings.road_times_file, seconds=seconds)
            made = boarding.issue_permits(s, from_settings(settings).signer, now,
                                          "cli:corridor")
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from exc
    gap = "n/a" if row.gap is None else f"{100 * row.gap:.2f} %"
    console.print(f"plan {row.id}: {row.buses} buses ({row.solver}, {row.status}, gap {gap}); "
                  f"greedy baseline {row.greedy_buses}; {row.summary['unassigned']} groups "
                  f"waiting; {made} permits issued")


@app.command("manifest")
def manifest(bus_id: int, out: Path, fmt: str = "csv") -> None:
    """Write bus BUS_ID's manifest to OUT as csv or pdf."""
    from garita.corridor import manifest as m

    try:
        with transaction(_sessions(Settings())) as s:
            data = m.to_csv(s, bus_id).encode() if fmt == "csv" else m.to_pdf(s, bus_id)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from exc
    out.write_bytes(data)
    console.print(f"wrote {out} ({len(data)} bytes)")
