"""Correct a person, add a member, remove one, as pages: the same services and rules as
the API's routes (``rights.views``), the reason always asked."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from garita.deps import tx
from garita.errors import DomainError
from garita.offers import service as offers
from garita.policy.service import policy_now
from garita.registrations import changes
from garita.registrations import service as registrations
from garita.registrations.schemas import MemberIn, PersonCorrection
from garita.web import session
from garita.web.forms import detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])


def _page(request: Request, who: session.Visitor, registration_id: int, status: int = 200,
          errors: dict | None = None, message: str | None = None) -> HTMLResponse:
    with tx(request) as s:
        reg = registrations.to_out(registrations.get(s, registration_id, who))
    return render(request, "people.html", status, reg=reg, errors=errors or {}, message=message)


@router.get("/me/registrations/{registration_id}/people", response_class=HTMLResponse)
def people(request: Request, registration_id: int, who: session.Visitor) -> HTMLResponse:
    return _page(request, who, registration_id)


@router.post("/me/registrations/{registration_id}/people")
async def change(request: Request, registration_id: int, who: session.Visitor) -> Response:
    """One form per act: ``act`` is correct, add or remove (with ``person_id``)."""
    form = await posted(request)
    act, now = str(form.get("act", "")), request.app.state.clock()
    values = {k: str(form.get(k, "")).strip() for k in (
        "reason", "given_names", "family_names", "date_of_birth", "sex")}
    person_id = int(str(form.get("person_id", "0")) or 0)
    try:
        with tx(request) as s:
            reg = registrations.get(s, registration_id, who)
            hold = offers.current_hold(s, reg.id, now)
            held = hold.status if hold is not None else None
            if act == "remove":
                changes.remove_member(s, reg, person_id, values["reason"] or "-", held, who)
            elif act == "add":
                lead = reg.people[0]
                data = MemberIn(**{k: v for k, v in values.items() if v},
                                country_of_birth=lead.country_of_birth,
                                nationality=lead.nationality)
                changes.add_member(s, reg, data, data.reason, held,
                                   policy_now(s, now)[1], who)
                request.app.state.rescreen(s, reg.id, now, who.actor)
            else:
                fixed = PersonCorrection(**{k: v for k, v in values.items() if v})
                changes.correct(s, reg, person_id, fixed, held, who)
                request.app.state.rescreen(s, reg.id, now, who.actor)
    except ValidationError as exc:
        return _page(request, who, registration_id, 422,
                     errors={f"{act}-{person_id}": "; ".join(field_errors(request, exc).values())})
    except DomainError as exc:
        return _page(request, who, registration_id, exc.status,
                     message=detail(request, exc.detail))
    return RedirectResponse(f"/me/registrations/{registration_id}/people?done=1", status_code=303)
