"""Rings: address keys agree with usaddress; the planted address and contacts are found."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import usaddress

from garita.integrity.rings import SUFFIXES, Thresholds, keyed, rings, shared_attributes
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


@pytest.mark.parametrize(("street", "unit", "zip_"), VARIANTS)
def test_key_agrees_with_usaddress(street: str, unit: str | None, zip_: str) -> None:
    """The bulk key's parts are what usaddress labels, abbreviated the USPS way."""
    parts, _ = usaddress.tag(f"{street} {unit or ''}".strip())
    word = lambda v: "".join(c for c in v.upper() if c.isalnum())  # noqa: E731
    street_parts = [parts.get(k) for k in ("AddressNumber", "StreetNamePreDirectional",
                                           "StreetName", "StreetNamePostType")]
    expected = " ".join(SUFFIXES.get(word(p), word(p)) for p in street_parts if p)
    unit_id = word(parts.get("OccupancyIdentifier", ""))
    got = keyed(_frame([(street, unit, zip_)]))["addr_key"][0]
    assert got == f"{expected}|{unit_id}|{zip_[:5]}"


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
