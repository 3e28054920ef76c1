"""Public, read-only statistics: encounter reports, source disagreements, provenance.

Anyone may read them (no sign-in): they hold only published aggregates. Importing
is a CLI job (``garita stats import``), not a route.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from garita.deps import Limit, Offset, tx, with_total
from garita.stats import service
from garita.stats.schemas import (
    DataPackage,
    DisagreementOut,
    EncounterReport,
    FlowRow,
    ImportOut,
    Picture,
    Region,
)
from garita.web import i18n
from garita.web.templates import language

router = APIRouter(prefix="/stats", tags=["statistics"])
Language = Literal["en", "es", "ht", "pt", "ru"]
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "An unknown region or dimension; the detail lists the valid ones.",
          "content": {"application/problem+json": {}}}}


@router.get("/encounters", response_model=EncounterReport, responses=INVALID)
def encounters(
    request: Request,
    region: Annotated[Region, Query(description="southwest, northern, other or all.")] = "all",
    by: Annotated[str, Query(description="Comma-separated dimensions: fiscal_year, month, "
                                         "component, citizenship, demographic, title, "
                                         "encounter_type, region, aor, state, dataset.",
                             examples=["fiscal_year,component"])] = "fiscal_year",
) -> EncounterReport:
    """CBP encounters grouped by ``by``, exactly as published, reading one dataset per
    region and month (``sources`` says which, with files and import dates). Example
    row for ``?region=southwest&by=fiscal_year,component``: ``{"fiscal_year": 2024,
    "component": "U.S. Border Patrol", "encounters": 1530523, "partial": false}``."""
    with tx(request) as s:
        return service.encounters(s, region, by.split(","))


@router.get("/reconcile", response_model=list[DisagreementOut])
def reconcile(request: Request) -> list[DisagreementOut]:
    """Every region and month where two imported CBP datasets give different figures
    (in total or by component); empty when they agree."""
    with tx(request) as s:
        return service.reconcile(s)


@router.get("/imports", response_model=list[ImportOut])
def imports(request: Request, response: Response, limit: Limit = 100, offset: Offset = 0,
            dataset: str | None = None,
            sort: Literal["-imported", "imported"] = "-imported") -> list[ImportOut]:
    """Provenance of the imported files, newest first (``sort=imported``: oldest first),
    one dataset's if asked: name, SHA-256, dataset, rows, months, when. ``X-Total-Count``
    says how many match in all."""
    with tx(request) as s:
        rows, total = service.import_page(s, limit=limit, offset=offset, dataset=dataset,
                                          oldest_first=sort == "imported")
        with_total(response, total)
        return rows


@router.get("/flows", response_model=list[FlowRow], responses=INVALID)
def flows(
    request: Request,
    period: Annotated[str, Query(description="day, week, month or fiscal_year.")] = "month",
    by: Annotated[str, Query(description="Comma-separated, optional: port, nationality, "
                                         "origin_state, group_size.")] = "",
) -> list[FlowRow]:
    """Garita's own flows per period: requests, unique requesters, draws, places, offers,
    confirmations, lapses, arrivals, no-shows, outcomes by kind, corridor riders and
    buses, alerts by kind and decision. Aggregates only: a count of people under
    ``GARITA_STATS_MIN_CELL`` is ``null`` with ``suppressed: true``."""
    from garita.stats import flows as own  # Polars: loaded on first use

    with tx(request) as s:
        rows = own.flows(s, period, by.split(","), request.app.state.settings.stats_min_cell)
    return [FlowRow(**r) for r in rows]


@router.get("/picture", response_model=Picture)
def picture(request: Request) -> Picture:
    """Per month and fiscal year: Border Patrol encounters between the ports, Field
    Operations encounters at the Southwest ports, appointments kept, and the share of
    port encounters that came by appointment, with each series' source."""
    from garita.stats import picture as whole

    with tx(request) as s:
        return whole.picture(s, request.app.state.settings.stats_min_cell,
                             request.app.state.clock())


@router.get("/open-data/datapackage.json", response_model=DataPackage,
            response_model_by_alias=True)
def datapackage(request: Request) -> DataPackage:
    """The Frictionless Data Package descriptor of every public table (fields, types,
    sources, licences); each resource's ``path`` is relative to this URL."""
    from garita.stats import export  # Polars: loaded on first use, not by every worker

    with tx(request) as s:
        now = request.app.state.clock()
        tables = export.public_tables(s, request.app.state.settings.stats_min_cell, now)
        return DataPackage.model_validate(export.descriptor(tables, now))


# JSON bodies these routes answer, described as far as they are ours to type: a Vega-Lite
# specification (its own schema is vega-lite's), and a table's rows (fields per
# datapackage.json).
VEGA_LITE = {"type": "object", "required": ["$schema"], "description": "A Vega-Lite v5 "
             "specification with its data inlined.", "properties": {"$schema": {
                 "type": "string", "description": "The Vega-Lite schema URL."}}}
TABLE_ROWS = {"type": "array", "description": "The table's rows; fields and types as in "
              "datapackage.json.", "items": {"type": "object", "properties": {},
                                              "additionalProperties": True}}
CHART: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such chart or format.",
          "content": {"application/problem+json": {}}},
    200: {"content": {"application/json": {"schema": VEGA_LITE}, "image/svg+xml": {},
                      "image/png": {}},
          "description": "The chart: a Vega-Lite specification, SVG or PNG."}}
CHART_MEDIA = {"json": "application/json", "svg": "image/svg+xml", "png": "image/png"}


@router.get("/charts/{name}.{fmt}", response_class=Response, responses=CHART)
def chart(request: Request, name: str, fmt: str,
          lang: Annotated[Language | None, Query(description=(
              "Titles and axes in this language (en, es, ht, pt, ru); default: "
              "Accept-Language, else English."))] = None) -> Response:
    """A statistics chart: ``json`` (its Vega-Lite specification, data inline), ``svg`` or
    ``png``. Charts: encounters_by_component, encounters_by_citizenship,
    encounters_by_demographic, funnel."""
    import json

    from garita.errors import NotFound
    from garita.stats import charts  # Altair, vl-convert: loaded on first use

    say = i18n.translations(lang or language(request)).gettext
    with tx(request) as s:
        specs = charts.charts(s, request.app.state.settings.stats_min_cell, say)
    if name not in specs or fmt not in CHART_MEDIA:
        raise NotFound(f"no chart {name}.{fmt}: charts are {', '.join(specs)}; formats "
                       f"{', '.join(CHART_MEDIA)}")
    body = json.dumps(specs[name]).encode() if fmt == "json" else charts.render(specs[name], fmt)
    return Response(body, media_type=CHART_MEDIA[fmt])


FILE: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such table or format.",
          "content": {"application/problem+json": {}}},
    200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {},
                      "application/json": {"schema": TABLE_ROWS}},
          "description": "The table in the asked format."}}


@router.get("/open-data/{table}.{fmt}", response_class=Response, responses=FILE)
def open_data(request: Request, table: str, fmt: str) -> Response:
    """One public table as ``csv``, ``parquet`` or ``json`` (an array of arrays, the
    header first: Frictionless' tabular JSON)."""
    from garita.stats import export

    with tx(request) as s:
        body = export.render(s, table, fmt, request.app.state.settings.stats_min_cell,
                             request.app.state.clock())
    return Response(body, media_type=export.MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{table}.{fmt}"'})
