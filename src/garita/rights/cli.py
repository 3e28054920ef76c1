"""``garita rights retention``: erase registrations past the published retention period.

Run it daily (cron, a systemd timer). Idempotent: an erased registration is never
read again, so a second run the same day erases nothing; every run and every
erasure is in the audit log (actor ``system:retention``).
"""

from __future__ import annotations

import typer
from rich.console import Console

rights_app = typer.Typer(help="Data rights: the retention job.", no_args_is_help=True)
console = Console()


@rights_app.command("retention")
def retention() -> None:
    """Erase the personal data of registrations unused for GARITA_RETENTION_DAYS."""
    from garita.db import make_engine, make_sessionmaker, transaction
    from garita.rights import service
    from garita.settings import Settings

    settings = Settings()
    engine = make_engine(settings.database_url, settings.pool_size)
    with transaction(make_sessionmaker(engine)) as s:
        s.info["clock"] = settings.now
        run = service.retention(s, settings.now(), settings.retention_days)
    engine.dispose()
    console.print(f"retention ({settings.retention_days} days, unused since before "
                  f"{run.cutoff}): {run.examined} examined, {run.erased} erased")
