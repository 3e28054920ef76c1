"""A multinational population of registrations with planted re-registrations and rings.

Every row carries the truth: ``identity`` (same person = same value),
``origin``, ``changes`` (the changes a re-registration carries, '' for an
original) and ``planted_ring`` (the ring's number, or -1). Same arguments,
same frame.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

import polars as pl

from garita.integrity.evaluation import pools
from garita.integrity.evaluation.addresses import RING_ADDRESSES, random_address, written
from garita.integrity.evaluation.translit import patronymic, spellings
from garita.integrity.evaluation.variants import DUPLICATE_CHANGES, Name
from garita.policy.ports import PORT_CODES

PORTS = PORT_CODES  # the one table of ports (garita.policy.ports)


def _pick(rng: random.Random, weighted: Mapping[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _dob(rng: random.Random, adult: bool = True) -> dt.date:
    age = rng.randint(18, 70) if adult else rng.randint(0, 17)
    return dt.date(2024 - age, 1, 1) + dt.timedelta(days=rng.randrange(365))


def make_name(origin: str, rng: random.Random, female: bool, dob: dt.date) -> Name:
    """One person's name as they would write it first, in their origin's usual form."""
    if origin == "latin_american":
        table = pools.LATAM_GIVEN_F if female else pools.LATAM_GIVEN_M
        given = rng.choice(list(table)).split()
        if rng.random() < 0.3 and len(given) == 1:
            given.append(rng.choice(list(table)).split()[0])
        first = (rng.choice(pools.LATAM_PARTICLES) if rng.random() < 0.05
                 else rng.choice(pools.LATAM_FAMILY))
        family = [*first.split(), rng.choice(pools.LATAM_FAMILY)]
    elif origin == "haitian":
        given = [rng.choice(pools.HAITI_GIVEN)]
        family = [rng.choice(pools.HAITI_FAMILY)]
    elif origin == "russian":
        cyrillic = pools.RUSSIA_GIVEN_F if female else pools.RUSSIA_GIVEN_M
        scheme = rng.randrange(4)
        pick = lambda w: spellings(w)[min(scheme, len(spellings(w)) - 1)]  # noqa: E731
        given = [pick(rng.choice(cyrillic))]
        if rng.random() < 0.5:
            given.append(pick(patronymic(rng.choice(pools.RUSSIA_GIVEN_M), female)))
        fam = rng.choice(pools.RUSSIA_FAMILY)
        family = [pick(fam + ("а" if female and fam.endswith(("ов", "ёв", "ев", "ин")) else ""))]
    elif origin == "chinese":
        fam = rng.choice(list(pools.CHINA_FAMILY))
        syl = rng.sample(pools.CHINA_SYLLABLES, 2)
        given = ["".join(syl).capitalize() if rng.random() < 0.7 else syl[0].capitalize()]
        family = [fam]
    else:  # arabic_afghan
        table = pools.ARABIC_GIVEN_F if female else pools.ARABIC_GIVEN_M
        g = rng.choice(list(table))
        given = [rng.choice((g, *table[g]))] if table[g] else [g]
        if not female and rng.random() < 0.3:
            given.append(rng.choice(list(pools.ARABIC_GIVEN_M)))
        f = rng.choice(list(pools.ARABIC_FAMILY))
        family = [rng.choice((f, *pools.ARABIC_FAMILY[f]))]
        given = " ".join(given).split()
    return Name(tuple(given), tuple(family), dob, origin)


def _changed(name: Name, k: int, rng: random.Random) -> tuple[Name, list[str]]:
    """``name`` with ``k`` different changes that apply to it (fewer if fewer apply)."""
    kinds = list(DUPLICATE_CHANGES)
    rng.shuffle(kinds)
    done: list[str] = []
    for kind in kinds:
        if len(done) == k:
            break
        other = DUPLICATE_CHANGES[kind](name, rng)
        if other is not None and other != name:
            name, done = other, [*done, kind]
    return name, done


def population(n: int, seed: int = 1, duplicate_rate: float = 0.1,
               ring_people: int = 0, small_rings: int = 0) -> pl.DataFrame:
    """``n`` people (families share a registration), duplicates and rings planted on top.

    ``duplicate_rate`` of identities re-register once with 1-3 changes (weights
    0.5, 0.3, 0.2); ``ring_people`` people spread over the 7 ring addresses,
    each written in several ways; ``small_rings`` rings of 8-20 registrations at
    one further address each.
    """
    rng = random.Random(seed)
    share = {o: s for o, (s, _) in pools.ORIGINS.items()}
    rows: list[dict] = []
    reg_id = 0
    base = dt.datetime(2024, 3, 4, tzinfo=dt.UTC)

    def add(name: Name, identity: int, reg: int, sex: str, nat: str, addr: tuple,
            phone: str, email: str, changes: str, ring: int) -> None:
        street, unit, zip_ = addr
        rows.append({"person_id": len(rows) + 1, "registration_id": reg,
                     "given_names": name.given_text, "family_names": name.family_text,
                     "date_of_birth": name.dob, "nationality": nat, "sex": sex,
                     "us_street": street, "us_unit": unit, "us_zip": zip_, "phone": phone,
                     "email": email, "registered_at": base + dt.timedelta(minutes=reg * 7),
                     "port": PORTS[reg % 8], "identity": identity, "origin": name.origin,
                     "changes": changes, "planted_ring": ring})

    identity = 0
    people: list[tuple[Name, int, str, str]] = []
    while len(rows) < n:
        reg_id += 1
        origin = _pick(rng, share)
        nat = _pick(rng, pools.ORIGINS[origin][1])
        addr = written(random_address(rng), rng)
        phone, email = f"+1{rng.randrange(10**9, 10**10)}", f"r{reg_id}@mail.test"
        for member in range(1 if rng.random() < 0.6 else rng.randint(2, 5)):
            identity += 1
            female = rng.random() < 0.5
            name = make_name(origin, rng, female, _dob(rng, adult=member < 2))
            add(name, identity, reg_id, "F" if female else "M", nat, addr, phone, email, "", -1)
            people.append((name, identity, "F" if female else "M", nat))
    for name, ident, sex, nat in rng.sample(people, int(len(people) * duplicate_rate)):
        reg_id += 1
        other, done = _changed(name, rng.choices((1, 2, 3), (0.5, 0.3, 0.2))[0], rng)
        if not done:
            continue
        addr = written(random_address(rng), rng)
        add(other, ident, reg_id, sex, nat, addr, f"+1{rng.randrange(10**9, 10**10)}",
            f"r{reg_id}@mail.test", ",".join(done), -1)
    plans = [(i, a, ring_people // len(RING_ADDRESSES)) for i, a in enumerate(RING_ADDRESSES)
             if ring_people]
    plans += [(len(RING_ADDRESSES) + k, random_address(rng), rng.randint(8, 20))
              for k in range(small_rings)]
    for ring, canonical, regs in plans:
        left = regs if ring >= len(RING_ADDRESSES) else None
        placed = 0
        while (left is not None and placed < left) or (left is None and placed < regs):
            reg_id += 1
            origin = _pick(rng, share)
            nat = _pick(rng, pools.ORIGINS[origin][1])
            addr = written(canonical, rng)
            phone, email = f"+1{rng.randrange(10**9, 10**10)}", f"r{reg_id}@mail.test"
            size = 1 if left is not None else rng.randint(1, 4)
            for _ in range(size):
                identity += 1
                female = rng.random() < 0.5
                add(make_name(origin, rng, female, _dob(rng)), identity, reg_id,
                    "F" if female else "M", nat, addr, phone, email, "", ring)
            placed += 1 if left is not None else size
    return pl.DataFrame(rows, infer_schema_length=None)
