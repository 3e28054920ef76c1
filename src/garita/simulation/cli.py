"""``garita sim``: run a scenario through the engines, compare two runs.

Errors are one line on stderr with exit status 2, as in the other commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

sim_app = typer.Typer(help="Simulation: days of the scheme through the real engines.",
                      no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 120)  # piped: keep rows whole
err = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", soft_wrap=True, markup=True)
    return typer.Exit(2)


@sim_app.command("run")
def run_command(
    scenario: Annotated[Path | None, typer.Argument(
        help="Scenario file (TOML); or a shipped one by name: "
             "capacity_plus_50, no_longest_waiting, no_chiapas_tabasco, oaxaca, "
             "corridor_fleet_x2.")] = None,
    out: Annotated[Path | None, typer.Option(help="Directory for the run's files "
                                                  "(default: sim-runs/NAME).")] = None,
    default: Annotated[bool, typer.Option("--default", help="The default scenario: the "
                                          "real scheme, 2023-01-12 to 2025-01-20.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    png: Annotated[bool, typer.Option(help="Also render the charts as PNG.")] = False,
) -> None:
    """Run a scenario day by day; write daily.parquet, waiting.parquet, summary.json, charts."""
    from garita.simulation import engine, output
    from garita.simulation import scenario as scenarios

    if default == (scenario is not None):
        raise _fail("give a scenario file or --default (one of them)")
    try:
        if default:
            chosen = scenarios.Scenario()
        else:
            assert scenario is not None
            path = scenario if scenario.exists() else scenarios.shipped(scenario.stem)
            if not path.exists():
                raise scenarios.ScenarioError(f"{scenario}: no such file or shipped scenario")
            chosen = scenarios.load(path)
    except scenarios.ScenarioError as exc:
        raise _fail(str(exc)) from None
    target = out or Path("sim-runs") / chosen.name
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} days"), TimeElapsedColumn(),
                  console=err, transient=as_json, disable=False) as bar:
        task = bar.add_task(chosen.name, total=(chosen.end - chosen.start).days)
        try:
            result = engine.simulate(chosen, lambda done, total: bar.update(task,
                                                                            completed=done))
        except ValueError as exc:
            raise _fail(str(exc)) from None
    summary = output.write(result, target)
    if png:
        daily, _ = output.frames(result)
        output.write_charts(output.charts({chosen.name: daily}), target / "charts", png=True)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    _print_summary(summary, target)


def _print_summary(summary: dict, target: Path) -> None:
    table = Table(title=f"{summary['scenario']} ({summary['runtime_s']} s) → {target}")
    for col in ("date", "appointments", "published", "error"):
        table.add_column(col, justify="right")
    for day, n in summary["cumulative_appointments"].items():
        published = summary["published_appointments"].get(day)
        error = summary["error_vs_published"].get(day)
        table.add_row(day, f"{n:,}", "" if published is None else f"{published:,}",
                      "" if error is None else f"{error:+.1%}")
    console.print(table)


@sim_app.command("compare")
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="A run's directory (garita sim run --out).")],
    run_b: Annotated[Path, typer.Argument(help="Another run's directory.")],
    charts: Annotated[Path | None, typer.Option(help="Write comparison charts here "
                                                "(Vega-Lite JSON and PNG).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the differences as JSON.")]
    = False,
) -> None:
    """Print the differences between two runs on every measure; chart them."""
    from garita.simulation import compare, output

    try:
        (sa, da), (sb, db) = compare.load(run_a), compare.load(run_b)
    except compare.RunMissing as exc:
        raise _fail(str(exc)) from None
    rows = compare.differences(sa, sb)
    if charts is not None:
        output.write_charts(compare.charts((sa["scenario"], da), (sb["scenario"], db)), charts,
                            png=True)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"A: {sa['scenario']}  vs  B: {sb['scenario']}")
    for col, just in (("measure", "left"), ("A", "right"), ("B", "right"),
                      ("B − A", "right"), ("%", "right")):
        table.add_column(col, justify=just, no_wrap=True,  # type: ignore[arg-type]
                         min_width=38 if col == "measure" else None)
    for r in rows:
        table.add_row(r["measure"], _num(r["a"]), _num(r["b"]), _num(r["change"]),
                      "" if r["change_pct"] is None else f"{r['change_pct']:+.1%}")
    console.print(table)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.3f}"
