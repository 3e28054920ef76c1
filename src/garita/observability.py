"""What the service says about itself: JSON log lines with a request id, and metrics.

Infrastructure (no feature imports it). Every line is one JSON object on stderr —
what log collectors parse without a grammar — with the request id of the request
that caused it, so one request's lines can be found among thousands. Nothing
personal is ever logged: the request line names the route's template
(``/registrations/{registration_id}/requests``), never the path's values, the
query string, headers or bodies.

Metrics are Prometheus counters and histograms in a registry of the app's own
(tests build many apps in one process). With several worker processes each
serves its own numbers; scrape through ``PROMETHEUS_MULTIPROC_DIR`` (see
``docs/scaling.md``) for one view.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import traceback
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# Fields a log call may add with ``extra=``; anything else is dropped, so a careless
# ``extra={"email": ...}`` cannot put personal data in a line.
FIELDS = ("method", "route", "status", "ms", "kind", "count", "seconds", "job", "result")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                    timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage(),
                "request_id": getattr(record, "request_id", None) or REQUEST_ID.get()}
        line.update({k: getattr(record, k) for k in FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(level: str = "INFO") -> dict:
    """A ``logging.config.dictConfig`` for the served process (uvicorn's ``log_config``)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json",
               "stream": "ext://sys.stderr"}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"json": {"()": "garita.observability.JsonFormatter"}},
            "handlers": {"stderr": handler},
            "loggers": {name: {"handlers": ["stderr"], "level": level, "propagate": False}
                        for name in ("garita", "uvicorn", "uvicorn.error")}}


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter("garita_http_requests", "HTTP requests answered.",
                                ("method", "route", "status"), registry=r)
        self.latency = Histogram("garita_http_request_seconds", "Time to answer, by route.",
                                 ("route",), registry=r,
                                 buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10))
        self.draw_seconds = Histogram("garita_draw_seconds", "A day's draw, end to end.",
                                      registry=r, buckets=(.1, .5, 1, 2, 5, 10, 30, 60))
        self.intake_batch = Histogram("garita_intake_batch_size",
                                      "Daily requests written by one statement (PostgreSQL).",
                                      registry=r, buckets=(1, 2, 4, 8, 16, 32, 64, 128))
        self.jobs = Counter("garita_job_results", "Batch jobs finished, by result.",
                            ("job", "result"), registry=r)
