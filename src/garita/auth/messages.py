"""What accounts send to people: verification codes, reset links, a sign-up attempt on an
address that has an account. Templates in the messaging catalogue (five languages);
sent through ``garita.messaging.service.enqueue`` (queued in the caller's transaction,
delivered by the job queue, one message per event key)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from garita.messaging import service as messaging
from garita.messaging.templates import N_, Template, register

VERIFY = Template(
    name="account.verify",
    subject=N_("Your Garita code: {code}"),
    body=N_("Your code to confirm this email address for Garita is {code}. You can also open "
            "this link: {link} . The code and the link work once, for {hours} hours. If you "
            "did not sign up for Garita, ignore this message."),
    short=N_("Garita: your code is {code}. It works once, for {hours} hours."),
    secrets=("code", "link"),
)
SIGNUP_EXISTS = Template(
    name="account.signup_exists",
    subject=N_("Someone tried to sign up to Garita with your email"),
    body=N_("Someone tried to create a Garita account with this email address, which already "
            "has one. Your account did not change. If it was you, sign in; if you forgot your "
            "password, ask for a new one here: {link} . If it was not you, ignore this "
            "message."),
    short=N_("Garita: someone tried to sign up with your email; your account did not change. "
             "Forgot the password? {link}"),
)
RESET = Template(
    name="account.reset",
    subject=N_("Choose a new Garita password"),
    body=N_("To choose a new password, open this link within {minutes} minutes: {link} . It "
            "works once. Your registration and its waiting time are kept. If you did not ask "
            "for this, ignore this message: your password stays as it is."),
    short=N_("Garita: choose a new password within {minutes} minutes: {link}"),
    secrets=("link",),
)
register(VERIFY, SIGNUP_EXISTS, RESET)


def send(session: Session, *, event_key: str, template: Template, account_id: int | None,
         to_email: str | None, language: str, params: dict[str, object]) -> bool:
    """Queue one message for this event (False if the event was already queued). Only the
    email channel: codes and links go to the address being proven, never to a phone."""
    return messaging.enqueue(session, event_key=event_key, template=template.name,
                             account_id=account_id, to_email=to_email, to_phone=None,
                             language=language, params=params)
