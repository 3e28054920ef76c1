"""Every refusal and error an applicant or NGO can meet has a pattern in
``garita.web.problems``, so the API and the pages give it in their language."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import garita
from garita.errors import TooMany
from garita.geo import core as geo
from garita.geo.service import locator_from
from garita.policy import calendar
from garita.policy.service import shipped_history
from garita.ratelimit import RateLimits
from garita.web import problems
from kit import GUATEMALA_CITY, MEXICO_CITY, OAXACA, TAPACHULA

ERRORS = {"Invalid", "NotFound", "Conflict", "Unauthorized", "Forbidden", "TooMany",
          "Refused"}
# The modules of the applicant's and NGO's way through the scheme (staff consoles'
# messages are not translated yet).
MODULES = ("auth/service.py", "auth/twofactor.py", "auth/sessions.py", "auth/views.py",
           "registrations/service.py", "requests/core.py",
           "requests/postgres.py", "offers/service.py", "notices/service.py",
           "corridor/service.py", "deps.py", "web/session.py", "registrations/changes.py",
           "registrations/erasure.py", "help/service.py", "rights/service.py",
           "rights/views.py", "notify/phones.py", "notify/views.py", "notify/pages.py")


def _sample(node: ast.expr) -> str | None:
    """The message a raise would carry, with each value replaced by a stand-in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else f"V{i}"
                       for i, part in enumerate(node.values))
    return None  # a message made elsewhere (a verdict's reason, a window's message)


def _messages() -> list[tuple[str, str]]:
    root = Path(garita.__file__).parent
    found = []
    for name in MODULES:
        for node in ast.walk(ast.parse((root / name).read_text("utf-8"))):
            if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and getattr(node.exc.func, "id", None) in ERRORS and node.exc.args):
                text = _sample(node.exc.args[0])
                if text is not None:
                    found.append((f"{name}:{node.lineno}", text))
    return found


def test_the_scan_finds_the_raises():
    assert len(_messages()) >= 25


@pytest.mark.parametrize(("where", "message"), _messages())
def test_every_raise_has_a_translated_pattern(where, message):
    for language in ("es", "ht", "pt", "ru"):
        assert problems.translate(message, language) != message, (where, language, message)


def test_geofence_reasons_and_window_messages_translate():
    policy = next(v for v in shipped_history() if v.effective_from == dt.date(2024, 8, 23)).policy
    locator = locator_from(None)
    messages = [geo.evaluate(locator, policy, lat, lon, "VEN").reason
                for lat, lon in (OAXACA, GUATEMALA_CITY, MEXICO_CITY, TAPACHULA)]
    et = dt.timezone(dt.timedelta(hours=-4))
    messages += [calendar.window_check(policy, dt.datetime(2024, 9, 10, h, tzinfo=et)).message
                 for h in (9, 14)]
    messages.append(calendar.window_check(
        policy, dt.datetime(2024, 9, 10, 23, 59, 30, tzinfo=et)
        + dt.timedelta(minutes=1)).message)
    for message in messages:
        out = problems.translate(message, "es")
        assert out != message, message
        assert "north of 19°N" not in out  # the zones' names are translated too


def test_rate_limit_messages_translate():
    limits = RateLimits("memory://", "1/minute", "1/minute", "1/minute", "1/minute",
                        signup_client="1/minute")
    for hit in (lambda: limits.login("a@example.org", "c"),
                lambda: limits.notice_check("c", "7K3M9QX2PA"),
                lambda: limits.notice_verify("c"), lambda: limits.signup("c")):
        hit()
        with pytest.raises(TooMany) as caught:
            hit()
        assert problems.translate(caught.value.detail, "pt") != caught.value.detail


@given(day=st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2030, 1, 1)),
       port=st.sampled_from(["SYS", "ELP", "BRO"]),
       number=st.integers(min_value=1, max_value=2**63 - 1),
       language=st.sampled_from(["es", "ht", "pt", "ru"]))
def test_a_translated_message_keeps_every_value(day, port, number, language):
    """Whatever the values, the translation carries them all and no English is left."""
    for english, values in (
            (f"Already requested for {day} at {port}; one request per day. Try another port "
             "tomorrow.", (str(day), port)),
            (f"Registration {number} does not exist or is not yours.", (str(number),)),
            (f"Offer {number} is offered: the notice is issued once every member who must "
             "confirm has confirmed.", (str(number), "offered"))):
        out = problems.translate(english, language)
        assert all(v in out for v in values), (english, out)
        assert "does not exist" not in out and "one request per day" not in out
