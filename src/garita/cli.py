"""The one command line: serve, db, demo, draw, policy, stats.

Each command owns its transaction and prints a one-line error on failure.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garita.db import make_engine, make_sessionmaker, transaction
from garita.draw.cli import add_draw_commands
from garita.errors import DomainError
from garita.settings import Settings

app = typer.Typer(help="Garita: port-of-entry appointments, open and auditable.",
                  no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
draw_app = typer.Typer(help="The daily draw.", no_args_is_help=True)
policy_app = typer.Typer(help="The versioned policy timeline.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(draw_app, name="draw")
add_draw_commands(draw_app)  # commit, publish, verify, fairness
app.add_typer(policy_app, name="policy")
from garita.audit.cli import audit_app  # noqa: E402 - the sub-command group

app.add_typer(audit_app, name="audit")
from garita.corridor.cli import app as corridor_app  # noqa: E402

app.add_typer(corridor_app, name="corridor")
from garita.notices.cli import notice_app  # noqa: E402 - the sub-command group

app.add_typer(notice_app, name="notice")
from garita.ports.cli import port_app  # noqa: E402 - the sub-command group

app.add_typer(port_app, name="port")
from garita.integrity.cli import integrity_app, screen_app, watchlist_app  # noqa: E402

app.add_typer(watchlist_app, name="watchlist")
app.add_typer(screen_app, name="screen")
app.add_typer(integrity_app, name="integrity")
from garita.stats.cli import stats_app  # noqa: E402 - the sub-command group

app.add_typer(stats_app, name="stats")
from garita.simulation.cli import sim_app  # noqa: E402 - the sub-command group

app.add_typer(sim_app, name="sim")
from garita.notify.cli import notify_app  # noqa: E402 - the sub-command group

app.add_typer(notify_app, name="notify")
from garita.rights.cli import rights_app  # noqa: E402 - the sub-command group

app.add_typer(rights_app, name="rights")
from garita.photos.cli import photos_app  # noqa: E402 - the sub-command group

app.add_typer(photos_app, name="photos")
console = Console()
err = Console(stderr=True)


@app.callback()
def _check_settings(ctx: typer.Context) -> None:
    """Every command starts by reading the settings: production refuses weak or default
    secrets (one line naming them); development says loudly that it runs on them."""
    from pydantic import ValidationError

    if ctx.invoked_subcommand == "secrets":
        return  # generating secrets must work before any are set
    try:
        settings = Settings()
    except ValidationError as exc:
        err.print(f"[red]error:[/red] {exc.errors()[0]['msg']}", soft_wrap=True)
        raise typer.Exit(2) from exc
    for problem in settings.secret_problems():
        err.print(f"[yellow]warning (development only):[/yellow] {problem}", soft_wrap=True)


secrets_app = typer.Typer(help="The service's secret keys.", no_args_is_help=True)
app.add_typer(secrets_app, name="secrets")


@secrets_app.command("generate")
def secrets_generate(
        out: Annotated[Path | None, typer.Option(
            help="Write the lines to this file (mode 600; refused if it exists).")] = None,
) -> None:
    """A fresh set of every secret as GARITA_* lines (an env file): token key, seed key,
    ticket key, photo key, two-factor key, a notice signing key, the notice PDF's key and
    certificate, and the audit anchor key. Keep them out of the repository."""
    import os
    import secrets as random

    from garita.audit import anchor_keys
    from garita.notices import keys, pdfkeys

    kid, private, _ = keys.generate()
    _, pdf_key, pdf_cert = pdfkeys.generate(dt.datetime.now(dt.UTC))
    _, anchor_private, _ = anchor_keys.generate()
    lines = ["GARITA_ENV=production",
             f"GARITA_SECRET_KEY={random.token_urlsafe(48)}",
             f"GARITA_SEED_KEY={random.token_urlsafe(48)}",
             f"GARITA_TICKET_KEY={random.token_urlsafe(48)}",
             f"GARITA_PHOTO_KEY={random.token_urlsafe(48)}",
             f"GARITA_TOTP_KEY={random.token_urlsafe(48)}",
             f"GARITA_NOTICE_SIGNING_KEYS='{{\"{kid}\": \"{private}\"}}'",
             f"GARITA_NOTICE_ACTIVE_KID={kid}",
             f"GARITA_NOTICE_PDF_KEY={pdf_key}",
             f"GARITA_NOTICE_PDF_CERT={pdf_cert}",
             f"GARITA_AUDIT_ANCHOR_KEY={anchor_private}"]
    if out is None:
        print("\n".join(lines))
        return
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        err.print(f"[red]error:[/red] {out} exists; choose another path (secrets are never "
                  "overwritten).")
        raise typer.Exit(2) from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    console.print(f"wrote {len(lines)} settings to {out} (mode 600)")


def _sessions(settings: Settings):
    return make_sessionmaker(make_engine(settings.database_url, settings.pool_size))


def _fail(exc: DomainError) -> None:
    err.print(f"[red]error:[/red] {exc.detail}")
    raise typer.Exit(2)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the API (OpenAPI docs at /docs); JSON log lines on stderr."""
    import uvicorn

    uvicorn.run("garita.app:create_app", factory=True, host=host, port=port, workers=workers,
                **serve_options(Settings()))


def serve_options(settings: Settings) -> dict:
    """uvicorn's options that are settings: whose forwarding headers to believe (none
    unless GARITA_TRUSTED_PROXIES names them: uvicorn's own default believes 127.0.0.1,
    so a local client could pose as any address) and our JSON logs instead of its
    access log (which wrote query strings: coordinates and nationalities)."""
    from garita.observability import logging_config

    trusted = ",".join(settings.trusted_proxies)
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or "",
            "server_header": False, "access_log": False, "log_config": logging_config()}


@secrets_app.command("reseal-totp")
def secrets_reseal_totp() -> None:
    """After a GARITA_TOTP_KEY rotation: seal every two-factor secret under the new key,
    so GARITA_TOTP_KEY_PREVIOUS can be emptied (audited)."""
    from garita.auth import twofactor
    from garita.auth.totpkeys import TotpKeys

    settings = Settings()
    keys = TotpKeys.of(settings.totp_key.get_secret_value(), tuple(
        k.get_secret_value() for k in settings.totp_key_previous))
    with transaction(_sessions(settings)) as s:
        moved = twofactor.reseal_all(s, keys, "cli")
    console.print(f"{moved} two-factor secrets sealed under key {keys.current_id}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations and load the shipped policy history into an empty database."""
    from garita import migrate
    from garita.policy import service as policies

    settings = Settings()
    migrate.upgrade(make_engine(settings.database_url),
                    totp_key=settings.totp_key.get_secret_value())
    with transaction(_sessions(settings)) as s:
        added = policies.seed_history(s)
    console.print(f"schema at head; {added} policy versions loaded")


@draw_app.command("run")
def draw_run(date: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"])]) -> None:
    """Run the draw for a service day (idempotent: a second run changes nothing)."""
    from garita.draw import service as draws

    settings = Settings()
    try:
        with transaction(_sessions(settings)) as s:
            draw, ran = draws.run_with(s, date.date(), settings.now(), "cli", settings)
            out = draws.to_out(draw)
    except DomainError as exc:
        _fail(exc)
    table = Table("port", "places", "requests", "longest waiting", "random",
                  title=f"Draw {out.service_date} ({'ran now' if ran else 'already ran'})")
    for port, f in out.summary.items():
        table.add_row(port, str(f["places"]), str(f["requests"]),
                      str(f["allocated_longest_waiting"]), str(f["allocated_random"]))
    console.print(table)
    console.print(f"seed sha256 {out.seed_sha256}\nresult digest {out.result_digest}")


@policy_app.command("show")
def policy_show(date: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
                ) -> None:
    """Print the version in force on a date (default: the whole timeline)."""
    from garita.policy import service as policies

    try:
        with transaction(_sessions(Settings())) as s:
            versions = [policies.in_force(s, date.date())] if date else policies.versions(s)
    except DomainError as exc:
        _fail(exc)
    if date:
        console.print_json(versions[0].model_dump_json())
        return
    table = Table("from", "active", "places/day", "window", "longest-waiting", "note")
    for v in versions:
        p = v.policy
        table.add_row(str(v.effective_from), "yes" if p.active else "no", str(p.capacity_total),
                      f"{p.request_window.start:%H:%M}-{p.request_window.end:%H:%M}",
                      f"{p.longest_waiting_share:.0%}", v.note[:60])
    console.print(table)


@policy_app.command("add")
def policy_add(file: Path, actor: str = "admin:cli") -> None:
    """Add a version from a JSON file {effective_from, note, policy} (audited)."""
    from pydantic import ValidationError

    from garita.draw.service import last_drawn
    from garita.policy import calendar
    from garita.policy import service as policies
    from garita.policy.schemas import PolicyVersionIn

    try:
        data = PolicyVersionIn.model_validate(json.loads(file.read_text("utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        err.print(f"[red]error:[/red] {file}: {exc}")
        raise typer.Exit(2) from exc
    settings = Settings()
    today = calendar.local(settings.now(), data.policy.request_window.timezone).date()
    try:
        with transaction(_sessions(settings)) as s:
            out = policies.add_version(s, data, actor, today, last_drawn(s))
    except DomainError as exc:
        _fail(exc)
    console.print(f"version {out.id} in force from {out.effective_from}")


@app.command()
def demo(registrations: int = 1200, days: int = 4, capacity: int = 150, seed: int = 7) -> None:
    """Fill the database with a synthetic population and a few days of requests and draws."""
    from garita.demo import run_demo

    settings = Settings()
    run_demo(_sessions(settings), settings, registrations=registrations, days=days,
             capacity=capacity, seed=seed, console=console)
