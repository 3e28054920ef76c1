"""``garita notify``: run the scan and the delivery once, or keep a worker running."""

from __future__ import annotations

import typer
from rich.console import Console

notify_app = typer.Typer(help="Messages to applicants: scan for events, deliver.",
                         no_args_is_help=True)
console = Console()


@notify_app.command("run")
def run() -> None:
    """Scan once for events, queue their messages, deliver what is due, and exit."""
    from garita.db import make_engine, make_sessionmaker
    from garita.notify.jobs import run_once
    from garita.settings import Settings

    settings = Settings()
    factory = make_sessionmaker(make_engine(settings.database_url, settings.pool_size))
    outcome = run_once(factory, settings)
    queued = sum(outcome.queued.values())
    d = outcome.delivery
    console.print(f"queued {queued} messages "
                  + ", ".join(f"{k} {v}" for k, v in outcome.queued.items() if v)
                  + f"; sent {d.sent}, retrying {d.retrying}, failed {d.failed}")
    for line in d.errors[:20]:
        console.print(f"  {line}", soft_wrap=True)


@notify_app.command("skip-backlog")
def skip_backlog() -> None:
    """First run on a live system: mark every past event as told, sending nothing."""
    from garita.db import make_engine, make_sessionmaker, transaction
    from garita.notify.service import skip_backlog as skip
    from garita.settings import Settings

    settings = Settings()
    factory = make_sessionmaker(make_engine(settings.database_url, settings.pool_size))
    with transaction(factory) as session:
        session.info["clock"] = settings.now
        moved = skip(session, settings.now())
    console.print("marked as told: " + ", ".join(f"{n} {k}s" for k, n in moved.items()))


@notify_app.command("worker")
def worker(workers: int = typer.Option(2, min=1, help="Threads delivering.")) -> None:
    """Run the job queue's consumer: every minute, one scan and delivery (Ctrl-C stops)."""
    from garita.db import make_engine, make_sessionmaker
    from garita.notify.jobs import consumer, worker_queue
    from garita.settings import Settings

    settings = Settings()
    factory = make_sessionmaker(make_engine(settings.database_url, settings.pool_size))
    worker = worker_queue(factory, settings)
    console.print(f"notify worker on {settings.job_queue_url} ({workers} threads)")
    consumer(worker, workers).run()
