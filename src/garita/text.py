"""Text people type, made safe to store and compare: one Unicode form, nothing invisible.

Infrastructure for every feature's schemas. ``Text`` is a ``str`` field that is
normalised to NFC (a name typed with a combining accent and one typed with the
precomposed letter are the same name, and compare equal in screening and
duplicate search) and refuses: NUL (PostgreSQL cannot store it and SQLite stored
it silently), other control characters, and text with no visible character at all
(only zero-width or formatting marks), each with a message that says what to fix.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

# Characters that show nothing: controls, format marks (zero-width space/joiners, BOM,
# direction marks), separators, and combining marks with no letter to sit on.
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def clean(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL character (\\x00); remove it")
    control = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        raise ValueError(f"contains a control character (U+{ord(control):04X}); remove it")
    value = unicodedata.normalize("NFC", value)
    if not any(unicodedata.category(c) not in _INVISIBLE for c in value):
        raise ValueError("has no visible character; type the text itself")
    return value


Text = Annotated[str, AfterValidator(clean)]


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, or a
# tab or carriage return before one of them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell as text a spreadsheet shows rather than runs: a leading ``'`` before
    a formula character. Numbers, dates and other non-text values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def normalise_name(name: str) -> str:
    """A name as screening and duplicate checks compare it: transliterated (anyascii),
    lower-case, punctuation dropped, spaces collapsed; 'LAST, First' order is kept.

    ``"José-María  O'Neil"`` → ``"jose maria oneil"``.
    """
    from anyascii import anyascii  # small and pure Python, but only some routes need it

    text = anyascii(name).lower().replace("-", " ").replace("'", "")
    return " ".join(_NON_WORD.sub(" ", text).split())
