"""Every message template in all five languages: translated (not copied), same fields."""

from __future__ import annotations

import string

import pytest
from babel.messages.pofile import read_po

import garita.auth.messages
import garita.notify.messages  # noqa: F401 - registers the applicant's templates
from garita.messaging import templates
from garita.notify.wording import DIRECTIONS


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _ids() -> set[str]:
    ids = {DIRECTIONS}
    for t in templates.registered().values():
        if not t.name.startswith("test."):
            ids |= {t.subject, t.body, t.short}
    return ids


@pytest.mark.parametrize("language", templates.LANGUAGES)
def test_every_template_is_translated(language):
    with templates.po_path(language).open("rb") as f:
        catalog = read_po(f, locale=language)
    ids = _ids()
    assert len(ids) >= 30
    for msgid in ids:
        message = catalog.get(msgid)
        assert message is not None and message.string, f"{language}: missing {msgid!r}"
        assert not message.fuzzy, f"{language}: fuzzy {msgid!r}"
        assert _fields(message.string) == _fields(msgid), f"{language}: fields of {msgid!r}"
        if language != "en":
            assert message.string != msgid, f"{language}: copied {msgid!r}"


def test_sms_texts_stay_short():
    """An SMS text of at most ~2 segments once filled with typical values."""
    sample = {"reference": "123456", "port": "San Ysidro (PedWest) · Tijuana",
              "date": "13 de septiembre de 2024", "day": "10 de septiembre de 2024",
              "port_time": "7:00", "deadline": "12 sept 2024 9:00, Ciudad Juárez",
              "link": "https://garita.example/me/offers/123456/confirm",
              "notice": "https://garita.example/me/offers/123456/notice",
              "results": "11 sept 2024 10:00, Ciudad Juárez", "bus": "TAP-2024-09-10-1",
              "place": "INM, Tapachula", "departs": "10 sept 2024 8:00, Ciudad de México",
              "hub_zone": "Ciudad de México", "address": "Virginia Avenue, San Ysidro, CA 92173",
              "count": "1", "hub": "Tapachula", "port_zone": "Los Ángeles",
              "your_time": "8:00", "your_zone": "Ciudad Juárez", "directions": "-",
              "code": "123456", "hours": "24", "minutes": "30", "min_age": "14"}
    for language in templates.LANGUAGES:
        for name in templates.registered():
            if name.startswith("test."):
                continue
            short = templates.render(name, language, sample).short
            assert len(short) <= 306, (language, name, len(short))
