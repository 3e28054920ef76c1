"""Message templates: a subject, an email body and a short text (SMS, WhatsApp), each a
gettext message id with ``{named}`` fields, translated in the messaging catalogue
(``messaging/locale/<lang>/LC_MESSAGES/messages.po``, compiled in memory on first use).

A feature adds its templates with :func:`register` at import time and its sentences to
the catalogue (``pybabel extract`` over its package, then ``update``, see
docs/notifications.md). A message names no one and carries no date of birth: the text
says what happened and links to the signed-in page for the rest.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Formatter

from garita.web.i18n import compile_po

LANGUAGES = ("en", "es", "ht", "pt", "ru")
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a sentence for extraction; translated when the message is rendered."""
    return message


@dataclass(frozen=True)
class Template:
    name: str
    subject: str
    body: str
    short: str
    # Fields that are credentials (a code, a link holding a token): kept in the outbox
    # row only while the message may still be sent (``messaging.core.without_secrets``).
    secrets: tuple[str, ...] = ()

    def fields(self) -> set[str]:
        return {f for text in (self.subject, self.body, self.short)
                for _, f, _, _ in Formatter().parse(text) if f}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    short: str


_TEMPLATES: dict[str, Template] = {}


def register(*templates: Template) -> None:
    """Add templates; registering the same name with other text is a programming error."""
    for t in templates:
        known = _TEMPLATES.get(t.name)
        if known is not None and known != t:
            raise ValueError(f"message template {t.name!r} is already registered with other text")
        _TEMPLATES[t.name] = t


def get(name: str) -> Template:
    try:
        return _TEMPLATES[name]
    except KeyError:
        raise ValueError(f"no message template {name!r}; register it first "
                         f"(known: {', '.join(sorted(_TEMPLATES))})") from None


def registered() -> dict[str, Template]:
    return dict(_TEMPLATES)


def po_path(language: str):
    return resources.files("garita.messaging") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.GNUTranslations:
    if language not in LANGUAGES:
        raise ValueError(f"no message catalogue for {language!r}; use one of {LANGUAGES}")
    return compile_po(po_path(language), language, DOMAIN)


def gettext_for(language: str):
    return translations(language).gettext


def render(name: str, language: str, params: dict[str, object]) -> Rendered:
    """The template in ``language`` with ``params`` filled in (a missing field is a
    ValueError naming it, before anything is stored)."""
    template = get(name)
    missing = template.fields() - params.keys()
    if missing:
        raise ValueError(f"message {name!r} needs the fields {', '.join(sorted(missing))}")
    _ = gettext_for(language)
    values = {k: ("" if v is None else v) for k, v in params.items()}
    return Rendered(subject=_(template.subject).format_map(values),
                    body=_(template.body).format_map(values),
                    short=_(template.short).format_map(values))
