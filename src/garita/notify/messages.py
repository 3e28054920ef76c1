"""The applicant's messages, one template per event (docs/notifications.md).

No message names a person or gives a date of birth: it says what happened, when and
where, and links to the signed-in pages for the rest. Times carry their zone.
"""

from __future__ import annotations

from garita.messaging.templates import N_, Template, register

REGISTRATION_RECEIVED = Template(
    name="registration.received",
    subject=N_("Garita: registration {reference} received"),
    body=N_("Your registration {reference} was received. Each day, during the request "
            "window, you can ask for an appointment at the port you choose. We will write "
            "to you when there is news.\n\nSign in: {link}"),
    short=N_("Garita: registration {reference} received. Ask for an appointment each day "
             "during the request window. {link}"),
)
REQUEST_RECEIVED = Template(
    name="request.received",
    subject=N_("Garita: request for {port} received"),
    body=N_("Your request of {day} for an appointment at {port} was received for "
            "registration {reference}. The draw's results come on {results}.\n\n"
            "Sign in: {link}"),
    short=N_("Garita: request for {port} received. Results on {results}. {link}"),
)
SELECTED = Template(
    name="offer.selected",
    subject=N_("Garita: you were selected for {port} on {date}"),
    body=N_("Registration {reference} was selected for an appointment at {port} on {date} "
            "at {port_time} (port time, {port_zone}); that is {your_time} where you are "
            "({your_zone}).\n\nEvery member aged {min_age} or older must confirm before "
            "{deadline}, or the places go back to the draw.\n\nSign in to confirm: {link}"),
    short=N_("Garita: selected for {port}, {date} {port_time} port time. Confirm before "
             "{deadline}: {link}"),
)
REMINDER = Template(
    name="offer.reminder",
    subject=N_("Garita: confirm before {deadline}"),
    body=N_("Your appointment at {port} on {date} is not confirmed yet. Every member aged "
            "{min_age} or older must confirm before {deadline}, or the places go back to the "
            "draw.\n\n"
            "Sign in to confirm: {link}"),
    short=N_("Garita: confirm your appointment at {port} before {deadline}: {link}"),
)
CONFIRMED = Template(
    name="offer.confirmed",
    subject=N_("Garita: appointment confirmed, {port} on {date}"),
    body=N_("Your appointment at {port} on {date} at {port_time} (port time, {port_zone}) "
            "is confirmed. Your notice, with its QR code, is here: {notice}\n\nBring it "
            "with every member's documents."),
    short=N_("Garita: appointment confirmed, {port} {date} {port_time}. Notice: {notice}"),
)
LAPSED = Template(
    name="offer.lapsed",
    subject=N_("Garita: the offer for {port} has lapsed"),
    body=N_("The appointment offered at {port} on {date} was not confirmed before "
            "{deadline} and has lapsed. There is no penalty: you can ask again in the next "
            "request window.\n\nSign in: {link}"),
    short=N_("Garita: the offer for {port} lapsed. You can ask again in the next window. "
             "{link}"),
)
NOT_SELECTED = Template(
    name="request.not_selected",
    subject=N_("Garita: not selected on {day}"),
    body=N_("Your requests of {day} were not selected in the draw ({count}). You can ask "
            "again in the next request window; each day's draw is published.\n\n"
            "Sign in: {link}"),
    short=N_("Garita: not selected on {day}. Ask again in the next window. {link}"),
)
SEAT_PLANNED = Template(
    name="corridor.seat_planned",
    subject=N_("Garita: your bus {bus} leaves {hub} on {departs}"),
    body=N_("A seat is planned for your group on bus {bus} to {port}. It leaves from "
            "{place} on {departs} ({hub_zone}). Be there an hour before with your notice "
            "and your transit permit.\n\nSign in: {link}"),
    short=N_("Garita: bus {bus} leaves {place} on {departs} ({hub_zone}). {link}"),
)
DAY_BEFORE = Template(
    name="offer.day_before",
    subject=N_("Garita: your appointment at {port} is tomorrow"),
    body=N_("Your appointment at {port} is tomorrow, {date}, at {port_time} (port time, "
            "{port_zone}).\n\nWhere: {address}.\nHow to get there: {directions}\n\n"
            "Bring your notice ({notice}) and every member's documents."),
    short=N_("Garita: appointment tomorrow {date} {port_time}, {port}: {address}. {notice}"),
)
CANCELLED = Template(
    name="offer.cancelled",
    subject=N_("Garita: the appointment at {port} on {date} is cancelled"),
    body=N_("The appointment at {port} on {date} is cancelled. Sign in to see what you can "
            "do next: {link}"),
    short=N_("Garita: appointment at {port} on {date} cancelled. {link}"),
)
SCHEME_CLOSED = Template(
    name="scheme.closed",
    subject=N_("Garita: the appointment scheme has ended"),
    body=N_("The appointment scheme ended on {day}. The appointment at {port} on {date} "
            "will not take place. Sign in for more: {link}"),
    short=N_("Garita: the scheme ended on {day}; the appointment at {port} on {date} is "
             "cancelled. {link}"),
)

PHONE_CODE = Template(
    name="registration.phone_code",
    subject=N_("Garita: your code is {code}"),
    body=N_("Your code to confirm this phone for Garita registration {reference} is {code}. "
            "It works once, for {minutes} minutes. If you did not ask for it, ignore this "
            "message."),
    short=N_("Garita: your code to confirm this phone is {code}. It works once, for "
             "{minutes} minutes."),
    secrets=("code",),
)

ALL = (REGISTRATION_RECEIVED, REQUEST_RECEIVED, SELECTED, REMINDER, CONFIRMED, LAPSED,
       NOT_SELECTED, SEAT_PLANNED, DAY_BEFORE, CANCELLED, SCHEME_CLOSED, PHONE_CODE)
register(*ALL)
