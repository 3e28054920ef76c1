"""Two runs side by side: the differences on every summary measure, and the charts.

Reads what `output.write` left in each run's directory, so runs made at different
times (or on different machines) compare as long as their files are there.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from garita.simulation import output

#: Inputs and records, not results: the same in both runs or meaningless as a difference.
SKIP = ("seed", "runtime_s", "published", "published_appointments", "requests_per_day.published")


class RunMissing(ValueError):
    """A directory that holds no run, with what to do."""


def load(directory: Path) -> tuple[dict, pl.DataFrame]:
    summary, daily = directory / "summary.json", directory / "daily.parquet"
    if not summary.is_file() or not daily.is_file():
        raise RunMissing(f"{directory} holds no run (summary.json and daily.parquet); make one "
                         f"with: garita sim run SCENARIO --out {directory}")
    return json.loads(summary.read_text("utf-8")), pl.read_parquet(daily)


def flatten(summary: dict, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of the summary as 'a.b' → value (text and lists left out)."""
    out: dict[str, float] = {}
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, int | float) and not isinstance(value, bool) \
                and key not in SKIP and not name.startswith(SKIP):
            out[name] = float(value)
    return out


def differences(a: dict, b: dict) -> list[dict]:
    """Every measure in either summary: A, B, B − A and the change in per cent."""
    fa, fb = flatten(a), flatten(b)
    rows = []
    for name in sorted(set(fa) | set(fb), key=lambda n: (n.split(".")[0], n)):
        va, vb = fa.get(name), fb.get(name)
        change = None if va is None or vb is None else vb - va
        relative = change is not None and va and not name.startswith("error_vs_published")
        rows.append({"measure": name, "a": va, "b": vb, "change": change,
                     "change_pct": change / va if relative else None})  # type: ignore[operator]
    return rows


def charts(a: tuple[str, pl.DataFrame], b: tuple[str, pl.DataFrame]) -> dict[str, dict]:
    names = {a[0], b[0]}
    first, second = (a[0], b[0]) if len(names) == 2 else (f"A: {a[0]}", f"B: {b[0]}")
    return output.charts({first: a[1], second: b[1]})
