"""``garita watchlist load``, ``garita screen run``, ``garita integrity run``.

The heavy jobs live here (the API runs them only for small sites). Each
command owns one transaction, prints Rich progress, and one-line errors.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

watchlist_app = typer.Typer(help="Watchlists: load a version.", no_args_is_help=True)
screen_app = typer.Typer(help="Screen every registered person against the watchlists.",
                         no_args_is_help=True)
integrity_app = typer.Typer(help="Rings, shared contacts and duplicate identities.",
                            no_args_is_help=True)
console = Console()
err = Console(stderr=True)
ACTOR = "cli:integrity"


def _run(work):
    from garita.db import make_engine, make_sessionmaker, transaction
    from garita.errors import DomainError
    from garita.settings import Settings

    settings = Settings()
    sessions = make_sessionmaker(make_engine(settings.database_url, settings.pool_size))
    try:
        with transaction(sessions) as s:
            return work(s, settings)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(2) from None


def _read(path: Path) -> str:
    return path.read_text(encoding="latin-1") if path.exists() else ""


@watchlist_app.command("load")
def load(path: Annotated[Path, typer.Argument(help="OFAC folder (sdn/alt/add.csv) or a CSV.")],
         name: Annotated[str, typer.Option(help="List name, e.g. ofac-sdn.")] = "ofac-sdn",
         version: Annotated[str, typer.Option(help="List version (default: folder name).")] = "",
         ) -> None:
    """Load a list version: an OFAC folder (no header, '-0-', Ctrl-Z) or a plain CSV."""
    from garita.integrity import lists, screening

    if path.is_dir():
        if not (path / "sdn.csv").exists():
            err.print(f"[red]error:[/red] {path} has no sdn.csv; give the folder holding "
                      "sdn.csv, alt.csv and add.csv, or a plain CSV file.")
            raise typer.Exit(2)
        try:
            entries = lists.parse_ofac(_read(path / "sdn.csv"), _read(path / "alt.csv"),
                                       _read(path / "add.csv"))
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        fmt = "ofac"
    elif path.exists():
        try:
            entries = lists.parse_plain(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        fmt = "csv"
    else:
        err.print(f"[red]error:[/red] {path} does not exist.")
        raise typer.Exit(2)
    wl = _run(lambda s, settings: screening.load(s, name, version or path.stem, fmt, entries,
                                                 ACTOR, settings.now()))
    console.print(f"loaded {wl.name} version {wl.version}: {wl.entry_count} entries")


@screen_app.command("run")
def screen_run(threshold: Annotated[float | None, typer.Option(
        min=0, max=1, help="Review threshold 0-1 (default GARITA_SCREEN_THRESHOLD).")] = None,
        workers: Annotated[int, typer.Option(
            min=1, help="Scoring processes (default: one per CPU).")] = os.cpu_count() or 1,
        ) -> None:
    """Screen every person; each hit at or above the threshold becomes a watchlist alert."""
    from garita.integrity import screening

    def work(s, settings):
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("screening people", total=None)
            return screening.screen(s, settings.now(), ACTOR,
                                    threshold or settings.screen_threshold,
                                    progress=lambda n: bar.advance(task, n), workers=workers)

    out = _run(work)
    console.print(f"screened {out['people']} people against {out['list_names']} names: "
                  f"{out['hits']} hits, {out['new_alerts']} new alerts"
                  + (f" ({out['note']})" if out.get("note") else ""))


@integrity_app.command("run")
def integrity_run(duplicates: bool = typer.Option(True, help="Also run Splink duplicates.")
                  ) -> None:
    """Shared addresses/phones/emails, rings and duplicate identities become alerts."""
    from garita.integrity import jobs
    from garita.integrity.views import thresholds

    def work(s, settings):
        with console.status("finding rings and duplicates"):
            return jobs.run(s, settings.now(), ACTOR, thresholds(settings),
                            settings.duplicate_threshold, duplicates)

    out = _run(work)
    console.print(f"{out.get('people', 0)} people: shared {out.get('shared', {})}, "
                  f"{out.get('rings', 0)} rings, {out.get('duplicate_pairs', 0)} duplicate "
                  f"pairs, {out['new_alerts']} new alerts")
    if out.get("duplicates_note"):
        console.print(f"duplicates: {out['duplicates_note']}")
