"""``garita port``: close a port's day (no-shows) and print its summary, from cron or by hand.

The command line acts as the operator, with admin rights over every port (audited
as ``admin:0``); the day can close only after its last slot's late allowance.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garita.policy.ports import PORT_CODES

port_app = typer.Typer(help="The port's day: close it (no-shows), summarise it.",
                       no_args_is_help=True)
console = Console()
err = Console(stderr=True)
Port = Annotated[str, typer.Option(help=f"Port code: {', '.join(PORT_CODES)}.")]
Day = Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="The port's date.")]


def _run(work):
    from garita.db import make_engine, make_sessionmaker, transaction
    from garita.errors import DomainError
    from garita.identity import Principal, Role
    from garita.settings import Settings

    settings = Settings()
    sessions = make_sessionmaker(make_engine(settings.database_url, settings.pool_size))
    try:
        with transaction(sessions) as s:
            return work(s, Principal(account_id=0, role=Role.admin))
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from None


@port_app.command("close-day")
def close_day(port: Port, date: Day) -> None:
    """Mark the day's confirmed appointments that never checked in as no-shows."""
    from garita.ports import day
    from garita.settings import Settings

    row, now = _run(lambda s, who: day.close(s, who, port, date.date(),
                                             Settings().now()))
    what = "closed now" if now else "was already closed"
    console.print(f"{row.port} {row.day} {what}: {row.no_shows} no-show groups, "
                  f"{row.no_show_persons} persons (free to request again)")


@port_app.command("summary")
def summary(port: Port, date: Day) -> None:
    """Groups and persons by status, check-in timing and outcomes for the day."""
    from garita.ports import day

    out = _run(lambda s, who: day.summary(s, who, port, date.date()))
    table = Table("count", "value", title=f"{out.port} {out.date}"
                  + (" (closed)" if out.closed else ""))
    for label, counts in (("groups", out.groups_by_status), ("persons", out.persons_by_status),
                          ("check-ins", out.checkins_by_timing), ("outcomes", out.outcomes)):
        for key, value in sorted(counts.items()):
            table.add_row(f"{label}: {key}", str(value))
    table.add_row("awaiting outcome", str(out.awaiting_outcome))
    console.print(table)
