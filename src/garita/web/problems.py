"""Error messages in the caller's language: API ``detail`` and the pages' field errors.

Services raise English sentences with values inside (``Registration 12 does not
exist or is not yours.``). Rather than rewrite every raise, each sentence's
pattern is listed here once as a message id with named fields; a detail is
matched back to its pattern with the ``parse`` library (the inverse of
``str.format``), and the translated pattern is filled with the same values.
A detail that matches no pattern stays as it is (English): the completeness
test in ``tests/web`` lists every raise in the applicant-facing features and
fails when one has no pattern here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import parse

from garita.web.i18n import N_, translations

PATTERNS = (
    # auth
    N_("An account with this email already exists; log in instead."),
    N_("Only applicant and ngo accounts can sign up; staff accounts are created by an admin."),
    N_("Email or password is wrong."),
    N_("An officer needs a port: one of {ports}."),
    N_("Only officers are attached to a port; leave port empty."),
    N_("Confirm your email first: enter the code we sent, open its link, or ask for a new one."),
    N_("This account uses two-factor sign-in: send the code from the authenticator app (or a "
       "recovery code) too."),
    N_("The two-factor code is wrong or already used; send the current code from the app or an "
       "unused recovery code."),
    N_("Staff accounts must turn on two-factor sign-in first: POST /auth/totp, then POST "
       "/auth/totp/confirm with a code from the app."),
    N_("Two-factor sign-in is already on; turn it off first to enrol again."),
    N_("Start enrolment first (POST /auth/totp), then send a code from the app."),
    N_("That code is not the one the app shows now; check the phone's clock and send the "
       "current six digits."),
    N_("Two-factor sign-in is not on."),
    N_("That code is wrong: send the current code from the app or an unused recovery code."),
    N_("Two-factor sign-in is required for staff here; it cannot be turned off."),
    N_("This session does not exist, is not yours or has already ended."),
    N_("Send the token from the link, or the email and the code."),
    N_("The code or link is wrong, used or expired; ask for a new one at /auth/verify/resend."),
    N_("This reset link is wrong, used or expired; ask for a new one at /auth/password-reset."),
    # registrations
    N_("A group has at most {most} people (lead included); this one has {size}. Register the "
       "others separately."),
    N_("Since {since} all members of a group give the same U.S. address; members {members} "
       "give another one. Remove their us_address."),
    N_("Only applicant and NGO accounts register people."),
    N_("The scheme is closed since {since}: no new registrations."),
    N_("Registration {number} does not exist or is not yours."),
    N_("Nothing to change: send at least one of language, phone, email, us_address."),
    N_("{fields} cannot be removed, only changed: send a new value (only email may be null)."),
    # the daily request and its window
    N_("Already requested for {day} at {port}; one request per day. Try another port tomorrow."),
    N_("The scheme is closed since {since}: no requests are taken."),
    N_("This registration already holds an appointment ({port}, {day}, status {status}); no "
       "new request needed."),
    N_("A parallel request for this registration failed; retry."),
    N_("A person in this registration already entered the draw for {day} through registration "
       "{other}; one entry per person per day."),
    N_("A person in this registration already entered the draw for {day} through a "
       "registration of another account; one entry per person per day."),
    N_("The request window is open ({hours})."),
    N_("Requests are taken {hours}; it is {time} there. Come back at {start}."),
    N_("Today's window ({hours}) has closed; come back tomorrow at {start}."),
    # the geofence
    N_("The location {where} is outside Mexico; only locations in Mexico qualify."),
    N_("No eligibility rule of this policy covers {nationality} nationals ({state})."),
    N_("{state} {where} is outside the eligible area for {nationality} nationals: {zones}."),
    N_("{state} {where} is in the eligible area for {nationality} nationals: {zones}."),
    # offers
    N_("Offer {number} does not exist or is not yours."),
    N_("This offer lapsed at {when}; request again in the next window."),
    N_("Person {person} is not in registration {number}."),
    N_("Person {person} does not confirm under the rules in force ({rule}, age {age}+)."),
    # photos at confirmation (offers, photos/core.py)
    N_("Offer {number} is {status}: photos are taken while it is open or before the "
       "appointment."),
    N_("No photo was sent: take a photo of the person's face, or choose one."),
    N_("Person {person} has no photo for offer {number}: take it first (POST "
       "/offers/{again}/photos), then confirm."),
    N_("The photo is too large ({size} kB); the limit is {limit} kB. Take it again at a lower "
       "resolution."),
    N_("The photo is {width}×{height} pixels; at most {most} on a side. Take it again at a "
       "lower resolution."),
    N_("This file is not a photo we can read: send a JPEG, PNG or WebP image."),
    N_("The photo is {width}×{height} pixels; the face needs at least {least} on each side. "
       "Come closer or use a better camera."),
    N_("The photo is {width}×{height} pixels, too narrow for a face; take it again holding "
       "the phone upright."),
    N_("The photo is too dark: face a window or a lamp and take the photo again."),
    N_("The photo is too bright: move out of direct light and take the photo again."),
    N_("The photo is blank or blurred (almost one colour): uncover the camera, face it and "
       "take the photo again."),
    N_("Offer {number} is a confirmed appointment: cancel it instead."),
    # phone verification (notify)
    N_("A code was sent to this phone less than a minute ago; wait a minute before asking "
       "for another."),
    N_("The phone of registration {number} is already verified; change the number first to "
       "verify another."),
    N_("The code is the six digits of the SMS sent to the phone."),
    N_("That code is wrong, used or expired. Check the six digits of the last SMS, or ask "
       "for a new code (five wrong tries end a code)."),
    N_("Choose one of your registrations."),
    N_("Offer {number} is not confirmed yet: decline it instead."),
    N_("Offer {number} has ended ({status}); there is nothing to decline."),
    N_("Offer {number} has ended ({status}); there is nothing to cancel."),
    N_("The appointment of offer {number} has begun; it can no longer be cancelled."),
    # notices
    N_("Offer {number} is {status}: the notice is issued once every member who must confirm "
       "has confirmed."),
    N_("This server holds no signing key; notices cannot be issued here."),
    N_("Could not draw a unique confirmation number; try again."),
    N_("confirmation_number: ten letters and digits as printed on the notice, e.g. "
       "7K3M9-QX2PA."),
    N_("Notice {number} no longer verifies ({reason}); ask an administrator to re-issue it."),
    # corridor
    N_("No corridor runs under the rules in force on {day} (since {since}); buses run from "
       "2024-08-30 to 2025-01-19."),
    N_("Appointment {number} does not exist or is not yours."),
    N_("Only a confirmed, upcoming appointment can have bus seats; confirm it first."),
    N_("Buses serve people confirmed in {served}; this appointment was confirmed in {state}."),
    N_("No bus goes to the border city of {port}."),
    N_("Seat request {number} does not exist or is not yours."),
    N_("This group has already boarded; the crew records a no-show or drop-off instead."),
    N_("No departure left between {start} and {end}: pick a later start."),
    # corrections and members (registrations/changes.py)
    N_("The appointment is confirmed and its signed notice names these people: corrections "
       "wait until the appointment has passed."),
    N_("Nothing to correct: send at least one field besides the reason."),
    N_("{fields} cannot be removed, only corrected: send the right value."),
    N_("This registration holds an offer or appointment ({status}) drawn for {size} people: "
       "nobody is added until it has ended."),
    N_("The lead cannot be removed: withdraw the registration instead, or register the others "
       "separately."),
    N_("The appointment is confirmed and its signed notice names these people: a member who "
       "separated does not come (no penalty); remove them after the appointment."),
    N_("Person {person} already has records others keep (a confirmation or an integrity "
       "finding): ask an NGO or the operator to help."),
    # help, assistance, hand-back (help/service.py)
    N_("An assistance request names the registration (registration_id) and what cannot be done "
       "unaided (need: photo, phone or both)."),
    N_("No help request {number}; see the queue at GET /help."),
    N_("Help request {number} shares no registration: its author did not consent, or named "
       "none."),
    N_("Help request {number} was already answered by {who}."),
    N_("Only the NGO that answered this assistance request confirms with the person; answer it "
       "first."),
    N_("Tick consent: the person is present and agrees to confirm."),
    N_("Offer {number} is not this assistance request's registration's."),
    N_("Tick consent: the person agreed to take the registration over."),
    N_("No applicant account has this email: the person signs up first."),
    # who is calling, limits, the app
    N_("Sign in first: send 'Authorization: Bearer <token>' from /auth/token."),
    N_("Your token is invalid or expired; sign in again at /auth/token."),
    N_("This needs one of the roles: {roles}; you are {role}."),
    N_("Too many login attempts; wait a minute and try again (limit {limit})."),
    N_("Too many sign-ups; wait a minute and try again (limit {limit})."),
    N_("Too many appointment requests; wait a minute and try again (limit {limit})."),
    N_("Too many notice checks; wait a minute and try again (limit {limit})."),
    N_("Too many notice verifications; wait a minute and try again (limit {limit})."),
    N_("Something failed on our side; it was not saved. Try again later."),
    # integrity jobs: their notes and refusals, on the analyst's job card
    N_("No watchlist is loaded; load one with 'garita watchlist load'."),
    N_("the active lists hold no individuals (entities and vessels are not screened)"),
    N_("the duplicate-identity model could not be trained on these records (no two records "
       "share given names, surnames and date of birth); no duplicates were searched"),
    N_("the duplicate-identity model could not be trained on these records (no two records "
       "share date of birth); no duplicates were searched"),
    N_("the duplicate-identity model could not be trained on these records (no two records "
       "share surnames and birth year); no duplicates were searched"),
    N_("the duplicate-identity model could not be trained on these records (too few look "
       "alike); no duplicates were searched"),
    # simulation runs (a public page)
    N_("no simulation run {name}: the runs are none (make one with garita sim run)"),
    N_("no simulation run {name}: the runs are {runs}"),
    N_("The request body could not be read: send JSON (Content-Type: application/json) or, "
       "for /auth/token, a form; check its syntax and send it again."),
    N_("A number in the request is out of range (ids and counts must fit in 64 bits); correct "
       "it and try again."),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("The form expired or did not come from this site; reload the page and send it again."),
    # field validators' own sentences (pydantic "value_error")
    N_("'{value}' is not a U.S. state code (e.g. CA, TX, NY)"),
    N_("ZIP code must be 5 digits, or 5+4 digits like 90210-1234"),
    N_("'{value}' is not an ISO 3166-1 alpha-3 country code (e.g. VEN, HTI, MEX)"),
    N_("date of birth is in the future"),
    N_("date of birth is more than 120 years ago"),
    N_("phone must be in international format starting with + and the country code, e.g. "
       "+52 55 1234 5678"),
    N_("phone number is not a valid number for its country code"),
    N_("unknown port '{value}'; use one of {ports}"),
)

# Names of the policy's eligible zones (policy/history.json), shown inside refusals.
ZONES = (N_("central and northern Mexico (north of 19°N)"), N_("Chiapas and Tabasco"),
         N_("anywhere in Mexico (Mexican nationals)"), N_("Tapachula"), N_("Villahermosa"))

TITLES = (N_("Bad request"), N_("Invalid input"), N_("Not found"), N_("Conflict"),
          N_("Not signed in"), N_("Not allowed"), N_("Too many requests"),
          N_("Refused by the rules in force"), N_("Internal error"), N_("Error"),
          N_("Unavailable"))

# pydantic's error types, in our words (its own messages exist only in English).
FIELD_ERRORS = {
    "missing": N_("This field is required."),
    "string_too_short": N_("Too short: at least {min_length} characters."),
    "string_too_long": N_("Too long: at most {max_length} characters."),
    "too_long": N_("Too many: at most {max_length}."),
    "date_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_type": N_("Enter a date as YYYY-MM-DD."),
    "float_parsing": N_("Enter a number."),
    "int_parsing": N_("Enter a number."),
    "greater_than_equal": N_("Must be at least {ge}."),
    "less_than_equal": N_("Must be at most {le}."),
    "literal_error": N_("Choose one of: {expected}."),
    "enum": N_("Choose one of: {expected}."),
    "extra_forbidden": N_("Unknown field; remove it."),
    "email": N_("Enter a valid email address, like name@example.org."),
    "json_invalid": N_("The request body could not be read: send JSON (Content-Type: "
                       "application/json) or, for /auth/token, a form; check its syntax and "
                       "send it again."),
}
INVALID = N_("This value is not valid.")


@cache
def _compiled() -> list[tuple[str, parse.Parser]]:
    # Longest literal text first: a specific pattern wins over a looser one.
    ranked = sorted(PATTERNS, key=lambda p: -len(re.sub(r"\{[^}]*\}", "", p)))
    return [(p, parse.compile(p, case_sensitive=True)) for p in ranked]


def _zones(text: str, _) -> str:
    return "; ".join(_(z) for z in text.split("; "))


def translate(detail: str, language: str) -> str:
    """``detail`` in ``language``; unchanged when no pattern matches (or in English)."""
    if language == "en":
        return detail
    _ = translations(language).gettext
    for pattern, parser in _compiled():
        found = parser.parse(detail)
        if found is not None:
            values = dict(found.named)
            if "zones" in values:
                values["zones"] = _zones(values["zones"], _)
            return _(pattern).format(**values)
    return detail


def title(text: str, language: str) -> str:
    return translations(language).gettext(text)


def field_error(error: Mapping[str, Any], language: str) -> str:
    """One pydantic error as a sentence in ``language``."""
    _ = translations(language).gettext
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error":
        message = str(ctx.get("error", ""))
        if "email" in message.lower() or "@" in message:
            return _(FIELD_ERRORS["email"])
        return translate(message, language) if language != "en" else message
    if kind in FIELD_ERRORS:
        return _(FIELD_ERRORS[kind]).format(**{k: v for k, v in ctx.items()})
    return _(INVALID) if language != "en" else error.get("msg", INVALID)
