"""What accounts send to people: verification codes, reset links, a sign-up attempt on an
address that has an account. Texts in five languages (the pages' catalogues).

Every message goes out through :func:`send`, the one switch between this feature
and delivery: it stores the message (``AccountMessage``, the outbox the pages'
demo and the tests read) keyed by its event, so one event is one message.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.auth.models import AccountMessage
from garita.web.i18n import DEFAULT, LANGUAGES, N_, translations

#: template -> (subject, body); the params fill ``{name}`` fields after translation
TEMPLATES = {
    "account_verify": (
        N_("Your Garita code: {code}"),
        N_("Your code to confirm this email address for Garita is {code}. You can also open "
           "this link: {link} . The code and the link work once, for {hours} hours. If you "
           "did not sign up for Garita, ignore this message."),
    ),
    "account_signup_exists": (
        N_("Someone tried to sign up to Garita with your email"),
        N_("Someone tried to create a Garita account with this email address, which already "
           "has one. Your account did not change. If it was you, sign in; if you forgot your "
           "password, ask for a new one here: {link} . If it was not you, ignore this "
           "message."),
    ),
    "account_reset": (
        N_("Choose a new Garita password"),
        N_("To choose a new password, open this link within {minutes} minutes: {link} . It "
           "works once. Your registration and its waiting time are kept. If you did not ask "
           "for this, ignore this message: your password stays as it is."),
    ),
}


def render(template: str, language: str, params: dict[str, object]) -> tuple[str, str]:
    """(subject, body) of a template in a language (English if the language is unknown)."""
    gettext = translations(language if language in LANGUAGES else DEFAULT).gettext
    subject, body = TEMPLATES[template]
    return gettext(subject).format(**params), gettext(body).format(**params)


def send(session: Session, *, event_key: str, template: str, account_id: int | None,
         to_email: str | None, to_phone: str | None, language: str,
         params: dict[str, object], now: dt.datetime) -> bool:
    """Hand a message over for delivery, once per ``event_key``; False if already sent."""
    if session.scalar(select(AccountMessage.id).where(AccountMessage.event_key == event_key)):
        return False
    subject, body = render(template, language, params)
    session.add(AccountMessage(event_key=event_key, account_id=account_id, template=template,
                               to_email=to_email, to_phone=to_phone, language=language,
                               subject=subject, body=body, created_at=now))
    session.flush()
    return True


def sent_to(session: Session, email: str) -> list[AccountMessage]:
    """Messages stored for an address, newest first (the demo's outbox, the tests)."""
    return list(session.scalars(select(AccountMessage).where(AccountMessage.to_email == email)
                                .order_by(AccountMessage.id.desc())))
