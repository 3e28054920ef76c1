"""``garita audit verify|anchor|keygen``: check the log, anchor it outside the database.

``garita audit anchor`` is meant for the operator's scheduler (a cron line or a
systemd timer, docs/security.md): each run writes one signed anchor file. Every
command prints one line per problem and exits 2 on any.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from garita.db import make_engine, make_sessionmaker
from garita.settings import Settings

audit_app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _sessions(settings: Settings):
    return make_sessionmaker(make_engine(settings.database_url, settings.pool_size))


def _keys(settings: Settings):
    from garita.audit import anchor_keys

    try:
        return anchor_keys.from_settings(settings)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


@audit_app.command("verify")
def verify(anchors: Annotated[Path | None, typer.Option(
        help="Also check the database against every signed anchor file in this directory.")]
           = None) -> None:
    """Recompute every audit chain; with --anchors, check each anchor's signature and that
    every anchored entry is still there with its anchored hash."""
    from garita.audit import anchor_files
    from garita.audit import service as audit

    settings = Settings()
    with _sessions(settings)() as s:
        if anchors is None:
            checked, breaks = audit.verify(s)
            problems = [f"lane {b.lane}, entry {b.seq}: {b.problem}" for b in breaks]
        else:
            if not anchors.is_dir():
                err.print(f"[red]error:[/red] {anchors} is not a directory of anchor files")
                raise typer.Exit(2)
            verdict = anchor_files.verify_dir(s, anchors, _keys(settings))
            checked, problems = verdict.entries, verdict.problems
    for p in problems:
        err.print(f"[red]broken:[/red] {p}", soft_wrap=True)
    if problems:
        raise typer.Exit(2)
    against = f" against {verdict.anchors} signed anchors" if anchors is not None else ""
    console.print(f"audit log intact: {checked} entries verified{against}")


@audit_app.command("anchor")
def anchor(out: Annotated[Path | None, typer.Option(
        help="Directory to write into (default: GARITA_AUDIT_ANCHOR_DIR).")] = None,
           reason: str = "schedule") -> None:
    """Sign the current lane heads and write them as one anchor file (run it on a schedule)."""
    from garita.audit import anchor_files

    settings = Settings()
    keys = _keys(settings)
    directory = out or settings.audit_anchor_dir
    with _sessions(settings)() as s:
        doc = anchor_files.current(s, keys, dt.datetime.now(dt.UTC), reason)
    try:
        path = anchor_files.write(doc, directory)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write to {directory}: {exc}")
        raise typer.Exit(2) from exc
    dev = " (DEVELOPMENT key: set GARITA_AUDIT_ANCHOR_KEY)" if keys.dev else ""
    console.print(f"wrote {path}: {len(doc['lanes'])} lanes, digest {doc['digest']}, "
                  f"key {keys.kid}{dev}")


@audit_app.command("keygen")
def keygen() -> None:
    """A new anchor key pair: the private key for GARITA_AUDIT_ANCHOR_KEY, the public key
    for GARITA_AUDIT_ANCHOR_PREVIOUS_KEYS once it is rotated out."""
    from garita.audit import anchor_keys

    kid, private, public = anchor_keys.generate()
    print(f"GARITA_AUDIT_ANCHOR_KEY={private}\n# key id {kid}, public key {public}")
