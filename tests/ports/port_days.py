"""Dates and the booked-group record for the port's-day tests (a uniquely named module).

Requests on 2024-09-10 (ET), the draw at 12:05 ET the next day, every member who
must confirm does so from Tijuana: appointments on 2024-09-13. SYS slots run
07:00-16:00 Pacific time, so 07:00 PT is 10:00 ET.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REQUEST_DAY = dt.date(2024, 9, 10)
APPOINTMENT_DAY = dt.date(2024, 9, 13)


@dataclass
class Booked:
    offer: dict
    registration: dict
    headers: dict  # the applicant's

    @property
    def people(self) -> list[int]:
        return [p["id"] for p in self.registration["people"]]
