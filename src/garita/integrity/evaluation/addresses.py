"""U.S. destination addresses as people type them: one place, many spellings.

A canonical address is (number, directional, street-name forms, street type,
unit designator forms, unit id, ZIP); :func:`written` picks one form of each
part, a letter case, where the unit goes (its own field or the street line)
and whether the ZIP has its +4. The seven ring addresses carry the spellings
the outside evaluation found splitting rings: Jr/Junior, MLK/M L King,
Fifth/5th, #3-B/3B, Saint/St, US Highway 83/US-83, Lot as a unit, N.E./N E.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DIRECTIONS = {"": ("",), "N": ("N", "N.", "North"), "S": ("S", "S.", "South"),
              "E": ("E", "E.", "East"), "W": ("W", "W.", "West"),
              "NE": ("NE", "N.E.", "N E", "Northeast"), "SW": ("SW", "S.W.", "S W", "Southwest")}
TYPES = {"": ("",), "ST": ("St", "St.", "Street", "Str"), "AVE": ("Ave", "Ave.", "Avenue", "Av"),
         "BLVD": ("Blvd", "Blvd.", "Boulevard"), "DR": ("Dr", "Dr.", "Drive"),
         "RD": ("Rd", "Road"), "LN": ("Ln", "Lane"), "CT": ("Ct", "Court"),
         "PKWY": ("Pkwy", "Parkway"), "CIR": ("Cir", "Circle")}
UNITS = {"": ("",), "APT": ("Apt {}", "Apt. {}", "#{}", "# {}", "Apartment {}", "Unit {}"),
         "LOT": ("Lot {}", "Lot #{}", "LOT {}"), "STE": ("Ste {}", "Suite {}", "#{}")}


@dataclass(frozen=True)
class Address:
    number: str
    direction: str
    names: tuple[str, ...]  # the ways the street's name is written
    kind: str
    unit_kind: str = ""
    unit_ids: tuple[str, ...] = ("",)  # the ways the unit's id is written
    zip5: str = "77002"


RING_ADDRESSES = (
    Address("1510", "", ("Martin Luther King Jr", "MLK Jr", "M L King Junior",
                         "Martin Luther King Junior", "M.L.K. Jr."), "BLVD", "APT",
            ("3B", "3-B"), "77004"),
    Address("245", "", ("Fifth", "5th"), "AVE", "APT", ("12",), "10016"),
    Address("88", "", ("Saint Charles", "St. Charles", "St Charles"), "ST", "", ("",), "70130"),
    Address("4201", "", ("US Highway 83", "US-83", "U.S. Hwy 83", "US Hwy 83"), "", "LOT",
            ("17",), "78572"),
    Address("310", "NE", ("2nd", "Second"), "ST", "", ("",), "33132"),
    Address("77", "W", ("Oak",), "AVE", "APT", ("4",), "85003"),
    Address("1200", "S", ("Main",), "ST", "STE", ("12",), "90015"),
)
STREETS = (("Oak",), ("Pine",), ("Maple",), ("Cedar",), ("Washington",), ("Lincoln",),
           ("Sunset",), ("Park",), ("Lake",), ("Hill",), ("Third", "3rd"), ("Fourth", "4th"),
           ("Tenth", "10th"), ("Saint Mary", "St. Mary", "St Mary"), ("Cesar Chavez",),
           ("Palm",), ("Mesquite",), ("Alameda",), ("Rio Grande",), ("Magnolia",),
           ("Jefferson",), ("Madison",), ("Franklin",), ("Highland",), ("Bell",))


def random_address(rng: random.Random) -> Address:
    """A plausible address nobody else in the population is likely to share."""
    unit = rng.choice(("", "", "APT", "APT", "LOT", "STE"))
    ident = f"{rng.randint(1, 40)}{rng.choice(('', '', 'A', 'B'))}"
    ids = (ident, f"{ident[:-1]}-{ident[-1]}") if ident[-1].isalpha() else (ident,)
    return Address(str(rng.randint(100, 29999)), rng.choice(("", "", "", "N", "S", "E", "W")),
                   rng.choice(STREETS), rng.choice([k for k in TYPES if k]), unit,
                   ids if unit else ("",), f"{rng.randint(70000, 99999)}")


def written(a: Address, rng: random.Random) -> tuple[str, str | None, str]:
    """(street line, unit field or None, ZIP) as one person might type them."""
    parts = [a.number, rng.choice(DIRECTIONS[a.direction]), rng.choice(a.names),
             rng.choice(TYPES[a.kind])]
    street = " ".join(p for p in parts if p)
    unit = rng.choice(UNITS[a.unit_kind]).format(rng.choice(a.unit_ids)) if a.unit_kind else ""
    case = rng.random()
    if case < 0.2:
        street, unit = street.upper(), unit.upper()
    elif case < 0.3:
        street, unit = street.lower(), unit.lower()
    zip_ = a.zip5 + (f"-{rng.randint(1000, 9999)}" if rng.random() < 0.2 else "")
    if unit and rng.random() < 0.4:  # the unit typed on the street line
        return f"{street}{rng.choice((' ', ', '))}{unit}", None, zip_
    return street, unit or None, zip_
