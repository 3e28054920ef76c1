"""Ask for today's appointment, as a page: the port from a list, the location from the
browser, the window open or closed in the person's own clock."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.deps import tx
from garita.errors import DomainError
from garita.identity import Principal
from garita.policy import calendar
from garita.policy.ports import PORTS
from garita.policy.service import policy_now
from garita.registrations import service as registrations
from garita.requests import service
from garita.requests.schemas import RequestIn
from garita.web import consent, session
from garita.web.forms import detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import gettext_for, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _page(request: Request, who: Principal, registration_id: int, values: dict,
          errors: dict, message: str | None, status: int = 200) -> HTMLResponse:
    now = request.app.state.clock()
    with tx(request) as s:
        reg = registrations.to_out(registrations.get(s, registration_id, who))
        _, policy, _ = policy_now(s, now)
    window = calendar.window_check(policy, now)
    w = policy.request_window
    zone = calendar.local(now, w.timezone).tzinfo
    opens = dt.datetime.combine(window.service_date, w.start, tzinfo=zone)
    closes = dt.datetime.combine(window.service_date, w.end, tzinfo=zone)
    if not window.open and calendar.local(now, w.timezone).time() > w.end:
        opens = opens + dt.timedelta(days=1)
    return render(request, "ask.html", status, reg=reg, ports=PORTS.values(), values=values,
                  errors=errors, message=message, window_open=window.open, opens=opens,
                  closes=closes)


@router.get("/me/registrations/{registration_id}/ask", response_class=HTMLResponse)
def ask_form(request: Request, registration_id: int,
             who: session.Visitor) -> HTMLResponse:
    return _page(request, who, registration_id, {}, {}, None)


@router.post("/me/registrations/{registration_id}/ask")
async def ask(request: Request, registration_id: int,
              who: session.Visitor) -> Response:
    form = await posted(request)
    values = {"port": str(form.get("port", ""))}
    if (no_consent := consent.missing(request, who, form)) is not None:
        return _page(request, who, registration_id, values, {"consent": no_consent}, None, 422)
    try:
        data = RequestIn(port=values["port"], lat=form.get("lat") or "x",
                         lon=form.get("lon") or "x")
    except ValidationError as exc:
        errors = field_errors(request, exc)
        if "lat" in errors or "lon" in errors:
            _ = gettext_for(request)
            errors["where"] = _("Share your location first: press the button above.")
        return _page(request, who, registration_id, values, errors, None, 422)
    try:
        with tx(request) as s:
            service.make_request(s, who, registration_id, data, request.app.state.clock(),
                                 request.app.state.locator)
            registrations.record_consent(s, who, registration_id, "request")
    except DomainError as exc:
        return _page(request, who, registration_id, values, {}, detail(request, exc.detail),
                     exc.status)
    return RedirectResponse(f"/me/registrations/{registration_id}", status_code=303)
