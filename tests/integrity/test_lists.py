"""List parsing: the real OFAC trio (skipped when absent) and the plain CSV format."""

from __future__ import annotations

import pytest

from garita.integrity.lists import dates_of_birth, parse_ofac, parse_plain
from kit import SHARED_DATA

OFAC = SHARED_DATA / "ofac" / "2021-04-25"


def ofac_entries() -> list:
    if not (OFAC / "sdn.csv").exists():
        pytest.skip(f"the OFAC list is not at {OFAC} (see shared/data/SOURCES.md §2)")
    read = lambda name: (OFAC / name).read_text(encoding="latin-1")  # noqa: E731
    return parse_ofac(read("sdn.csv"), read("alt.csv"), read("add.csv"))


def test_real_ofac_counts_match_sources() -> None:
    entries = ofac_entries()
    assert len(entries) == 8890
    assert sum(e.entry_type == "individual" for e in entries) == 4566
    # 11,742 in alt.csv, 2,367 more only in sdn.csv's remarks ("a.k.a. 'PACHO'")
    assert sum(len(e.aliases) for e in entries) == 14109
    abbas = next(e for e in entries if e.ref == "2674")
    assert abbas.name == "ABBAS, Abu" and abbas.dates_of_birth == ["1948-12-10"]


def test_ofac_format_details() -> None:
    sdn = ('10,"DOE, John","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
           '"DOB 02 Jan 1970; alt. DOB circa 1971; nationality Colombia; POB Cali, Colombia."'
           '\r\n\x1a')
    alt = '10,1,"aka","DOE, Johnny","weak"\r\n\x1a'
    add = '10,5,-0- ,"Cali","Colombia",-0- \r\n\x1a'
    [e] = parse_ofac(sdn, alt, add)
    assert e.dates_of_birth == ["1970-01-02", "1971"]
    assert e.countries == ["COL"]
    assert e.aliases == [("DOE, Johnny", True)]
    assert e.program == "SDNTK"


def test_ofac_row_without_entity_number_is_refused() -> None:
    """'-0-' in the key column used to become an entry keyed None (found by mypy)."""
    sdn = '-0- ,"DOE, John","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    with pytest.raises(ValueError, match="no entity number"):
        parse_ofac(sdn)


def test_ofac_address_without_entity_number_is_ignored() -> None:
    sdn = '10,"DOE, John","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    [e] = parse_ofac(sdn, add='-0- ,5,-0- ,"Cali","Colombia",-0- \r\n')
    assert e.countries == []


@pytest.mark.parametrize(("remarks", "expected"), [
    ("DOB 10 Dec 1948;", ["1948-12-10"]),
    ("DOB 1960 to 1962;", ["1960", "1962"]),
    ("no date here", []),
])
def test_dates_of_birth(remarks: str, expected: list[str]) -> None:
    assert dates_of_birth(remarks) == expected


def test_plain_csv() -> None:
    text = ("id,name,aliases,dates_of_birth,countries\n"
            "A1,Pérez Gómez Ana,Ana Perez;La Güera,1990-04-02,VEN\n")
    [e] = parse_plain(text)
    assert [n[1] for n in e.names()] == ["perez gomez ana", "ana perez", "la guera"]
    assert e.countries == ["VEN"] and e.dates_of_birth == ["1990-04-02"]


def test_plain_csv_needs_header() -> None:
    with pytest.raises(ValueError, match="columns"):
        parse_plain("x,y\n1,2\n")


def test_aliases_in_the_remarks_are_read_without_alt_csv() -> None:
    sdn = ('4106,"HERRERA BUITRAGO, Helmer","individual","SDNT",-0- ,-0- ,-0- ,-0- ,-0- ,'
           '-0- ,-0- ,"DOB 24 Aug 1951; Cedula No. 16247821 (Colombia); a.k.a. \'PACHO\'; '
           'a.k.a. HERRERA, Pacho."\n')
    [e] = parse_ofac(sdn)
    assert e.aliases == [("PACHO", True), ("HERRERA, Pacho", False)]
    assert e.dates_of_birth == ["1951-08-24"]
