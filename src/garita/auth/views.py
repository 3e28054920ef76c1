"""Sign-up, verification, sign-in (OAuth2 password form), password reset, two-factor,
sessions, who-am-I, staff accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from garita.auth import service, sessions, staff, twofactor
from garita.auth.edge import language, links, open_session, revoked
from garita.auth.schemas import (
    Accepted,
    AccountOut,
    CodeIn,
    EmailIn,
    MeOut,
    RecoveryCodes,
    ResetIn,
    Revoked,
    RoleChange,
    SessionOut,
    SignUp,
    SignUpOut,
    StaffIn,
    Token,
    TotpStart,
    VerifyIn,
)
from garita.deps import Admin, AnySession, Caller, Now, tx
from garita.errors import Conflict, Invalid
from garita.web.openapi import errors

router = APIRouter(prefix="/auth", tags=["accounts"])


def _client(request: Request) -> str:
    """The client's address as the server sees it (a proxy's header counts only when the
    proxy is trusted: ``GARITA_TRUSTED_PROXIES``)."""
    return request.client.host if request.client else "unknown"


@router.post("/signup", status_code=status.HTTP_202_ACCEPTED, response_model=SignUpOut,
             responses=errors(403, 429))
def sign_up(request: Request, data: SignUp, now: Now) -> SignUpOut:
    """Create an applicant or NGO account (NGOs register people on their behalf).

    The answer is the same whether or not the email already had an account, so that
    nobody can use sign-up to find out who is registered: a new account gets a code by
    email (confirm it at ``/auth/verify``), an existing account's owner a note that
    someone tried. Rate-limited per client address and in all.
    """
    request.app.state.limits.signup(_client(request))
    with tx(request) as s:
        service.sign_up(s, request.app.state.hasher, data, links(request), language(request),
                        now)
    return SignUpOut()


@router.post("/verify", response_model=Accepted,
             responses={422: {"description": "Wrong, used or expired code or link."},
                        **errors(429)})
def verify(request: Request, data: VerifyIn, now: Now) -> Accepted:
    """Confirm the email with the link's ``token``, or with ``email`` and the typed ``code``
    (five wrong codes end it: ask for a new one)."""
    if not data.token and not (data.email and data.code):
        raise Invalid("Send the token from the link, or the email and the code.")
    request.app.state.limits.signup(_client(request))
    with tx(request) as s:
        ok = service.verify_email(s, now, token=data.token, email=data.email, code=data.code)
    if not ok:  # refused after the commit: a wrong code's try is counted
        raise Invalid("The code or link is wrong, used or expired; ask for a new one at "
                      "/auth/verify/resend.")
    return Accepted(message="The email is confirmed: sign in at /auth/token.")


@router.post("/verify/resend", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted,
             responses=errors(429))
def resend(request: Request, data: EmailIn, now: Now) -> Accepted:
    """A new code for an account not yet confirmed (the same answer for any email)."""
    request.app.state.limits.signup(_client(request))
    with tx(request) as s:
        service.resend_verification(s, data.email, links(request), language(request), now)
    return Accepted()


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted,
             responses=errors(429))
def password_reset(request: Request, data: EmailIn, now: Now) -> Accepted:
    """Email a single-use reset link (``GARITA_RESET_MINUTES``); the same answer for any email."""
    request.app.state.limits.signup(_client(request))
    with tx(request) as s:
        service.request_reset(s, data.email, links(request), language(request), now)
    return Accepted()


@router.post("/password-reset/confirm", response_model=Accepted,
             responses={422: {"description": "Wrong, used or expired link."}})
def password_reset_confirm(request: Request, data: ResetIn, now: Now) -> Accepted:
    """Set a new password with the link's token. The account stays (its registrations and
    their waiting time too); every session of it is signed out."""
    with tx(request) as s:
        account_id = service.reset_password(s, request.app.state.hasher, data.token,
                                            data.password, now)
        ended = (sessions.revoke_all(s, account_id, "self", now)
                 if account_id is not None else [])
    if account_id is None:
        raise Invalid("This reset link is wrong, used or expired; ask for a new one at "
                      "/auth/password-reset.")
    revoked(request, ended)
    return Accepted(message="The password is changed: sign in at /auth/token.")


@router.post("/token", response_model=Token,
             responses={401: {"description": "Wrong password, or the two-factor code is "
                                             "needed or wrong (`two_factor: true`)."},
                        403: {"description": "The email is not confirmed yet."},
                        **errors(429)})
def login(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()],
          now: Now, code: Annotated[str | None, Form(max_length=20)] = None) -> Token:
    """Exchange email (as ``username``) and password (and ``code``, the two-factor code, when
    the account has two-factor on) for a bearer token naming a new session. Rate-limited."""
    settings = request.app.state.settings
    request.app.state.limits.login(form.username, _client(request))
    with tx(request) as s:
        who = service.sign_in(s, request.app.state.hasher, form.username, form.password, code,
                              settings.staff_two_factor_required, now,
                              request.app.state.totp_keys)
        token = open_session(request, s, who, now)
    return Token(access_token=token, expires_in=settings.token_minutes * 60)


@router.get("/me", response_model=MeOut)
def me(who: Caller) -> MeOut:
    """The calling account: its id, role and (officers) port."""
    return MeOut(account_id=who.account_id, role=who.role, port=who.port)


@router.get("/sessions", response_model=list[SessionOut])
def list_sessions(request: Request, who: AnySession, now: Now) -> list[SessionOut]:
    """The caller's sessions still open (``current``: this token's)."""
    with tx(request) as s:
        return [SessionOut.model_validate(r).model_copy(update={"current": r.id == who.sid})
                for r in sessions.active(s, who.account_id, now)]


@router.delete("/sessions/{sid}", response_model=Revoked)
def end_session(request: Request, sid: str, who: AnySession, now: Now) -> Revoked:
    """Sign one of the caller's sessions out (a lost phone, a shared computer)."""
    with tx(request) as s:
        ended = sessions.revoke(s, who, sid, now)
    revoked(request, ended)
    return Revoked(revoked=len(ended))


@router.post("/signout", response_model=Revoked)
def sign_out(request: Request, who: AnySession, now: Now) -> Revoked:
    """Sign this session out: its token is refused from now on."""
    assert who.sid is not None  # tokens without a session are refused before this
    with tx(request) as s:
        ended = sessions.revoke(s, who, who.sid, now)
    revoked(request, ended)
    return Revoked(revoked=len(ended))


@router.post("/signout-everywhere", response_model=Revoked)
def sign_out_everywhere(request: Request, who: AnySession, now: Now) -> Revoked:
    """Sign every session of the caller's account out, this one included."""
    with tx(request) as s:
        ended = sessions.revoke_all(s, who.account_id, who.actor, now)
    revoked(request, ended)
    return Revoked(revoked=len(ended))


@router.post("/totp", response_model=TotpStart, responses=errors(409))
def totp_begin(request: Request, who: AnySession) -> TotpStart:
    """Start two-factor enrolment: a secret for an authenticator app (not on until confirmed)."""
    with tx(request) as s:
        secret, uri = twofactor.begin(s, service.account_of(s, who),
                                      request.app.state.totp_keys)
    return TotpStart(secret=secret, otpauth_uri=uri)


@router.post("/totp/confirm", response_model=RecoveryCodes, responses=errors(409))
def totp_confirm(request: Request, data: CodeIn, who: AnySession, now: Now) -> RecoveryCodes:
    """Turn two-factor on with the app's current code; returns recovery codes (shown once).
    A staff enrolment-only session is signed out: sign in again with a code."""
    with tx(request) as s:
        codes = twofactor.confirm(s, service.account_of(s, who), request.app.state.totp_keys,
                                  data.code, now)
        ended = [] if who.full else sessions.revoke(s, who, str(who.sid), now)
    revoked(request, ended)
    return RecoveryCodes(recovery_codes=codes)


@router.post("/totp/disable", response_model=Accepted, responses=errors(409))
def totp_disable(request: Request, data: CodeIn, who: Caller, now: Now) -> Accepted:
    """Turn two-factor off (a current code or a recovery code); staff may not while it is
    required (``GARITA_STAFF_TWO_FACTOR``)."""
    if who.role.value not in ("applicant", "ngo") and \
            request.app.state.settings.staff_two_factor_required:
        raise Conflict("Two-factor sign-in is required for staff here; it cannot be turned off.")
    with tx(request) as s:
        twofactor.disable(s, service.account_of(s, who), request.app.state.totp_keys, who,
                          data.code, now)
    return Accepted(message="Two-factor sign-in is off.")


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
def change_role(request: Request, account_id: int, data: RoleChange, who: Admin,
                now: Now) -> AccountOut:
    """Change a staff account's role or port (audited). Every session of the account is
    signed out, so no token carries the old role."""
    with tx(request) as s:
        account, ended = staff.change_role(s, account_id, data, who, now)
    revoked(request, ended)
    return account
