"""The draw's input side at a million rows: one day's requests as draw columns.

The requests feature reads the day as a frame (:func:`garita.requests.columns.read_frame`,
fast on both databases); `draw_columns` turns the frame into what the draw keys on: tickets
(`pseudonyms.tickets`), port indices, sizes and the registration *date* in the
policy's time zone. The longest-waiting tier orders by that date (DESIGN §2,
"by registration date"), not the second: a registration time to the second
would be a quasi-identifier in the published list.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np

from garita.draw.pseudonyms import tickets
from garita.policy.ports import PORT_CODES

if TYPE_CHECKING:
    import polars as pl

PORT_INDEX = {code: i for i, code in enumerate(PORT_CODES)}
def registration_days(epoch: pl.Series | np.ndarray, tz: str) -> np.ndarray:
    """Days since 1970-01-01 of each registration's local date in `tz` (int64).

    Vectorised by hand because converting a million timestamps through a time
    zone element by element (Polars ``convert_time_zone``) took ~0.35 s: the
    zone's offsets change only at a few instants, so find those instants in
    the data's range (`_offsets`, checked daily, bisected to the second) and
    look each timestamp up with one ``searchsorted``. Exact for zones that do
    not change offset twice within one day (none in tzdata's recent history).
    """
    seconds = np.asarray(epoch, dtype=np.int64)
    if seconds.size == 0:
        return seconds.copy()
    starts, offsets = _offsets(tz, int(seconds.min()), int(seconds.max()))
    local = seconds + offsets[np.searchsorted(starts, seconds, side="right") - 1]
    return local // 86_400


def _offsets(tz: str, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    """(instants from which each UTC offset holds, the offsets in seconds) over [low, high]."""
    zone = ZoneInfo(tz)

    def offset(t: int) -> int:
        delta = dt.datetime.fromtimestamp(t, zone).utcoffset()
        assert delta is not None  # an aware datetime always has an offset
        return int(delta.total_seconds())

    first = low - low % 86_400
    starts, offsets = [first], [offset(first)]
    for day in range(first + 86_400, high + 86_400, 86_400):  # no zone changes twice a day
        now = offset(day)
        if now != offsets[-1]:  # changed within (day - 1 day, day]: bisect to the second
            lo, hi = day - 86_400, day
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(mid) == offsets[-1] else (lo, mid)
            starts.append(hi)
            offsets.append(now)
    return np.asarray(starts, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def draw_columns(frame: pl.DataFrame, ticket_key: bytes, tz: str) -> dict[str, np.ndarray]:
    """Columns for `core.DrawRequests` plus the request ids, aligned row by row.

    ``registered_at`` is midnight UTC of the local registration date, in epoch
    seconds: ordered like the date, and in the unit the core documents.
    """
    ids = frame["id"].to_numpy()
    return {
        "id": ids,
        "ticket": tickets(ticket_key, ids),
        "port": frame["port"].to_numpy(),
        "size": frame["size"].to_numpy(),
        "registered_at": registration_days(frame["epoch"], tz) * 86_400,
    }
