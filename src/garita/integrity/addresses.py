"""U.S. addresses to USPS Publication 28 forms, in bulk, for ring detection.

The standard's tables — street suffixes (Pub 28 appendix C1), directionals,
secondary unit designators (C2) — come from ``usaddress-scourgify``, which
standardises one address at a time through usaddress (~150 µs an address:
150 s for a million). Ring detection needs a million keys in seconds, so
the same tables are applied here as vectorised Polars rules, and a test
holds this bulk key to scourgify's own standardisation of the same
addresses. :func:`standard` calls scourgify for the few addresses an
analyst reads in the evidence.

Beyond Pub 28's tables, spellings that split rings in the outside
evaluation get one form each: ordinal words (FIFTH → 5TH), SAINT → ST,
JUNIOR → JR, MLK / M L K / M L KING → MARTIN LUTHER KING, U S / US- / US
HIGHWAY → US HWY, N E → NE, and a unit's id without its designator or
hyphen (#3-B, APT 3B, UNIT 3-B → 3B; LOT is a designator).
"""

from __future__ import annotations

import polars as pl
from scourgify.address_constants import (
    DIRECTIONAL_REPLACEMENTS,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

ORDINALS = {w: f"{i}{'TH' if 10 <= i % 100 <= 20 else {1: 'ST', 2: 'ND', 3: 'RD'}.get(i % 10, 'TH')}"
            for i, w in enumerate(
                "FIRST SECOND THIRD FOURTH FIFTH SIXTH SEVENTH EIGHTH NINTH TENTH ELEVENTH "
                "TWELFTH THIRTEENTH FOURTEENTH FIFTEENTH SIXTEENTH SEVENTEENTH EIGHTEENTH "
                "NINETEENTH TWENTIETH".split(), 1)}
# one word → its standard form: Pub 28 suffixes and directionals, ordinals, honorifics
WORDS = {**{k: v for k, v in STREET_TYPE_ABBREVIATIONS.items() if " " not in k},
         **DIRECTIONAL_REPLACEMENTS, **ORDINALS, "SAINT": "ST", "JUNIOR": "JR", "SENIOR": "SR",
         "HIGHWAY": "HWY", "INTERSTATE": "I"}
DESIGNATORS = sorted({*OCCUPANCY_TYPE_ABBREVIATIONS, *OCCUPANCY_TYPE_ABBREVIATIONS.values(),
                      "NO", "NUMBER", "APT", "STE", "RM", "SPC", "TRLR"} - {"#", "KEY", "SIDE",
                                                                          "FRONT", "REAR",
                                                                          "LOWER", "UPPER",
                                                                          "STOP", "PIER"},
                     key=len, reverse=True)
_UNIT = rf"(?:{'|'.join(DESIGNATORS)})"
_PHRASES = (  # after WORDS: several words that are one name
    (r"\b(?:M L K|MLK|M L KING|MARTIN L KING|MARTIN LUTHER KING)\b", "MARTIN LUTHER KING"),
    (r"\bU S\b", "US"),
    (r"\bUS (?:HWY |RTE |ROUTE )?(\d+)\b", "US HWY $1"),
    (r"\b([NS]) ([EW])\b", "$1$2"),
)


def _clean(expr: pl.Expr) -> pl.Expr:
    """Upper case; dots dropped (N.E. → NE, U.S. → US); other punctuation → space."""
    return (expr.fill_null("").str.to_uppercase().str.replace_all(r"\.", "")
            .str.replace_all(r"[^A-Z0-9# ]", " ").str.replace_all(r"\s+", " ").str.strip_chars())


def _unit_id(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"[#\s-]", "")


def street_and_unit(street: pl.Expr, unit: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(standard street line, unit id) from the street line and the unit field."""
    raw = (street.fill_null("").str.to_uppercase().str.replace_all(r"\.", "")
           .str.replace_all(r"(\w)-(\w)", "$1 $2")  # US-83, 3-B before the hyphen goes
           )
    s = _clean(raw)
    tail = rf"(?:\s{_UNIT}\s*#?\s*|\s?#\s*)([A-Z0-9]+(?: ?[A-Z](?:\b|$))?)$"
    embedded = s.str.extract(tail, 1)
    s = s.str.replace(tail, "")
    s = s.str.split(" ").list.eval(pl.element().replace(WORDS)).list.join(" ")
    for pattern, to in _PHRASES:
        s = s.str.replace_all(pattern, to)
    u = _clean(unit).str.replace(rf"^{_UNIT}\b\s*", "")
    u = _unit_id(pl.when(u.str.replace_all(r"[#\s]", "") == "").then(embedded.fill_null(""))
                 .otherwise(u))
    return s, u


def address_key(street: pl.Expr, unit: pl.Expr, zip_: pl.Expr) -> pl.Expr:
    """'55 W. Oak Avenue' + 'Unit #4B' + '77002-1234' → '55 W OAK AVE|4B|77002'."""
    s, u = street_and_unit(street, unit)
    return pl.concat_str([s, u, zip_.fill_null("").str.slice(0, 5)], separator="|")


def standard(street: str, unit: str | None, city: str = "", state: str = "",
             zip_: str = "") -> dict:
    """One address as scourgify standardises it (Pub 28), or why it could not."""
    from scourgify import normalize_address_record
    from scourgify.exceptions import AddressNormalizationError

    line = ", ".join(x for x in (street, unit or "", city or "ANYTOWN", state or "TX",
                                 zip_ or "00000") if x)
    try:
        out = normalize_address_record(line)
    except (AddressNormalizationError, ValueError) as exc:
        return {"standard": None, "why": str(exc)[:200]}
    return {"standard": " ".join(x for x in (out["address_line_1"], out["address_line_2"])
                                 if x)}
