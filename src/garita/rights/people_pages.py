"""Correct a person or the registration, add a member, remove one, as pages: the same
services and rules as the API's routes (``rights.views``, ``PATCH /registrations/{id}``),
the reason always asked. Every field the API corrects is on the page: a person's names,
date and country of birth, nationality, sex and documents; the registration's language,
phone, email and U.S. address. Only what differs from the stored value is sent, so the
reason and the audit entry name the fields really changed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from garita.deps import tx
from garita.errors import DomainError
from garita.offers import service as offers
from garita.policy.service import policy_now
from garita.registrations import changes
from garita.registrations import service as registrations
from garita.registrations.schemas import (
    LANGUAGES,
    MemberIn,
    PersonCorrection,
    ReasonIn,
    RegistrationCorrection,
    RegistrationOut,
)
from garita.web import session
from garita.web.forms import countries, detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import language, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])
PERSON_FIELDS = ("given_names", "family_names", "date_of_birth", "country_of_birth",
                 "nationality", "sex")
ADDRESS_FIELDS = ("street", "unit", "city", "state", "zip")
MAX_DOCUMENTS = 5  # as PersonIn allows


def _page(request: Request, who: session.Visitor, registration_id: int, status: int = 200,
          errors: dict | None = None, message: str | None = None) -> HTMLResponse:
    with tx(request) as s:
        found = registrations.get(s, registration_id, who)
        reg = registrations.to_out(found)
        people = [{"id": p.id, "position": p.position, "given_names": p.given_names,
                   "family_names": p.family_names, "date_of_birth": p.date_of_birth,
                   "country_of_birth": p.country_of_birth, "nationality": p.nationality,
                   "sex": p.sex, "documents": list(p.documents or [])} for p in found.people]
    return render(request, "people.html", status, reg=reg, people=people, errors=errors or {},
                  message=message, countries=countries(language(request)),
                  languages_all=LANGUAGES, max_documents=MAX_DOCUMENTS)


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "")).strip()


def _documents(form: FormData) -> list[dict]:
    """The document rows with a number (a row emptied is a document removed)."""
    rows = []
    for i in range(MAX_DOCUMENTS):
        if number := _text(form, f"doc.{i}.number"):
            rows.append({"type": _text(form, f"doc.{i}.type"), "number": number,
                         "country": _text(form, f"doc.{i}.country")})
    return rows


def _person_correction(form: FormData, person: Any) -> PersonCorrection:
    """The fields that differ from the person's stored ones, with the reason."""
    given = {f: v for f in PERSON_FIELDS if (v := _text(form, f))}
    full = PersonCorrection(reason=_text(form, "reason"), documents=_documents(form), **given)
    now = full.model_dump(exclude_unset=True, exclude={"reason"})
    was = {f: getattr(person, f) for f in (*PERSON_FIELDS, "documents")}
    was["documents"] = list(was["documents"] or [])
    return PersonCorrection.model_validate(
        {"reason": full.reason, **{f: v for f, v in now.items() if v != was[f]}})


def _registration_correction(form: FormData, reg: RegistrationOut) -> RegistrationCorrection:
    """The registration's fields that differ from the stored ones, with the reason (an
    emptied email is removed; the others cannot be)."""
    address = {f: v for f in ADDRESS_FIELDS if (v := _text(form, f"us_address.{f}"))}
    given: dict[str, Any] = {f: v for f in ("language", "phone") if (v := _text(form, f))}
    full = RegistrationCorrection(reason=_text(form, "reason"), email=_text(form, "email") or None,
                                  us_address=address, **given)
    changed: dict[str, Any] = {f: getattr(full, f) for f in ("language", "phone", "email")
                               if f in full.model_fields_set and getattr(full, f) != getattr(reg, f)}
    if full.us_address != reg.us_address:
        changed["us_address"] = full.us_address
    return RegistrationCorrection.model_validate({"reason": full.reason, **changed})


@router.get("/me/registrations/{registration_id}/people", response_class=HTMLResponse)
def people(request: Request, registration_id: int, who: session.Visitor) -> HTMLResponse:
    return _page(request, who, registration_id)


@router.post("/me/registrations/{registration_id}/people")
async def change(request: Request, registration_id: int, who: session.Visitor) -> Response:
    """One form per act: ``act`` is correct (with ``person_id``), edit (the registration's
    own fields), add or remove (with ``person_id``)."""
    form = await posted(request)
    act, now = _text(form, "act"), request.app.state.clock()
    person_id = int(_text(form, "person_id") or 0) if _text(form, "person_id").isdigit() else 0
    try:
        with tx(request) as s:
            reg = registrations.get(s, registration_id, who)
            hold = offers.current_hold(s, reg.id, now)
            held = hold.status if hold is not None else None
            if act == "remove":
                why = ReasonIn(reason=_text(form, "reason")).reason  # asked, as any change
                changes.remove_member(s, reg, person_id, why, held, who)
            elif act == "add":
                lead = reg.people[0]
                values = {f: v for f in ("reason", "given_names", "family_names",
                                         "date_of_birth", "sex") if (v := _text(form, f))}
                data = MemberIn(**values, country_of_birth=lead.country_of_birth,
                                nationality=lead.nationality)
                changes.add_member(s, reg, data, data.reason, held,
                                   policy_now(s, now)[1], who)
                request.app.state.rescreen(s, reg.id, now, who.actor)
            elif act == "edit":
                patch = _registration_correction(form, registrations.to_out(reg))
                changes.change(s, reg, patch, who)
                request.app.state.rescreen(s, reg.id, now, who.actor)
            else:
                fixed = _person_correction(form, changes.member(reg, person_id))
                changes.correct(s, reg, person_id, fixed, held, who)
                request.app.state.rescreen(s, reg.id, now, who.actor)
    except ValidationError as exc:
        return _page(request, who, registration_id, 422,
                     errors={f"{act}-{person_id}": "; ".join(field_errors(request, exc).values())})
    except DomainError as exc:
        return _page(request, who, registration_id, exc.status,
                     message=detail(request, exc.detail))
    return RedirectResponse(f"/me/registrations/{registration_id}/people?done=1", status_code=303)
