"""Times of day on a local wall clock, as typed data that documents itself truthfully."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema


def _wall_clock(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("a time of day on the local clock has no offset; send it like 08:00")
    return value


#: A time of day on a local wall clock (a slot, a window's start): its zone is named beside
#: it (the port's, the window's ``timezone``), so it carries no offset of its own. OpenAPI's
#: ``format: time`` is RFC 3339's ``full-time``, which requires an offset: the schema says
#: what is actually sent instead, HH:MM:SS.
LocalTime = Annotated[dt.time, AfterValidator(_wall_clock), WithJsonSchema({
    "type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
    "description": "A time of day on the local clock named beside it (no offset), "
                   "e.g. 08:00:00.", "examples": ["08:00:00"]})]
