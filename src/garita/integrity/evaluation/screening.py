"""Screening figures: listed people under realistic variations, and innocent people.

Listed queries come from a real list's individuals (each name varied one
way at a time: accents, order, a surname dropped, a typo, a transliteration,
middle names dropped), with the list's date of birth and nationality when
it gives them. The innocent are :func:`people.population`'s registrations.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from garita.integrity.evaluation.people import population
from garita.integrity.evaluation.variants import Name, respell, typo

ACCENTED = {"jose": "José", "maria": "María", "jesus": "Jesús", "angel": "Ángel",
            "ramon": "Ramón", "joaquin": "Joaquín", "hector": "Héctor", "ivan": "Iván",
            "martin": "Martín", "gonzalez": "González", "hernandez": "Hernández",
            "garcia": "García", "ramirez": "Ramírez", "perez": "Pérez", "lopez": "López",
            "martinez": "Martínez", "rodriguez": "Rodríguez", "sanchez": "Sánchez",
            "gomez": "Gómez", "diaz": "Díaz", "fernandez": "Fernández", "gutierrez": "Gutiérrez",
            "alvarez": "Álvarez", "jimenez": "Jiménez", "nunez": "Núñez", "munoz": "Muñoz",
            "andres": "Andrés", "oscar": "Óscar", "raul": "Raúl", "ruben": "Rubén",
            "simon": "Simón", "adrian": "Adrián", "sebastian": "Sebastián", "julian": "Julián"}


@dataclass(frozen=True)
class Listed:
    """One listed individual: list id, given and family parts, dates, countries."""

    entry: int
    given: tuple[str, ...]
    family: tuple[str, ...]
    dates_of_birth: tuple[str, ...]
    countries: tuple[str, ...]


def _accents(n: Name, rng: random.Random) -> Name | None:
    words = [ACCENTED.get(w.lower(), w) for w in n.given + n.family]
    if words == list(n.given + n.family):
        return None
    return Name(tuple(words[:len(n.given)]), tuple(words[len(n.given):]), n.dob)


def _order(n: Name, rng: random.Random) -> Name | None:
    return Name(n.family, n.given, n.dob)


def _surname_dropped(n: Name, rng: random.Random) -> Name | None:
    return Name(n.given, n.family[:-1], n.dob) if len(n.family) > 1 else None


def _middle_dropped(n: Name, rng: random.Random) -> Name | None:
    return Name(n.given[:1], n.family, n.dob) if len(n.given) > 1 else None


def _transliterated(n: Name, rng: random.Random) -> Name | None:
    words = list(n.given + n.family)
    order = list(range(len(words)))
    rng.shuffle(order)
    for i in order:
        other = respell(words[i], rng)
        if other and other.lower() != words[i].lower():
            words[i] = other
            return Name(tuple(words[:len(n.given)]), tuple(words[len(n.given):]), n.dob)
    return None


VARIATIONS: dict[str, Callable[[Name, random.Random], Name | None]] = {
    "as listed": lambda n, rng: n, "accents": _accents, "order swapped": _order,
    "one surname dropped": _surname_dropped, "typo": typo, "transliteration": _transliterated,
    "middle names dropped": _middle_dropped,
}


def _date(listed: tuple[str, ...], rng: random.Random) -> dt.date | None:
    """The person's real date: the listed one, or a day in the listed year."""
    full = [d for d in listed if len(d) == 10]
    if full:
        return dt.date.fromisoformat(full[0])
    years = [int(d[:4]) for d in listed if d[:4].isdigit()]
    return dt.date(years[0], 1, 1) + dt.timedelta(days=rng.randrange(365)) if years else None


def listed_queries(people: list[Listed], seed: int = 1, sample: int | None = None,
                   ) -> list[tuple[str, int, str, dt.date | None, str | None]]:
    """(variation, entry, name as registered, date of birth, nationality) per applicable change."""
    rng = random.Random(seed)
    chosen = people if sample is None else rng.sample(people, min(sample, len(people)))
    out = []
    for p in chosen:
        dob = _date(p.dates_of_birth, rng)
        base = Name(p.given, p.family, dob)
        nat = p.countries[0] if p.countries else None
        for kind, change in VARIATIONS.items():
            varied = change(base, rng)
            if varied is not None:
                out.append((kind, p.entry, f"{varied.given_text} {varied.family_text}",
                            dob, nat))
    return out


def innocents(n: int, seed: int = 2) -> list[tuple[str, str, dt.date, str]]:
    """(origin, name, date of birth, nationality) of ``n`` people on no list."""
    df = population(n, seed=seed, duplicate_rate=0.0)
    return [(o, f"{g} {f}", d, nat) for o, g, f, d, nat in df.select(
        "origin", "given_names", "family_names", "date_of_birth", "nationality").iter_rows()]


def rates(flags: list[tuple[str, bool]]) -> dict[str, tuple[int, int]]:
    """(alerted, total) per group from (group, alerted) pairs, with 'all'."""
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for group, alerted in flags:
        for g in (group, "all"):
            total[g] += 1
            hit[g] += alerted
    return {g: (hit[g], total[g]) for g in sorted(total)}
