"""Dates, times and places said in the reader's language, with their zones named."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import dates

from garita.messaging.templates import N_, gettext_for
from garita.policy.ports import port
from garita.web.i18n import format_date, format_datetime, format_time

DIRECTIONS = N_("Go to {crossing} an hour before your time, with your notice; the officers "
                "at the crossing expect you.")


def zone_name(tz: str, language: str) -> str:
    """"Chicago", "Ciudad de México": the zone as its city, in the reader's language."""
    return dates.get_timezone_location(dates.get_timezone(tz), locale=language, return_city=True)


def port_label(code: str) -> str:
    return port(code).label


def day(value: dt.date, language: str) -> str:
    return format_date(value, language)


def moment(value: dt.datetime, tz: str, language: str) -> str:
    return format_datetime(value, language, tz)


def appointment(code: str, on: dt.date, slot: dt.time, language: str,
                reader_tz: str | None) -> dict[str, str]:
    """The appointment's date and time on the port's clock and on the reader's."""
    tz = port(code).timezone
    at = dt.datetime.combine(on, slot, tzinfo=ZoneInfo(tz))
    mine = at.astimezone(ZoneInfo(reader_tz or tz))
    return {"port": port_label(code), "date": day(on, language),
            "port_time": format_time(at, language), "port_zone": zone_name(tz, language),
            "your_time": format_time(mine, language),
            "your_zone": zone_name(reader_tz or tz, language)}


def directions(code: str, language: str) -> str:
    return gettext_for(language)(DIRECTIONS).format(crossing=port(code).crossing)
