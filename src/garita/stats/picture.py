"""The whole picture: per month, Border Patrol encounters between the ports, Field
Operations encounters at the Southwest ports, and appointments kept at Garita's ports,
side by side with each series' source; fiscal-year totals; the share of port
encounters that came by appointment where both are known.

Appointments kept are persons checked in (``flows``' ``arrived_persons``), which is
what CBP's Field Operations count when a person presents at a port by appointment.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from garita.stats import flows, service
from garita.stats.schemas import Picture, PictureRow

OFO, USBP = "Office of Field Operations", "U.S. Border Patrol"


def _rows(encounters: list[dict], kept: dict[str, int | None], key: str) -> list[PictureRow]:
    series: dict[str, dict[str, int]] = {}
    for r in encounters:
        series.setdefault(str(r[key]), {})[r["component"]] = r["encounters"]
    out = []
    for period in sorted(set(series) | set(kept)):
        ofo, usbp = series.get(period, {}).get(OFO), series.get(period, {}).get(USBP)
        appointments = kept.get(period)
        share = round(appointments / ofo, 4) if appointments is not None and ofo else None
        out.append(PictureRow(period=period, border_patrol=usbp, field_operations=ofo,
                              appointments_kept=appointments, appointment_share=share,
                              appointments_suppressed=period in kept and appointments is None))
    return out


def picture(session: Session, min_cell: int, now: dt.datetime) -> Picture:
    monthly = service.encounters(session, "southwest", ["month", "component"])
    yearly = service.encounters(session, "southwest", ["fiscal_year", "component"])
    kept_m = {r["period"]: r["value"] for r in flows.flows(session, "month", [], min_cell)
              if r["measure"] == "arrived_persons"}
    kept_y = {r["period"][2:]: r["value"] for r in flows.flows(session, "fiscal_year", [],
                                                               min_cell)
              if r["measure"] == "arrived_persons"}
    return Picture(months=_rows(monthly.rows, kept_m, "month"),
                   fiscal_years=_rows(yearly.rows, kept_y, "fiscal_year"),
                   encounter_sources=monthly.sources,
                   appointments_source=f"Garita check-ins (persons), read {now:%Y-%m-%d %H:%M} "
                                       "UTC; cells under the suppression threshold hidden")
