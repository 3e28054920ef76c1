"""Register oneself or a family, and the list of one's registrations, as pages."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from garita.deps import tx
from garita.errors import DomainError
from garita.policy.service import policy_now
from garita.registrations import service
from garita.registrations.schemas import LANGUAGES, RegistrationIn
from garita.web import consent, session
from garita.web.forms import countries, detail, field_errors, posted
from garita.web.pages import mark_page
from garita.web.templates import language, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(mark_page)])
PERSON_FIELDS = ("given_names", "family_names", "date_of_birth", "country_of_birth",
                 "nationality", "sex")
ADDRESS_FIELDS = ("street", "unit", "city", "state", "zip")


def _group_max(request: Request) -> int:
    with tx(request) as s:
        return policy_now(s, request.app.state.clock())[1].group_max


def _payload(form: FormData, size: int) -> dict:
    """The form's dotted names (``lead.given_names``, ``members.0.sex``) as the API's body."""
    def text(name: str) -> str | None:
        value = str(form.get(name, "")).strip()
        return value or None

    def given(prefix: str, fields: tuple[str, ...]) -> dict:
        # An empty field is left out, so the schema reports it as missing (not as a
        # wrong type) and optional ones take their default.
        return {f: v for f in fields if (v := text(f"{prefix}.{f}")) is not None}

    body = {"language": text("language") or "es", "phone": text("phone"),
            "email": text("email"), "us_address": given("us_address", ADDRESS_FIELDS),
            "lead": given("lead", PERSON_FIELDS),
            "members": [given(f"members.{i}", PERSON_FIELDS) for i in range(size - 1)]}
    return {k: v for k, v in body.items() if v is not None}


def _form(request: Request, size: int, most: int, values: dict, errors: dict,
          message: str | None, status: int = 200) -> HTMLResponse:
    return render(request, "register.html", status, size=size, most=most, values=values,
                  errors=errors, message=message, countries=countries(language(request)),
                  languages_all=LANGUAGES)


@router.get("/me", response_class=HTMLResponse)
def mine(request: Request, who: session.Visitor) -> HTMLResponse:
    with tx(request) as s:
        rows = [service.to_out(r) for r in service.list_own(s, who)]
    return render(request, "mine.html", registrations=rows)


@router.get("/me/registrations/new", response_class=HTMLResponse)
def new(request: Request, who: session.Visitor, size: int = 1) -> HTMLResponse:
    most = _group_max(request)
    size = min(max(size, 1), most)
    return _form(request, size, most, {"language": language(request)}, {}, None)


@router.post("/me/registrations/new")
async def create(request: Request, who: session.Visitor) -> Response:
    form = await posted(request)
    most = _group_max(request)
    try:
        size = min(max(int(str(form.get("size", "1"))), 1), most)
    except ValueError:
        size = 1
    values = {k: str(v) for k, v in form.items() if k != "csrf"}
    errors: dict[str, str] = {}
    if (no_consent := consent.missing(request, who, form)) is not None:
        errors["consent"] = no_consent
    try:
        data = RegistrationIn.model_validate(_payload(form, size))
    except ValidationError as exc:
        errors.update(field_errors(request, exc))
    if errors:  # every field's error at once, each beside its field
        return _form(request, size, most, values, errors, None, 422)
    try:
        with tx(request) as s:
            clock = request.app.state.clock()
            _, policy, since = policy_now(s, clock)
            reg = service.create(s, who, data, policy, since, clock)
            service.record_consent(s, who, reg.id, "register")
            target = f"/me/registrations/{reg.id}"
    except DomainError as exc:
        return _form(request, size, most, values, {}, detail(request, exc.detail), exc.status)
    return RedirectResponse(target, status_code=303)
