"""The start page, the language chooser, static files, and pages' errors as pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from garita.web import i18n, problems, session, staff
from garita.web.templates import language, render

STATIC = Path(__file__).parent / "static"
# Front-end libraries come from the npm registry (package.json, `npm ci` in `make
# install`) into node_modules at the checkout's root; nothing is fetched at run time.
VENDOR = Path(__file__).resolve().parents[3] / "node_modules"
HTMX = VENDOR / "htmx.org" / "dist" / "htmx.min.js"
JSQR = VENDOR / "jsqr" / "dist" / "jsQR.js"  # the QR reader of the staff consoles' scanners
# Leaflet draws the administrator's map of eligible zones (no tiles: our own GeoJSON).
LEAFLET = {"leaflet.js": (VENDOR / "leaflet" / "dist" / "leaflet.js", "text/javascript"),
           "leaflet.css": (VENDOR / "leaflet" / "dist" / "leaflet.css", "text/css")}
# Every npm file the pages load, under /static/vendor/: absent (no `npm ci`), a 404 and the
# pages still work — htmx is progressive enhancement, a typed code replaces the QR scanner.
VENDORED = {"htmx.min.js": (HTMX, "text/javascript"), "jsQR.js": (JSQR, "text/javascript"),
            **LEAFLET}


def mark_page(request: Request) -> None:
    """Errors on this route are answered as a page in the person's language, not JSON."""
    request.state.page = True


router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html")


@router.get("/staff")
def staff_landing(who: staff.Staff) -> Response:
    """Each staff role's own console (sign-in sends staff here)."""
    return RedirectResponse(staff.CONSOLES[who.role], status_code=303)


@router.get("/language")
def choose_language(request: Request, lang: str = i18n.DEFAULT, next: str = "/") -> Response:
    """Remember the chosen language (a year) and go back where the person was."""
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax",
                            secure=request.url.scheme == "https", httponly=True)
    return response


def is_page(request: Request) -> bool:
    return bool(getattr(request.state, "page", False))


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    lang = language(request)
    return render(request, "error.html", status_code=status, title=problems.title(title, lang),
                  detail=problems.translate(detail, lang))


def install(app: FastAPI) -> None:
    """Static files, the vendored htmx, the start page and the sign-in redirect."""
    @app.get("/static/garita.css", include_in_schema=False)
    def stylesheet() -> FileResponse:
        return FileResponse(STATIC / "garita.css", media_type="text/css",
                            headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/static/garita.js", include_in_schema=False)
    def script() -> FileResponse:
        return FileResponse(STATIC / "garita.js", media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/static/scan.js", include_in_schema=False)
    def scanner() -> FileResponse:
        return FileResponse(STATIC / "scan.js", media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendored(name: str) -> Response:
        path, kind = VENDORED.get(name, (None, ""))
        if path is None or not path.exists():
            return Response(status_code=404)
        return FileResponse(path, media_type=kind,
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static/staff.js", include_in_schema=False)
    def staff_script() -> FileResponse:
        return FileResponse(STATIC / "staff.js", media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=3600"})

    @app.exception_handler(session.SignInFirst)
    async def sign_in_first(request: Request, _: session.SignInFirst) -> Response:
        return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)

    @app.exception_handler(session.EnrolFirst)
    async def enrol_first(request: Request, _: session.EnrolFirst) -> Response:
        return RedirectResponse("/account/two-factor", status_code=303)

    app.include_router(router)
