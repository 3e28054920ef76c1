"""Prompt delivery: a change that may be news wakes the notify worker at once.

The worker scans every minute; a selection then waited up to a minute for its email.
Now every successful state-changing request (POST, PUT, PATCH, DELETE answered below
400, so its transaction has committed) sets an event, and a daemon thread turns the
events of each second into one ``notify-wake`` task on the job queue; the worker runs
it as it runs the tick (one scan and delivery, under the same lock). The request only
sets a ``threading.Event``: it never waits for the queue, a scan or SMTP. The outbox's
unique event key still makes it one message per event, however many wakes run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("garita.notify")

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The daily-request route (~3,000 requests/s in the window) wakes nothing: a wake a
# second would keep the worker scanning without pause, and "request received" can wait
# for the minute's tick. Everything else (sign-up codes, draws, confirmations,
# declines, phone codes) is rare and wakes.
QUIET_SUFFIXES = ("/requests",)


class Waker:
    """Coalesces nudges into at most one ``enqueue()`` per ``interval`` seconds, from a
    daemon thread started on the first nudge (an app that never changes anything
    starts none)."""

    def __init__(self, enqueue: Callable[[], object], interval: float = 1.0) -> None:
        self._enqueue, self._interval = enqueue, interval
        self._event, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def wake(self) -> None:
        if self._thread is None:
            with self._start:
                if self._thread is None and not self._stop.is_set():
                    self._thread = threading.Thread(target=self._run, name="notify-waker",
                                                    daemon=True)
                    self._thread.start()
        self._event.set()

    def close(self) -> None:
        """Stop the thread (the app's lifespan ends); a later nudge starts a new one."""
        with self._start:
            thread, self._thread = self._thread, None
            self._stop.set()
            self._event.set()
            if thread is not None:
                thread.join(timeout=5)
            self._stop.clear()
            self._event.clear()

    def _run(self) -> None:
        while True:
            self._event.wait()
            if self._stop.is_set():
                return
            self._event.clear()
            try:
                self._enqueue()
            except Exception:  # a queue that is down costs promptness, never a request
                log.exception("could not wake the notify worker; the next tick will scan")
            self._stop.wait(self._interval)


class WakeOnChange:
    """ASGI middleware: a state-changing request that succeeded wakes the worker once its
    response starts (the route's transaction has committed by then)."""

    def __init__(self, app: Any, waker: Waker) -> None:
        self.app, self.waker = app, waker

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if (scope["type"] != "http" or scope.get("method") not in CHANGES
                or str(scope.get("path", "")).endswith(QUIET_SUFFIXES)):
            await self.app(scope, receive, send)
            return

        async def watch(message: dict) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.waker.wake()
            await send(message)

        await self.app(scope, receive, watch)
