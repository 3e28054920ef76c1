"""The port officer's console: the day's arrivals by slot, check-in by scanning the notice
(the device camera, jsQR) or typing its number, each group's record (names, date of birth,
nationality, sex, documents, the photo taken at confirmation, the alerts to act on), the
outcome per person, closing the day and its summary. The same services, rules and audit
as the API (``ports.views``): an officer works only their own port's days."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.audit import service as audit
from garita.deps import tx
from garita.errors import DomainError, Invalid, Refused
from garita.identity import Principal, Role
from garita.policy.ports import PORT_CODES, PORTS
from garita.ports import day, service
from garita.ports.core import REASONS, port_today
from garita.ports.schemas import CheckInIn, OutcomeIn
from garita.web import staff
from garita.web.forms import detail, posted
from garita.web.i18n import N_
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])
BASE = "/staff/port"
OUTCOME_NAMES = {"paroled": N_("Paroled"), "notice_to_appear": N_("Notice to appear"),
                 "detained": N_("Detained"), "expedited_removal": N_("Expedited removal"),
                 "permitted_to_withdraw": N_("Permitted to withdraw"), "refused": N_("Refused")}
STATUS_NAMES = {"confirmed": N_("Expected"), "checked_in": N_("Checked in"),
                "attended": N_("Decided"), "no_show": N_("No-show")}


def _show(request: Request, template: str, status: int, **context) -> HTMLResponse:
    """Render with the outcome and status names in the page's language."""
    _ = gettext_for(request)
    return render(request, template, status, outcome_names={k: _(v) for k, v in
                                                             OUTCOME_NAMES.items()},
                  status_names={k: _(v) for k, v in STATUS_NAMES.items()},
                  one_day=dt.timedelta(days=1), **context)


def _day(request: Request, port: str, date: str | None) -> dt.date:
    if not date:
        return port_today(port, request.app.state.clock())
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        raise Invalid(f"date: '{date}' is not a date; use YYYY-MM-DD.") from None


def _arrivals(request: Request, who: Principal, port: str, when: dt.date):
    service.within_days(who, port, when, request.app.state.clock(),
                        request.app.state.settings.officer_days_around)
    with tx(request) as s:
        out = day.arrivals(s, who, port, when)
        summary = day.summary(s, who, port, when)
        audit.record_reads(s, who, "registration.read", "registration",
                           [g.registration_id for g in out.groups], f"GET {BASE}/{{port}}")
    return out, summary


@router.get(BASE, response_class=HTMLResponse)
def console(request: Request, who: staff.Officer) -> Response:
    """An officer goes to their port's day; an admin chooses a port."""
    if who.role is Role.officer and who.port:
        return RedirectResponse(f"{BASE}/{who.port}", status_code=303)
    return render(request, "staff/ports.html", ports=[PORTS[c] for c in PORT_CODES])


def _console(request: Request, who: Principal, port: str, date: str | None,
             message: str | None = None, status: int = 200) -> HTMLResponse:
    port = service.authorise(who, port)
    when = _day(request, port, date)
    out, summary = _arrivals(request, who, port, when)
    slots: dict[dt.time, list] = {}
    for g in out.groups:
        slots.setdefault(g.slot, []).append(g)
    return _show(request, "staff/port.html", status, port=PORTS[port], day=out, slots=slots,
                  summary=summary, message=message,
                  today=port_today(port, request.app.state.clock()))


@router.get(BASE + "/{port}", response_class=HTMLResponse)
def port_day(request: Request, port: str, who: staff.Officer,
             date: str | None = None) -> HTMLResponse:
    return _console(request, who, port, date)


@router.post(BASE + "/{port}/find")
async def find(request: Request, port: str, who: staff.Officer) -> Response:
    """A scanned QR token or a typed confirmation number → that group's record."""
    form = await posted(request)
    try:
        with tx(request) as s:
            offer_id = service.locate(s, who, port, str(form.get("code", "")),
                                      request.app.state.notice_keys)
    except DomainError as exc:
        return _console(request, who, port, None, detail(request, exc.detail), exc.status)
    return RedirectResponse(f"{BASE}/{port.upper()}/groups/{offer_id}", status_code=303)


def _group(request: Request, who: Principal, port: str, offer_id: int,
           message: str | None = None, status: int = 200) -> HTMLResponse:
    port = service.authorise(who, port)
    with tx(request) as s:
        offer = service.appointment(s, port, offer_id)
    out, _ = _arrivals(request, who, port, offer.appointment_date)
    group = next((g for g in out.groups if g.offer_id == offer_id), None)
    if group is None:  # an offer never confirmed: not on any day's list
        raise Refused(f"Appointment {offer_id} was never confirmed (status {offer.status}); "
                      "it is not an appointment and cannot be checked in.")
    return _show(request, "staff/port_group.html", status, port=PORTS[port], group=group,
                  day=out, reasons=REASONS, message=message,
                  today=port_today(port, request.app.state.clock()))


@router.get(BASE + "/{port}/groups/{offer_id}", response_class=HTMLResponse)
def group_page(request: Request, port: str, offer_id: int,
               who: staff.Officer) -> HTMLResponse:
    return _group(request, who, port, offer_id)


@router.post(BASE + "/{port}/groups/{offer_id}/checkin")
async def check_in(request: Request, port: str, offer_id: int, who: staff.Officer) -> Response:
    form = await posted(request)
    try:
        data = CheckInIn(offer_id=offer_id, identity_confirmed=form.get("identity") == "yes",
                         accept_late=form.get("accept_late") == "yes")
        with tx(request) as s:
            service.check_in(s, who, port, data, request.app.state.clock(),
                             request.app.state.notice_keys)
    except DomainError as exc:
        return _group(request, who, port, offer_id, detail(request, exc.detail), exc.status)
    return RedirectResponse(f"{BASE}/{port.upper()}/groups/{offer_id}", status_code=303)


@router.post(BASE + "/{port}/groups/{offer_id}/outcomes")
async def outcome(request: Request, port: str, offer_id: int, who: staff.Officer) -> Response:
    """One member's outcome: the pair "outcome:reason" from one list, a parole's end date."""
    form = await posted(request)
    code, _, reason = str(form.get("decision", "")).partition(":")
    try:
        data = OutcomeIn(offer_id=offer_id, person_id=form.get("person_id") or 0,
                         outcome=code, reason=reason or "-",
                         parole_until=form.get("parole_until") or None,
                         supersedes=form.get("supersedes") or None,
                         note=form.get("note") or None)
    except ValidationError:
        _ = gettext_for(request)
        return _group(request, who, port, offer_id, _(
            "Choose an outcome and its reason; a parole needs its end date."), 422)
    try:
        with tx(request) as s:
            service.record_outcome(s, who, port, data, request.app.state.clock())
    except DomainError as exc:
        return _group(request, who, port, offer_id, detail(request, exc.detail), exc.status)
    return RedirectResponse(f"{BASE}/{port.upper()}/groups/{offer_id}", status_code=303)


@router.post(BASE + "/{port}/close-day")
async def close_day(request: Request, port: str, who: staff.Officer) -> Response:
    form = await posted(request)
    date = str(form.get("date", ""))
    try:
        when = _day(request, service.authorise(who, port), date)
        with tx(request) as s:
            day.close(s, who, port, when, request.app.state.clock())
    except DomainError as exc:
        return _console(request, who, port, date or None, detail(request, exc.detail),
                        exc.status)
    return RedirectResponse(f"{BASE}/{port.upper()}?date={when}", status_code=303)


@router.get(BASE + "/{port}/photos/{offer_id}/{person_id}.jpg")
def photo(request: Request, port: str, offer_id: int, person_id: int,
          who: staff.Officer) -> Response:
    """The member's photo for the record's <img>: the API's rule, and audited the same."""
    with tx(request) as s:
        jpeg = service.photo(s, who, port, offer_id, person_id, request.app.state.clock(),
                             request.app.state.settings.officer_days_around,
                             request.app.state.photo_keys, f"GET {BASE}/{{port}}/photos")
    return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})
