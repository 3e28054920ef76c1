"""Issue 16: delivery does not wait for the next minute's tick. The draw's commit wakes
the worker (a real huey consumer here, with no periodic tick), and the selection email
reaches a real SMTP server within seconds; still one message per event."""

from __future__ import annotations

import datetime as dt
import time

from fastapi.testclient import TestClient
from servers import smtp_server

from garita.app import create_app
from garita.messaging import service as messaging
from garita.notify import jobs
from kit import CIUDAD_JUAREZ, applicant, ask, register, settings_for, staff

DAY = dt.date(2024, 9, 10)


def _wait_for(inbox, word: str, seconds: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if any(word in m["Subject"] for m in inbox.messages):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def test_the_selection_email_arrives_within_seconds_of_the_draw(database_url, clock):
    with smtp_server() as (inbox, port):
        settings = settings_for(database_url, job_queue_url="memory://", smtp_host="127.0.0.1",
                                smtp_port=port, smtp_starttls=False)
        app = create_app(settings, clock=clock)
        with TestClient(app) as client:
            consumer = jobs.consumer(app.state.notify_worker.get(), workers=1, periodic=False)
            consumer.start()
            try:
                admin, me = staff(client), applicant(client)
                reg = register(client, me, email="ana@example.org")
                clock.set_et(DAY, 13)
                assert ask(client, me, reg["id"], CIUDAD_JUAREZ).status_code == 201
                assert _wait_for(inbox, "Garita: registro", 10) is not None  # settled
                clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
                started = time.monotonic()
                assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
                answered = time.monotonic() - started
                waited = _wait_for(inbox, "seleccion", 10)
            finally:
                consumer.stop(graceful=True)
        app.state.engine.dispose()
    assert waited is not None, [m["Subject"] for m in inbox.messages]
    print(f"draw answered in {answered:.2f} s; selection email {waited:.2f} s later")
    assert waited < 3.0
    with app.state.sessions() as s:
        sent = [m for m in messaging.outbox(s) if m.template == "offer.selected"
                and m.channel == "email"]
    assert len(sent) == 1 and sent[0].status == "sent"
    assert sum("seleccion" in m["Subject"] for m in inbox.messages) == 1
