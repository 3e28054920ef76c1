"""A registration's phone proven by a code sent to it by SMS (issue 16: "email (and
phone, where given) verified by a code").

Only a verified phone receives SMS and WhatsApp messages (``registrations.contacts``
gives the scan no other): a typo or a number given back must not receive someone's
appointment. The code goes through the SMS channel whatever the account chose (it
proves the phone, so it goes to the phone), is kept hashed and bound to the number,
lasts ``CODE_MINUTES``, ends after five wrong tries, and is sent at most once a minute
per registration (and under the sign-up rate limits per address, as email codes are).
Sending and verifying are audited. Here because it joins accounts (the codes),
registrations (the phone) and messaging (the SMS), which do not know each other.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth import service as accounts
from garita.errors import Conflict, Invalid, TooMany
from garita.identity import Principal
from garita.messaging import service as messaging
from garita.messaging.schemas import Preferences
from garita.notify import messages as m
from garita.registrations import service as registrations

CODE_MINUTES = 30
ONLY_SMS = Preferences(email=False, sms=True, whatsapp=False)


def send_code(session: Session, who: Principal, registration_id: int, now: dt.datetime) -> str:
    """Queue a code to the registration's phone (the worker sends it at once); the phone
    it went to, for the answer."""
    reg = registrations.get(session, registration_id, who)
    if reg.phone_verified_at is not None:
        raise Conflict(f"The phone of registration {reg.id} is already verified; change the "
                       "number first to verify another.")
    event, code = accounts.issue_phone_code(session, reg.owner_id, reg.id, reg.phone,
                                            CODE_MINUTES, now)
    language = messaging.language_for(session, reg.owner_id, reg.language)
    messaging.enqueue(session, event_key=f"phone-code:{event}", template=m.PHONE_CODE.name,
                      account_id=reg.owner_id, to_email=None, to_phone=reg.phone,
                      language=language, prefs=ONLY_SMS,
                      params={"reference": str(reg.id), "code": code,
                              "minutes": str(CODE_MINUTES)})
    audit.record(session, actor=who.actor, action="registration.phone_code",
                 object_type="registration", object_id=reg.id, change={})
    return reg.phone


def send_first_code(session: Session, registration_id: int, event_key: str,
                    now: dt.datetime) -> bool:
    """The code a new or changed phone gets without asking (the scan, in the worker: never
    on the request path). Once per ``event_key``; nothing if the phone is verified, the
    registration erased, or a code went to it less than a minute ago (the manual route's
    limit; the page's "Send a code" remains). True if a message was queued."""
    found = registrations.phone_to_prove(session, registration_id)
    if found is None or messaging.queued(session, event_key):
        return False
    owner, phone, default = found
    try:
        _event, code = accounts.issue_phone_code(session, owner, registration_id, phone,
                                                 CODE_MINUTES, now)
    except TooMany:
        return False
    messaging.enqueue(session, event_key=event_key, template=m.PHONE_CODE.name,
                      account_id=owner, to_email=None, to_phone=phone,
                      language=messaging.language_for(session, owner, default), prefs=ONLY_SMS,
                      params={"reference": str(registration_id), "code": code,
                              "minutes": str(CODE_MINUTES)})
    audit.record(session, actor="notify", action="registration.phone_code",
                 object_type="registration", object_id=registration_id,
                 change={"automatic": event_key})
    return True


def verify(session: Session, who: Principal, registration_id: int, code: str,
           now: dt.datetime) -> bool:
    """Check the typed code; True: the phone is verified (audited). False: wrong, used or
    expired — the try is counted, so the caller commits, then refuses."""
    reg = registrations.get(session, registration_id, who)
    if reg.phone_verified_at is not None:
        return True
    if not code.strip().isdigit():
        raise Invalid("The code is the six digits of the SMS sent to the phone.")
    if not accounts.check_phone_code(session, reg.owner_id, reg.id, reg.phone, code, now):
        return False
    return registrations.mark_phone_verified(session, reg, reg.phone, who.actor, now)


def listing(session: Session, who: Principal) -> list[tuple[int, str, dt.datetime | None]]:
    """(registration, phone, verified at) of the caller's registrations."""
    return registrations.phones(session, who)
