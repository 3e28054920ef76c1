"""``garita notice``: make keys, publish the key set, verify a notice offline or online."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

notice_app = typer.Typer(help="Signed appointment notices.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@notice_app.command("keygen")
def keygen() -> None:
    """Print new keys as settings lines: the Ed25519 token key, and the PDF's ECDSA P-256
    key with its self-signed certificate. Keep the private lines secret."""
    from garita.notices import keys, pdfkeys

    kid, private, public = keys.generate()
    pdf_kid, pdf_key, pdf_cert = pdfkeys.generate(dt.datetime.now(dt.UTC))
    for line in (f"GARITA_NOTICE_SIGNING_KEYS='{{\"{kid}\": \"{private}\"}}'",
                 f"GARITA_NOTICE_ACTIVE_KID={kid}",
                 f"# after rotation, keep verifying with: GARITA_NOTICE_RETIRED_KEYS="
                 f"'{{\"{kid}\": \"{public}\"}}'",
                 f"# PDF signing key {pdf_kid} and its certificate (PDF signatures, PAdES):",
                 f"GARITA_NOTICE_PDF_KEY={pdf_key}",
                 f"GARITA_NOTICE_PDF_CERT={pdf_cert}",
                 f"# after rotation, keep verifying with: GARITA_NOTICE_PDF_RETIRED_CERTS="
                 f"'[\"{pdf_cert}\"]'"):
        print(line)


@notice_app.command("keys")
def public_keys() -> None:
    """Print the public key set (keys.json) for these settings, to publish."""
    from garita.notices.keys import from_settings
    from garita.settings import Settings

    print(json.dumps(_ring(from_settings, Settings).jwks(), indent=2))


def _ring(build, settings_cls):
    try:
        return build(settings_cls())
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _read(target: str) -> bytes:
    if target == "-":
        return sys.stdin.buffer.read()
    if target.startswith(("GN1.", "GN2:")):
        return target.encode("ascii", "replace")
    path = Path(target)
    if path.is_file():
        return path.read_bytes()
    err.print(f"[red]error:[/red] {target}: no such file, and not a token (GN2:… or GN1.…)")
    raise typer.Exit(2)


@notice_app.command("verify")
def verify(
    target: Annotated[str, typer.Argument(help="A PDF, a QR image, a file with the token, "
                                               "the token itself, or - for standard input.")],
    keys_file: Annotated[Path | None, typer.Option("--keys", help="Published keys.json: "
                                                   "verify offline with these keys only.")] = None,
    online: Annotated[bool, typer.Option(help="Also ask the database whether the appointment "
                                              "is still valid.")] = False,
) -> None:
    """Check a notice; exit 0 if valid, 1 if not, 2 on a usage error."""
    from garita.notices import keys, seal
    from garita.settings import Settings

    if keys_file is not None:
        try:
            ring = keys.from_jwks(keys_file.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            err.print(f"[red]error:[/red] {keys_file}: {exc}")
            raise typer.Exit(2) from exc
    else:
        ring = _ring(keys.from_settings, Settings)
    verdict = seal.verify_file(_read(target), ring)
    if not verdict.valid or verdict.payload is None:
        console.print(f"[red]NOT VALID[/red] ({verdict.reason}): {verdict.message}")
        raise typer.Exit(1)
    p = verdict.payload
    dev = " [yellow](development key: not for real use)[/yellow]" if verdict.kid in ring.dev else ""
    console.print(f"[green]VALID[/green] signature, key {verdict.kid}{dev}")
    console.print(f"confirmation {p.confirmation_number} · {p.port} · {p.appointment_date} "
                  f"{p.slot:%H:%M}")
    for m in p.members:
        console.print(f"  {m.family_names}, {m.given_names} · born {m.date_of_birth}")
    if online:
        _online(verdict, target)


def _online(verdict, target: str) -> None:
    from garita.db import make_engine, make_sessionmaker
    from garita.notices import seal, service
    from garita.settings import Settings

    data = _read(target)
    token = (seal.token_in_pdf(data) if data.startswith(b"%PDF") else seal.token_in_image(data)
             ) or data.decode("ascii", "replace").strip()
    settings = Settings()
    with make_sessionmaker(make_engine(settings.database_url))() as s:
        live = service.live(s, token, verdict.payload, settings.now())
    colour = "green" if live.still_valid else "red"
    console.print(f"register: [{colour}]{live.status}[/{colour}]"
                  f"{'' if live.still_valid else ' — NOT valid for travel'}")
    if not live.still_valid:
        raise typer.Exit(1)
