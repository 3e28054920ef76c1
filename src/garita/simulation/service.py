"""Simulation runs on disk, for the statistics pages: which runs there are, one run's data.

A run is a directory `garita sim run --out DIR` wrote (``summary.json``,
``daily.parquet``, ``waiting.parquet``; ``waiting_days.parquet`` from runs made since the
pages show it). The operator points Garita at a folder of such directories
(``GARITA_SIMULATION_RUNS_DIR``); unset, the pages show the runs shipped in the package
(``simulation/runs/``: the default scenario, so a fresh install and ``make demo`` have
one to show). Only names found in the folder are ever opened: a name from a URL is
looked up, never joined to a path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import polars as pl

from garita.errors import NotFound

REQUIRED = ("summary.json", "daily.parquet")


@dataclass(frozen=True)
class RunFiles:
    """One run's files as read: its name (the directory's), summary and tables."""

    name: str
    summary: dict
    daily: pl.DataFrame
    waiting: pl.DataFrame | None
    waiting_days: pl.DataFrame | None


def shipped_runs() -> Path:
    """The runs shipped in the package (the default scenario's)."""
    return Path(str(resources.files("garita.simulation").joinpath("runs")))


def runs_dir(configured: Path | None) -> Path:
    return configured if configured is not None else shipped_runs()


def run_names(folder: Path) -> list[str]:
    """The runs in ``folder``: sub-directories holding a summary and a daily series."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and all((p / f).is_file() for f in REQUIRED))


def summaries(folder: Path) -> list[tuple[str, dict]]:
    """(name, summary) of every run in the folder, by name."""
    return [(name, json.loads((folder / name / "summary.json").read_text("utf-8")))
            for name in run_names(folder)]


def load(folder: Path, name: str) -> RunFiles:
    """One run by name; NotFound, with the names there are, for any other name."""
    names = run_names(folder)
    if name not in names:
        raise NotFound(f"no simulation run {name!r}: the runs are "
                       f"{', '.join(names) or 'none (make one with garita sim run)'}")
    base = folder / names[names.index(name)]
    optional = {f: pl.read_parquet(base / f"{f}.parquet")
                if (base / f"{f}.parquet").is_file() else None
                for f in ("waiting", "waiting_days")}
    return RunFiles(name=name, summary=json.loads((base / "summary.json").read_text("utf-8")),
                    daily=pl.read_parquet(base / "daily.parquet"), **optional)
