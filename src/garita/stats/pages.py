"""The public statistics page: monthly CBP series stacked by component, citizenship and
demographic, the scheme's funnel, the fiscal-year picture, sources and open data.

It renders through the shared web layer, in the reader's language (the five
catalogues, docs/pages.md), numbers and dates per locale. Charts are the
``/stats/charts/{name}.json?lang=..`` Vega-Lite specifications, titles and axes in the
same language (`stats.charts`), drawn in the browser by Vega, whose scripts the app
serves itself from the npm-installed ``node_modules``. CBP's own category names (its
components, citizenships, demographics) stay as CBP publishes them.
"""

from __future__ import annotations

from pathlib import Path

from babel import numbers
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse

from garita.deps import tx
from garita.errors import NotFound
from garita.web import i18n
from garita.web.i18n import N_
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, language, render

router = APIRouter(tags=["statistics"])
CHARTS = (("encounters_by_component", N_("Encounters at the Southwest border, by component")),
          ("encounters_by_citizenship",
           N_("By citizenship (the eight largest, the rest as Other)")),
          ("encounters_by_demographic", N_("By demographic")),
          ("funnel", N_("Garita: from request to arrival")))
#: The only files served from node_modules (what the page loads), by public name.
ASSETS = {"vega.min.js": "vega/build/vega.min.js",
          "vega-lite.min.js": "vega-lite/build/vega-lite.min.js",
          "vega-embed.min.js": "vega-embed/build/vega-embed.min.js"}
CHECKOUT_MODULES = Path(__file__).resolve().parents[3] / "node_modules"


@router.get("/statistics", response_class=HTMLResponse, dependencies=[Depends(mark_page)])
def statistics_page(request: Request) -> HTMLResponse:
    """The public statistics page (HTML), in the reader's language."""
    from garita.stats import picture

    with tx(request) as s:
        whole = picture.picture(s, request.app.state.settings.stats_min_cell,
                                request.app.state.clock())
    lang, say = language(request), gettext_for(request)
    charts = [{"name": n, "title": say(t), "spec_url": f"/stats/charts/{n}.json?lang={lang}",
               "svg_url": f"/stats/charts/{n}.svg?lang={lang}",
               "png_url": f"/stats/charts/{n}.png?lang={lang}"} for n, t in CHARTS]
    return render(request, "statistics.html", charts=charts, picture=whole,
                  fmt=lambda v: "—" if v is None else i18n.format_number(v, lang),
                  pct=lambda v: "—" if v is None else numbers.format_percent(
                      v, "#,##0.0%", locale=lang))


@router.get("/stats/assets/{name}", response_class=FileResponse)
def asset(request: Request, name: str) -> FileResponse:
    """Vega's scripts, as installed from npm (``make install``), served by the app."""
    base = request.app.state.settings.assets_dir or CHECKOUT_MODULES
    path = base / ASSETS[name] if name in ASSETS else None
    if path is None or not path.is_file():
        raise NotFound(f"no asset {name}: the page needs {', '.join(ASSETS)}, installed by "
                       "`make install` (npm ci) into node_modules or GARITA_ASSETS_DIR")
    return FileResponse(path, media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})
