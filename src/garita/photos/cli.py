"""``garita photos purge``: delete the photos whose retention has passed (run it daily)."""

from __future__ import annotations

import typer

photos_app = typer.Typer(help="Confirmation photos: retention.", no_args_is_help=True)


@photos_app.command("purge")
def purge() -> None:
    """Delete every photo past its retention (the appointment day + GARITA_PHOTO_RETENTION_DAYS)."""
    from garita.db import make_engine, make_sessionmaker, transaction
    from garita.photos import service
    from garita.settings import Settings

    settings = Settings()
    sessions = make_sessionmaker(make_engine(settings.database_url, settings.pool_size))
    with transaction(sessions) as s:
        count = service.purge(s, settings.now().date(), "cli:photos-purge")
    typer.echo(f"deleted {count} photos past their retention")
