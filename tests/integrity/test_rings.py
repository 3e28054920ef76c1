"""Rings: address keys are USPS Pub 28 forms (as scourgify gives); rings and contacts are found."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest

from garita.integrity.evaluation.addresses import RING_ADDRESSES, random_address, written
from garita.integrity.rings import Thresholds, keyed, rings, shared_attributes
from garita.integrity.synth import population

VARIANTS = [("55 W. Oak Avenue", "Unit #4B", "77002-1234"), ("55 w oak ave apt 4b", None, "77002"),
            ("55 West Oak Ave", "# 4B", "77002"), ("55 WEST OAK AVE., APARTMENT 4B", "", "77002")]


def _frame(streets: list[tuple], **cols: list) -> pl.DataFrame:
    n = len(streets)
    base = {"person_id": list(range(1, n + 1)), "registration_id": list(range(1, n + 1)),
            "family_names": [f"Family{i}" for i in range(n)],
            "us_street": [s[0] for s in streets], "us_unit": [s[1] for s in streets],
            "us_zip": [s[2] for s in streets], "phone": [f"+1 555 000 {i:04d}" for i in range(n)],
            "email": [f"p{i}@example.org" for i in range(n)],
            "registered_at": [dt.datetime(2024, 1, 1 + i % 28, tzinfo=dt.UTC) for i in range(n)],
            "port": ["SYS", "ELP", None, "BRO"] * (n // 4) + ["HID"] * (n % 4)}
    base.update(cols)
    return pl.DataFrame(base)


def test_spellings_of_one_address_share_a_key() -> None:
    keys = keyed(_frame(VARIANTS))["addr_key"].unique().to_list()
    assert keys == ["55 W OAK AVE|4B|77002"]


def _written(n: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    picks = [*RING_ADDRESSES, *(random_address(rng) for _ in range(n))]
    return [written(a, rng) for a in picks for _ in range(3)]


def test_bulk_key_is_what_scourgify_standardises() -> None:
    """Standardising an address with usaddress-scourgify first (USPS Pub 28) leaves its
    bulk key unchanged: the vectorised rules apply the same standard."""
    from scourgify import normalize_address_record

    raw = _written(60, seed=4)
    std = []
    for street, unit, zip_ in raw:
        out = normalize_address_record(f"{street}, {unit or ''}, Anytown, TX {zip_}"
                                       .replace(", ,", ","))
        std.append((out["address_line_1"], out["address_line_2"], out["postal_code"]))
    assert keyed(_frame(raw))["addr_key"].to_list() == keyed(_frame(std))["addr_key"].to_list()


def test_the_seven_ring_addresses_each_in_several_spellings_are_seven_keys() -> None:
    rng = random.Random(9)
    rows = [written(a, rng) for a in RING_ADDRESSES for _ in range(30)]
    assert len({r[:2] for r in rows}) >= 7 * 3  # at least three spellings each
    keys = keyed(_frame(rows))["addr_key"].to_list()
    assert len(set(keys)) == 7
    assert "1510 MARTIN LUTHER KING JR BLVD|3B|77004" in keys
    assert "4201 US HWY 83|17|78572" in keys and "310 NE 2ND ST||33132" in keys


@pytest.mark.parametrize(("street", "unit", "key"), [
    ("1510 MLK Jr Blvd", "#3-B", "1510 MARTIN LUTHER KING JR BLVD|3B|"),
    ("1510 M L King Junior Boulevard Apt 3B", None, "1510 MARTIN LUTHER KING JR BLVD|3B|"),
    ("245 Fifth Ave", None, "245 5TH AVE||"), ("245 5th Avenue", "", "245 5TH AVE||"),
    ("88 Saint Charles St", None, "88 ST CHARLES ST||"),
    ("88 St. Charles Street", None, "88 ST CHARLES ST||"),
    ("4201 US-83 Lot 17", None, "4201 US HWY 83|17|"),
    ("4201 U.S. Highway 83", "Lot #17", "4201 US HWY 83|17|"),
    ("310 N.E. 2nd St", None, "310 NE 2ND ST||"), ("310 N E Second Street", None, "310 NE 2ND ST||"),
])
def test_spellings_the_outside_evaluation_found_splitting(street: str, unit: str | None,
                                                          key: str) -> None:
    assert keyed(_frame([(street, unit, "")]))["addr_key"][0] == key


def test_planted_address_found_with_count_surnames_ports_dates() -> None:
    df = population(30_000, seed=3)
    planted = df.filter(pl.col("planted_ring"))
    flagged = shared_attributes(df, Thresholds())["address"]
    assert flagged.height == 1
    row = flagged.row(0, named=True)
    assert row["people"] == planted.height
    assert row["surname_count"] >= 12
    assert set(row["ports"]) == set(planted["port"].unique())
    assert row["first"] == planted["registered_at"].min()


def test_shared_phone_and_email_and_ring() -> None:
    streets = [(f"{i} Elm St", None, "10001") for i in range(12)]
    phones = ["+1 (555) 111-2222"] * 6 + [f"555 999 {i:04d}" for i in range(6)]
    emails = [f"p{i}@x.org" for i in range(6)] + [f"Broker+{i}@Mail.com" for i in range(6)]
    df = _frame(streets, phone=phones, email=emails)
    t = Thresholds(min_registrations=5, min_contact_surnames=3, min_ring=5)
    shared = shared_attributes(df, t)
    assert shared["phone"]["registration_count"].to_list() == [6]
    assert shared["email"]["email_key"].to_list() == ["broker@mail.com"]
    ring = rings(df, t)
    assert ring["size"].to_list() == [6, 6]
    assert ring["phones"].to_list() in ([1, 6], [6, 1])
