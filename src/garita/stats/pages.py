"""The public statistics page: monthly CBP series stacked by component, citizenship and
demographic, the scheme's funnel, the fiscal-year picture, sources and open data.

A minimal, self-contained template until the shared web layer (base templates,
sessions, the five languages) exists; the page is English for now. Charts are the
``/stats/charts/{name}.json`` Vega-Lite specifications drawn in the browser by Vega,
whose scripts the app serves itself from the npm-installed ``node_modules``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from garita.deps import tx
from garita.errors import NotFound

router = APIRouter(tags=["statistics"])
env = Environment(loader=PackageLoader("garita.stats", "templates"),
                  autoescape=select_autoescape(["html"]))
CHARTS = (("encounters_by_component", "Encounters at the Southwest border, by component"),
          ("encounters_by_citizenship", "By citizenship (the eight largest, the rest as Other)"),
          ("encounters_by_demographic", "By demographic"),
          ("funnel", "Garita: from request to arrival"))
#: The only files served from node_modules (what the page loads), by public name.
ASSETS = {"vega.min.js": "vega/build/vega.min.js",
          "vega-lite.min.js": "vega-lite/build/vega-lite.min.js",
          "vega-embed.min.js": "vega-embed/build/vega-embed.min.js"}
CHECKOUT_MODULES = Path(__file__).resolve().parents[3] / "node_modules"


def _fmt(v: int | None) -> str:
    return "—" if v is None else f"{v:,}"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1%}"


@router.get("/statistics", response_class=HTMLResponse)
def statistics_page(request: Request) -> HTMLResponse:
    """The public statistics page (HTML)."""
    from garita.stats import picture

    with tx(request) as s:
        whole = picture.picture(s, request.app.state.settings.stats_min_cell,
                                request.app.state.clock())
    charts = [{"name": n, "title": t, "spec_url": f"/stats/charts/{n}.json",
               "svg_url": f"/stats/charts/{n}.svg", "png_url": f"/stats/charts/{n}.png"}
              for n, t in CHARTS]
    html = env.get_template("statistics.html").render(charts=charts, picture=whole, fmt=_fmt,
                                                      pct=_pct)
    return HTMLResponse(html)


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
