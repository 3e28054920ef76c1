"""Sign-up, login (OAuth2 password form), who-am-I, staff accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from garita.auth import service, staff
from garita.auth.core import issue_token
from garita.auth.schemas import AccountOut, MeOut, RoleChange, SignUp, SignUpOut, StaffIn, Token
from garita.deps import Admin, Caller, Now, tx
from garita.web.openapi import errors

router = APIRouter(prefix="/auth", tags=["accounts"])


def _client(request: Request) -> str:
    """The client's address as the server sees it (a proxy's header counts only when the
    proxy is trusted: ``GARITA_TRUSTED_PROXIES``)."""
    return request.client.host if request.client else "unknown"


@router.post("/signup", status_code=status.HTTP_202_ACCEPTED, response_model=SignUpOut,
             responses=errors(403, 429))
def sign_up(request: Request, data: SignUp) -> SignUpOut:
    """Create an applicant or NGO account (NGOs register people on their behalf).

    The answer is the same whether or not the email already had an account, so that
    nobody can use sign-up to find out who is registered: sign in next. Rate-limited
    per client address and in all.
    """
    request.app.state.limits.signup(_client(request))
    with tx(request) as s:
        service.sign_up(s, request.app.state.hasher, data)
    return SignUpOut()


@router.post("/token", response_model=Token, responses=errors(401, 429))
def login(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()],
          now: Now) -> Token:
    """Exchange email (as ``username``) and password for a bearer token. Rate-limited."""
    settings = request.app.state.settings
    request.app.state.limits.login(form.username, _client(request))
    with tx(request) as s:
        who = service.authenticate(s, request.app.state.hasher, form.username, form.password)
    token = issue_token(who, settings.secret_key.get_secret_value(), settings.token_minutes, now)
    return Token(access_token=token, expires_in=settings.token_minutes * 60)


@router.get("/me", response_model=MeOut)
def me(who: Caller) -> MeOut:
    """The calling account: its id, role and (officers) port."""
    return MeOut(account_id=who.account_id, role=who.role, port=who.port)


@router.post("/staff", status_code=status.HTTP_201_CREATED, response_model=AccountOut,
             # No Location: accounts have no route of their own to read; the body is the account.
             responses={201: {"description": "The new account.", "headers": {}},
                        **errors(409)})
def create_staff(request: Request, data: StaffIn, who: Admin) -> AccountOut:
    """Admins create officer, coordinator, analyst and admin accounts."""
    with tx(request) as s:
        account = service.create_staff(s, request.app.state.hasher, data, who)
        return AccountOut.model_validate(account)


@router.get("/staff", response_model=list[AccountOut])
def staff_accounts(request: Request, who: Admin) -> list[AccountOut]:
    """Every staff account with its role (and port, for officers)."""
    with tx(request) as s:
        return staff.accounts(s)


@router.patch("/staff/{account_id}", response_model=AccountOut)
def change_role(request: Request, account_id: int, data: RoleChange, who: Admin) -> AccountOut:
    """Change a staff account's role or port (audited). Tokens already issued keep their
    role until they expire (``GARITA_TOKEN_MINUTES``)."""
    with tx(request) as s:
        return staff.change_role(s, account_id, data, who)
