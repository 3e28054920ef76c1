"""The public pages of simulation runs, under the statistics: the runs, and one run's charts.

``/statistics/simulations`` lists the runs in ``GARITA_SIMULATION_RUNS_DIR`` (unset:
the default scenario's run shipped in the package); ``/statistics/simulations/{name}``
shows a run's figures against the published ones and its charts, and with
``?compare=OTHER`` both runs side by side (a colour per run, the figures in two
columns). The charts' specifications are inlined in the page (no chart route to keep
in step) and drawn by the Vega scripts the statistics page already serves.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel import numbers
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from garita.web import i18n
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, language, render

router = APIRouter(tags=["statistics"], include_in_schema=False,
                   dependencies=[Depends(mark_page)])


def _folder(request: Request) -> Path:
    from garita.simulation import service  # Polars: loaded on first use, not by every worker

    return service.runs_dir(request.app.state.settings.simulation_runs_dir)


def _formats(lang: str) -> dict:
    return {"fmt": lambda v: "—" if v is None else i18n.format_number(v, lang),
            "pct": lambda v: "—" if v is None else numbers.format_percent(
                v, "+#,##0.0%;-#,##0.0%", locale=lang),
            "share": lambda v: "—" if v is None else numbers.format_percent(
                v, "#,##0.0%", locale=lang)}


@router.get("/statistics/simulations", response_class=HTMLResponse)
def runs_page(request: Request) -> HTMLResponse:
    """The simulation runs Garita can show, with each one's headline figures."""
    from garita.simulation import service

    runs = service.summaries(_folder(request))
    return render(request, "simulations.html", runs=runs, **_formats(language(request)))


@router.get("/statistics/simulations/{name}", response_class=HTMLResponse)
def run_page(request: Request, name: str,
             compare: str | None = Query(default=None, max_length=200)) -> HTMLResponse:
    """One run's figures and charts; ``compare``: another run beside it."""
    from garita.simulation import charts, service  # Altair, Polars: loaded on first use

    folder = _folder(request)
    shown = [service.load(folder, name)]
    if compare and compare != name:
        shown.append(service.load(folder, compare))
    say = gettext_for(request)
    specs = charts.charts(shown, say)
    chart_list = [{"name": n, "title": say(t), "spec": specs[n]}
                  for n, t in charts.CHARTS if n in specs]
    others = [n for n in service.run_names(folder) if n != name]
    first = shown[0].summary
    end = dt.date.fromisoformat(first["end"])
    published = [(when, day, n) for day, n in first.get("published_appointments", {}).items()
                 if day in first.get("cumulative_appointments", {})
                 and (when := dt.date.fromisoformat(day)) <= end]
    return render(request, "simulation_run.html", runs=shown, charts=chart_list,
                  others=others, published_dates=published,
                  compare=compare if len(shown) == 2 else None,
                  **_formats(language(request)))
