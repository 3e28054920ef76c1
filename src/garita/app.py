"""The composition root: settings in, a FastAPI app out.

Errors are mapped here once, to RFC 9457 ``application/problem+json`` bodies
whose ``detail`` says what to fix. Nothing personal is logged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Literal

import psycopg
import sqlalchemy
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from garita import __version__, deps
from garita.access import may_read
from garita.audit import anchor_keys
from garita.auth.account_pages import router as account_pages
from garita.auth.core import TokenCache, hasher
from garita.auth.pages import router as auth_pages
from garita.auth.sessions import Revocations
from garita.auth.totpkeys import TotpKeys
from garita.auth.views import router as auth_router
from garita.corridor.pages import router as corridor_pages
from garita.corridor.views import router as corridor_router
from garita.db import make_engine, make_sessionmaker, open_async_pool
from garita.draw.lists import router as lists_router
from garita.draw.pages import router as draw_pages
from garita.draw.service import last_drawn, secrets_of
from garita.draw.views import router as draw_router
from garita.errors import DomainError
from garita.geo.pages import router as geo_pages
from garita.geo.service import locator_from
from garita.geo.views import router as geo_router
from garita.help.assist_pages import router as assist_pages
from garita.help.pages import router as help_pages
from garita.help.views import router as help_router
from garita.integrity import screening as integrity_screening
from garita.integrity.pages import router as integrity_pages
from garita.integrity.views import router as integrity_router
from garita.jobs.runner import Runner
from garita.middleware import Edge
from garita.notices.keys import from_settings as notice_keys
from garita.notices.pages import router as notices_pages
from garita.notices.render import find_font
from garita.notices.views import router as notices_router
from garita.notify.jobs import WorkerHandle
from garita.notify.pages import router as notify_pages
from garita.notify.views import router as notify_router
from garita.notify.wake import WakeOnChange, Waker
from garita.observability import Metrics
from garita.offers.pages import router as offers_pages
from garita.offers.views import router as offers_router
from garita.photos.sealing import PhotoKeys
from garita.policy.pages import router as policy_pages
from garita.policy.service import VersionCache
from garita.policy.views import router as policy_router
from garita.ports import service as ports_service
from garita.ports.pages import router as ports_pages
from garita.ports.views import router as ports_router
from garita.ratelimit import RateLimits
from garita.registrations.pages import router as registrations_pages
from garita.registrations.views import router as registrations_router
from garita.requests.batch import IntakeWriter
from garita.requests.pages import router as requests_pages
from garita.requests.views import router as requests_router
from garita.rights import estimate as wait_estimate
from garita.rights.pages import router as rights_pages
from garita.rights.people_pages import router as people_pages
from garita.rights.views import router as rights_router
from garita.settings import Settings
from garita.simulation.pages import router as simulation_pages
from garita.stats.pages import router as stats_pages
from garita.stats.views import router as stats_router
from garita.web import i18n, problems
from garita.web.openapi import document_problems
from garita.web.pages import error_page, is_page
from garita.web.pages import install as install_pages

log = logging.getLogger("garita")


class Health(BaseModel):
    """Liveness (``ok``) or readiness (``ready``: the database answered)."""

    status: Literal["ok", "ready"]
    version: str
PROBLEM = "application/problem+json"
UNREADABLE_BODY = ("The request body could not be read: send JSON (Content-Type: application/json) "
                   "or, for /auth/token, a form; check its syntax and send it again.")


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
            **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if p not in ("body", "query", "path"))


def _language(request: Request) -> str:
    """The API's language: ``Accept-Language`` (pages also honour the chosen-language cookie)."""
    return i18n.from_header(request.headers.get("accept-language")) or i18n.DEFAULT


def translated(request: Request, status: int, title: str, detail: str,
               headers: dict[str, str] | None = None, **extra: object) -> Response:
    """A problem in the caller's language: a page for the pages, problem+json for the API."""
    if is_page(request):
        page = error_page(request, status, title, detail)
        page.headers.update(headers or {})
        return page
    lang = _language(request)
    return problem(status, problems.title(title, lang), problems.translate(detail, lang),
                   headers=headers, **extra)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        return translated(request, exc.status, exc.title, exc.detail, headers=exc.headers(),
                          **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        lang = _language(request)
        errors = [{"field": _field(e["loc"]), "message": problems.field_error(e, lang)}
                  for e in exc.errors()]
        detail = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors)
        if is_page(request):
            return error_page(request, 422, "Invalid input", detail)
        return problem(422, problems.title("Invalid input", lang), detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Starlette's own headers ride along: Allow on 405, WWW-Authenticate on 401.
        detail = str(exc.detail)
        if exc.status_code == 400:  # only a body FastAPI could not parse (multipart, form…)
            detail = UNREADABLE_BODY  # its words ("Invalid multipart data.") say no fix
        return translated(request, exc.status_code, "Error", detail,
                          headers=dict(exc.headers) if exc.headers else None)

    @app.exception_handler(OverflowError)
    @app.exception_handler(sqlalchemy.exc.DataError)
    @app.exception_handler(psycopg.errors.DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        """The database refused a value the schema let through (an id beyond 64 bits):
        the request's fault, and nothing was stored (the transaction rolled back)."""
        if "NUL" in str(exc) or "0x00" in str(exc):
            return translated(request, 422, "Invalid input", "Text in the request contains a "
                              "NUL character (\\x00), which cannot be stored; remove it.")
        return translated(request, 422, "Invalid input", "A number in the request is out of "
                          "range (ids and counts must fit in 64 bits); correct it and try again.")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        # The traceback was logged by the edge middleware, with the request's id.
        return translated(request, 500, "Internal error", "Something failed on our side; it "
                          "was not saved. Try again later.")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the hot route's async pool and writer (PostgreSQL) in the serving event loop.

    Pools are kept per loop: a test may serve one app from two loops in turn.
    Without a running lifespan the routes fall back to the synchronous path.
    """
    settings: Settings = app.state.settings
    pool = await open_async_pool(settings.database_url, settings.pool_size)
    loop = asyncio.get_running_loop()
    if pool is not None:
        app.state.async_pools[loop] = (pool, IntakeWriter(
            pool, on_batch=app.state.metrics.intake_batch.observe))
    # Everything built so far lives as long as the process; a full garbage collection
    # walking it took ~90 ms, a pause in every request in flight (the p99). Frozen
    # objects are left out of collections.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        app.state.notify_waker.close()
        if pool is not None:
            app.state.async_pools.pop(loop, None)
            await pool.close()


def create_app(settings: Settings | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    settings = settings or Settings()
    for weakness in settings.secret_problems():  # production refused them already
        log.warning("DEVELOPMENT SECRETS: %s; never serve real people on these", weakness)
    # /docs and /redoc load Swagger UI and ReDoc from the installed fastapi-offline package
    # (mounted at /static-offline-docs), never from a CDN: they work offline.
    app = FastAPIOffline(title="Garita", version=__version__, lifespan=lifespan,
                  description="Port-of-entry appointments end to end: registration, "
                              "geofenced daily requests, a verifiable daily draw, "
                              "confirmation, signed notices, corridor buses, the ports' day, "
                              "integrity screening and public statistics.")
    engine = make_engine(settings.database_url, settings.pool_size)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.async_pools = {}
    app.state.policy_cache = VersionCache()
    app.state.clock = clock or settings.now  # GARITA_CLOCK_START, else the real clock
    app.state.revocations = Revocations(app.state.sessions, lambda: app.state.clock(),
                                        settings.session_check_seconds)
    app.state.tokens = TokenCache(settings.secret_key.get_secret_value(), previous=tuple(
        k.get_secret_value() for k in settings.secret_key_previous),
        revoked=app.state.revocations)
    app.state.hasher = hasher(settings.argon2_time_cost, settings.argon2_memory_kib)
    app.state.limits = RateLimits(
        settings.rate_limit_storage, settings.login_rate, settings.request_rate,
        settings.notice_check_rate, settings.notice_verify_rate,
        login_client=settings.login_client_rate, login_global=settings.login_global_rate,
        signup_client=settings.signup_client_rate, signup_global=settings.signup_global_rate,
        notice_check_number=settings.notice_check_number_rate,
        notice_check_global=settings.notice_check_global_rate)
    app.state.ticket_key = secrets_of(settings).ticket_key
    app.state.notice_keys = notice_keys(settings)
    app.state.photo_keys = PhotoKeys.of(settings.photo_key.get_secret_value(), tuple(
        k.get_secret_value() for k in settings.photo_key_previous))
    app.state.totp_keys = TotpKeys.of(settings.totp_key.get_secret_value(), tuple(
        k.get_secret_value() for k in settings.totp_key_previous))
    app.state.anchor_keys = anchor_keys.from_settings(settings)
    app.state.notice_font = find_font(settings.notice_font_file)
    app.state.locator = locator_from(settings.boundary_file)
    app.state.metrics = Metrics()
    # Staff consoles' background jobs (plans, integrity runs): in the database, any worker
    # answers their polls.
    app.state.jobs = Runner(app.state.sessions, lambda: app.state.clock())
    # Policy sits below the draw, yet refuses a version before a day already drawn:
    # the composition root hands it the draw's answer.
    app.state.last_drawn = last_drawn
    # Likewise the applicant's status (draw) says the port's outcomes (ports, above it).
    app.state.outcomes_of = ports_service.outcomes_of
    app.state.may_read = may_read(settings.officer_days_around)  # staff: least privilege
    # The status page (draw) shows the wait estimate (rights, above it).
    app.state.wait_estimate = wait_estimate.for_registration
    # A corrected or added person is screened again (integrity sits above registrations).
    app.state.rescreen = lambda s, rid, now, actor: integrity_screening.rescreen(
        s, rid, now, actor, settings.screen_threshold)
    install_error_handlers(app)
    # The request route first: it is the hot one (routes are matched in order).
    for router in (requests_router, draw_router, lists_router, offers_router, auth_router,
                   policy_router, registrations_router, geo_router, notices_router,
                   corridor_router, ports_router, integrity_router, stats_router, stats_pages,
                   notify_router, rights_router, help_router):
        app.include_router(router)
    # The pages (HTML, same services and rules as the API), after the API routes.
    install_pages(app)
    for router in (auth_pages, account_pages, registrations_pages, requests_pages, draw_pages,
                   offers_pages, notices_pages, corridor_pages, integrity_pages, policy_pages,
                   geo_pages, notify_pages, rights_pages, people_pages, help_pages, assist_pages,
                   ports_pages, simulation_pages):
        app.include_router(router)

    @app.get("/health", tags=["meta"], response_model=Health)
    async def health() -> Health:
        """The process answers (liveness)."""
        return Health(status="ok", version=__version__)

    @app.get("/health/ready", tags=["meta"], response_model=Health,
             responses={503: {"description": "The database does not answer."}})
    def ready(request: Request) -> Response:
        """Ready for traffic: the database answers a query (readiness)."""
        try:
            with request.app.state.engine.connect() as c:
                c.execute(sqlalchemy.text("SELECT 1"))
        except sqlalchemy.exc.SQLAlchemyError as exc:
            log.error("database not ready: %s", type(exc).__name__)
            return problem(503, "Not ready", "The database does not answer; retry shortly.")
        return JSONResponse(Health(status="ready", version=__version__).model_dump())

    @app.get("/metrics", tags=["meta"], response_class=Response,
             responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
    def metrics() -> Response:
        """Prometheus metrics of this process: requests and latency by route, draw
        durations, intake batch sizes, job results. Counts only, nothing personal."""
        return Response(generate_latest(app.state.metrics.registry),
                        media_type=CONTENT_TYPE_LATEST)

    # A committed change wakes the notify worker (at most once a second; never waits on it).
    app.state.notify_worker = WorkerHandle(app.state.sessions, settings,
                                           lambda: app.state.clock())
    app.state.notify_waker = Waker(app.state.notify_worker.wake)
    app.add_middleware(WakeOnChange, waker=app.state.notify_waker)
    app.add_middleware(Edge, max_body_bytes=settings.max_body_bytes, metrics=app.state.metrics)
    document_problems(app, who={deps.principal: {401, 403}, deps.any_session: {401}})
    # ^ every error status, as problem+json

    return app
