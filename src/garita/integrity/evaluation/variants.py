"""How the same person comes out different on a second form: one function per change.

Each change takes a name record (given parts, family parts, date of birth)
and a random generator, and returns the changed record, or None when the
change does not apply (no nickname for this name, day > 12 for a day/month
swap). Families of changes follow the issue's list: hypocorisms, compound
surnames split or joined, given and family fields swapped, day/month swapped,
year digits transposed, typos, transliteration, accents, middle names dropped.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, replace

from garita.integrity.evaluation import pools


@dataclass(frozen=True)
class Name:
    given: tuple[str, ...]
    family: tuple[str, ...]
    dob: dt.date | None
    origin: str = ""

    @property
    def given_text(self) -> str:
        return " ".join(self.given)

    @property
    def family_text(self) -> str:
        return " ".join(self.family)


def _alternatives() -> dict[str, tuple[str, ...]]:
    """Every spelling → the other spellings of the same name (both directions)."""
    groups: list[tuple[str, ...]] = []
    for table in (pools.ARABIC_GIVEN_M, pools.ARABIC_GIVEN_F, pools.ARABIC_FAMILY,
                  pools.CHINA_FAMILY):
        groups += [(k, *v) for k, v in table.items() if v]
    out: dict[str, set[str]] = {}
    for g in groups:
        for a in g:
            out.setdefault(a.lower(), set()).update(x for x in g if x != a)
    return {k: tuple(sorted(v)) for k, v in out.items()}


SPELLINGS = _alternatives()
NICKNAMES = {k.lower(): v for k, v in {**pools.LATAM_GIVEN_M, **pools.LATAM_GIVEN_F}.items()
             if v}
# spelling habits seen across transliterations when no table knows the word
GENERIC = (("kh", "h"), ("ou", "u"), ("ee", "i"), ("y", "i"), ("ph", "f"), ("q", "k"),
           ("dj", "j"), ("sch", "sh"), ("ck", "k"), ("v", "w"), ("oo", "u"), ("ie", "i"))


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def nickname(n: Name, rng: random.Random) -> Name | None:
    full = n.given_text.lower()
    if full in NICKNAMES:
        return replace(n, given=(rng.choice(NICKNAMES[full]),))
    for i, g in enumerate(n.given):
        if g.lower() in NICKNAMES:
            return replace(n, given=(*n.given[:i], rng.choice(NICKNAMES[g.lower()]),
                                     *n.given[i + 1:]))
    return None


def surname_dropped(n: Name, rng: random.Random) -> Name | None:
    if len(n.family) < 2 or n.family[0].lower() in ("de", "del"):
        return None
    return replace(n, family=n.family[:1])


def surname_joined(n: Name, rng: random.Random) -> Name | None:
    """'González Pérez' → 'González-Pérez'; 'De la Cruz' → 'Delacruz'; 'Jean-Louis' → 'Jean Louis'."""
    if len(n.family) == 1 and "-" in n.family[0]:
        return replace(n, family=tuple(n.family[0].split("-")))
    if len(n.family) < 2:
        return None
    if n.family[0].lower() in ("de", "del"):
        return replace(n, family=("".join(n.family).capitalize(),))
    return replace(n, family=("-".join(n.family[:2]), *n.family[2:]))


def fields_swapped(n: Name, rng: random.Random) -> Name | None:
    return replace(n, given=n.family, family=n.given)


def day_month_swapped(n: Name, rng: random.Random) -> Name | None:
    d = n.dob
    if d is None or d.day > 12 or d.day == d.month:
        return None
    return replace(n, dob=dt.date(d.year, d.day, d.month))


def year_digits_transposed(n: Name, rng: random.Random) -> Name | None:
    d = n.dob
    if d is None:
        return None
    y = f"{d.year}"
    swapped = int(y[:2] + y[3] + y[2])
    if swapped == d.year or not 1900 <= swapped <= 2025:
        return None
    try:
        return replace(n, dob=d.replace(year=swapped))
    except ValueError:  # 29 February
        return None


def day_typo(n: Name, rng: random.Random) -> Name | None:
    """One digit of the day or month mistyped as a neighbouring key (24 → 25 or 14)."""
    d = n.dob
    if d is None:
        return None
    field = rng.choice(("day", "month"))
    text = f"{getattr(d, field):02d}"
    i = rng.randrange(2)
    digit = int(text[i]) + rng.choice((-1, 1))
    if not 0 <= digit <= 9:
        return None
    try:
        return replace(n, dob=d.replace(**{field: int(text[:i] + str(digit) + text[i + 1:])}))
    except ValueError:  # no such day or month
        return None


def _typo_word(w: str, rng: random.Random) -> str:
    if len(w) < 4:
        return w
    i = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # neighbouring letters swapped
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    if kind == 1:  # a letter dropped
        return w[:i] + w[i + 1:]
    return w[:i] + rng.choice("aeiourlnst") + w[i + 1:]  # a letter replaced


def typo(n: Name, rng: random.Random) -> Name | None:
    parts = [("g", i) for i in range(len(n.given))] + [("f", i) for i in range(len(n.family))]
    where, i = rng.choice(parts)
    if where == "g":
        return replace(n, given=tuple(_typo_word(w, rng) if k == i else w
                                      for k, w in enumerate(n.given)))
    return replace(n, family=tuple(_typo_word(w, rng) if k == i else w
                                   for k, w in enumerate(n.family)))


def respell(word: str, rng: random.Random) -> str | None:
    """Another transliteration of one word: a known spelling, else a generic habit."""
    known = SPELLINGS.get(word.lower())
    if known:
        return rng.choice(known)
    habits = [(a, b) for a, b in GENERIC if a in word.lower()]
    habits += [(b, a) for a, b in GENERIC if len(b) > 0 and b in word.lower()[1:]]
    if not habits:
        return None
    a, b = rng.choice(habits)
    low = word.lower()
    at = low.find(a, 1) if low.find(a) == 0 and len(low) > len(a) else low.find(a)
    if at < 0:
        at = low.find(a)
    out = low[:at] + b + low[at + len(a):]
    return out[:1].upper() + out[1:] if out else None


def transliterated(n: Name, rng: random.Random) -> Name | None:
    parts = [(g, i) for i, g in enumerate(n.given)] + [(f, -1 - i) for i, f in
                                                      enumerate(n.family)]
    rng.shuffle(parts)
    for word, i in parts:
        other = respell(word, rng)
        if other and other.lower() != word.lower():
            if i >= 0:
                return replace(n, given=(*n.given[:i], other, *n.given[i + 1:]))
            j = -1 - i
            return replace(n, family=(*n.family[:j], other, *n.family[j + 1:]))
    return None


def accents_dropped(n: Name, rng: random.Random) -> Name | None:
    plain = Name(tuple(map(strip_accents, n.given)), tuple(map(strip_accents, n.family)),
                 n.dob, n.origin)
    return plain if plain != n else None


def middle_dropped(n: Name, rng: random.Random) -> Name | None:
    return replace(n, given=n.given[:1]) if len(n.given) > 1 else None


DUPLICATE_CHANGES = {
    "nickname": nickname, "surname_dropped": surname_dropped, "surname_joined": surname_joined,
    "fields_swapped": fields_swapped, "day_month_swapped": day_month_swapped,
    "year_digits_transposed": year_digits_transposed, "date_typo": day_typo, "typo": typo,
    "transliteration": transliterated, "accents_dropped": accents_dropped,
    "middle_dropped": middle_dropped,
}
