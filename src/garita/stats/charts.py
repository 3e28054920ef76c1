"""Charts of the statistics as Vega-Lite specifications (built with Altair), and the same
charts as static SVG or PNG for reports (rendered by vl-convert, no browser needed).

The public page embeds the same specifications with vega-embed, so a chart looks
alike on the page and in a report. Each chart reads one report: the monthly CBP
encounters at the Southwest border stacked by component, by citizenship and by
demographic, and the scheme's own funnel. Titles, axes and the funnel's steps are in
the reader's language (``say``: a catalogue's gettext, `garita.web.i18n`; the strings
are marked ``N_`` here and extracted with the pages'); CBP's category names stay as
published.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import altair as alt
from sqlalchemy.orm import Session

from garita.stats import flows, service
from garita.web.i18n import N_

TOP_CITIZENSHIPS = 8
FUNNEL = ("requests", "offers", "confirmations", "arrivals", "arrived_persons")
FUNNEL_LABELS = {"requests": N_("requests"), "offers": N_("offers"),
                 "confirmations": N_("confirmations"), "arrivals": N_("arrivals (groups)"),
                 "arrived_persons": N_("arrivals (persons)")}
STACKED = (("component", N_("Southwest border encounters by component"), N_("component")),
           ("citizenship", N_("Southwest border encounters by citizenship"), N_("citizenship")),
           ("demographic", N_("Southwest border encounters by demographic"), N_("demographic")))


def _same(message: str) -> str:
    return message


def _stacked(rows: list[dict], dim: str, title: str, legend: str,
             say: Callable[[str], str]) -> alt.Chart:
    return (alt.Chart(alt.Data(values=rows), title=say(title), width=640, height=260)
            .mark_bar()
            .encode(x=alt.X("month:O", title=say(N_("month"))),
                    y=alt.Y("sum(encounters):Q", title=say(N_("encounters"))),
                    color=alt.Color(f"{dim}:N", title=say(legend)),
                    tooltip=["month:O", f"{dim}:N", "sum(encounters):Q"]))


def _top(rows: list[dict], dim: str, keep: int) -> list[dict]:
    """Rows with every value of ``dim`` outside the ``keep`` largest folded into Other."""
    totals: dict[str, int] = {}
    for r in rows:
        totals[r[dim]] = totals.get(r[dim], 0) + r["encounters"]
    top = set(sorted(totals, key=totals.__getitem__, reverse=True)[:keep])
    return [{**r, dim: r[dim] if r[dim] in top else "Other"} for r in rows]


def charts(session: Session, min_cell: int,
           say: Callable[[str], str] = _same) -> dict[str, dict]:
    """Every chart's Vega-Lite specification, by name, its words through ``say``."""
    out = {}
    for dim, title, legend in STACKED:
        rows = service.encounters(session, "southwest", ["month", dim]).rows
        if dim == "citizenship":
            rows = _top(rows, dim, TOP_CITIZENSHIPS)
        out[f"encounters_by_{dim}"] = _stacked(rows, dim, title, legend, say).to_dict()
    totals = {m: 0 for m in FUNNEL}
    for r in flows.flows(session, "fiscal_year", [], min_cell):
        if r["measure"] in totals and r["value"] is not None:
            totals[r["measure"]] += r["value"]
    funnel = [{"step": say(FUNNEL_LABELS[m]), "order": i, "count": totals[m]}
              for i, m in enumerate(FUNNEL)]
    out["funnel"] = (alt.Chart(alt.Data(values=funnel),
                               title=say(N_("Garita: from request to arrival")),
                               width=640, height=200)
                     .mark_bar()
                     .encode(y=alt.Y("step:N", sort=alt.SortField("order"), title=None),
                             x=alt.X("count:Q", title=say(N_("count"))),
                             tooltip=["step:N", "count:Q"])
                     ).to_dict()
    return out


def render(spec: dict, fmt: str) -> bytes:
    """A specification as SVG or PNG."""
    import vl_convert

    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode()
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    raise ValueError(f"unknown chart format {fmt!r}: use svg or png")


def write(session: Session, directory: Path, fmt: str, min_cell: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, spec in charts(session, min_cell).items():
        path = directory / f"{name}.{fmt}"
        path.write_bytes(render(spec, fmt))
        paths.append(path)
    return paths
