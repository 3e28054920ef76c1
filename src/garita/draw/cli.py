"""``garita draw commit|publish|verify|fairness``: the verifiable draw from the command line.

Added to the CLI's ``draw`` group by `add_draw_commands`; each command owns
its transaction and prints one line on failure (exit 2), like the rest of the CLI.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garita.db import make_engine, make_sessionmaker, transaction
from garita.errors import DomainError
from garita.settings import Settings

console = Console()
err = Console(stderr=True)
Day = Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"])]


def _sessions(settings: Settings):
    return make_sessionmaker(make_engine(settings.database_url, settings.pool_size))


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def commit(date: Day) -> None:
    """Commit the day's seed now: its SHA-256 becomes public; the seed stays sealed."""
    from garita.draw import commitments
    from garita.draw import service as draws

    settings = Settings()
    try:
        with transaction(_sessions(settings)) as s:
            row = commitments.commitment_for(s, date.date(), settings.now(),
                                             draws.secrets_of(settings), actor="cli")
            sha, at = row.seed_sha256, row.committed_at
    except DomainError as exc:
        _fail(exc.detail)
    console.print(f"{date.date()} seed sha256 {sha} (committed {at:%Y-%m-%d %H:%M:%S %Z})")


def publish(date: Day, out: Annotated[Path, typer.Option(help="Directory to write into.")]) -> None:
    """Write publication.json, inputs.csv and results.csv of a past draw, and a signed
    anchor of the audit log beside them (anchor.json) and in GARITA_AUDIT_ANCHOR_DIR."""
    from garita.audit import anchor_files, anchor_keys
    from garita.draw import publish as published
    from garita.draw import service as draws

    settings = Settings()
    try:
        keys = anchor_keys.from_settings(settings)
    except ValueError as exc:
        _fail(str(exc))
    try:
        with transaction(_sessions(settings)) as s:
            files = published.write(s, date.date(), draws.secrets_of(settings), out,
                                    settings.road_times_file)
            anchor = anchor_files.current(s, keys, dt.datetime.now(dt.UTC), f"draw {date.date()}")
        files.append(anchor_files.write(anchor, out, "anchor.json", replace=True))
        files.append(anchor_files.write(anchor, settings.audit_anchor_dir))
    except DomainError as exc:
        _fail(exc.detail)
    except OSError as exc:
        _fail(f"cannot write the publication or its anchor: {exc}")
    console.print("wrote " + ", ".join(str(f) for f in files))


def verify(directory: Path) -> None:
    """Rerun a published draw from its files alone: 'identical' or the first difference."""
    import polars as pl

    from garita.draw.verify import verify_dir

    try:
        verdict = verify_dir(directory)
    except (OSError, ValueError, KeyError, pl.exceptions.PolarsError) as exc:
        _fail(f"{directory}: cannot read the publication ({type(exc).__name__}: {exc})")
    if not verdict.identical:
        err.print(f"[red]{verdict}[/red]")
        raise typer.Exit(1)
    console.print(f"[green]{verdict}[/green]")


def fairness(start: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"])],
             end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"])],
             alpha: float = 0.05) -> None:
    """Selection rates in the random tier by attribute, chi-square tests, Holm-corrected flags."""
    from garita.draw import fairness as engine
    from garita.draw import fairness_inputs

    with transaction(_sessions(Settings())) as s:
        frame = fairness_inputs.load(s, start.date(), end.date())
    result = engine.report(frame, alpha)
    table = Table("attribute", "port", "chi2", "dof", "p", "p (Holm)", "flag",
                  title=f"Random tier, {result.draws} draws, {result.pool} requests, "
                        f"{result.selected} selected")
    for t in result.tests:
        table.add_row(t.attribute, t.port or "all", f"{t.chi2:.2f}", str(t.dof),
                      f"{t.p_value:.3g}", f"{t.p_adjusted:.3g}", "FLAG" if t.flagged else "")
    console.print(table)
    flags = result.as_dict()["flagged"]
    console.print("flagged: " + "; ".join(flags) if flags else "no significant deviation")


def add_draw_commands(group: typer.Typer) -> None:
    group.command("commit")(commit)
    group.command("publish")(publish)
    group.command("verify")(verify)
    group.command("fairness")(fairness)
