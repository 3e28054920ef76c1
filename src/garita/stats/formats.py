"""CBP's published encounter files, declared once: their headers and what each column means.

A file is recognised from its header alone (column names compared without case,
surrounding spaces or a byte-order mark, in any order), so a new release of a
known dataset imports with no change and an unknown file is refused by name.
Each published column maps to one of our field names; the values allowed in each
field are declared here and checked by the schema in ``parse.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: CBP's "Nationwide Encounters" by Area of Responsibility.
NATIONWIDE_AOR = "nationwide_aor"
#: CBP's "Nationwide Encounters" by State.
NATIONWIDE_STATE = "nationwide_state"
#: CBP's "Southwest Land Border Encounters" (every row is the Southwest land border).
SOUTHWEST = "southwest"

SOUTHWEST_REGION = "Southwest Land Border"
REGIONS = {"southwest": SOUTHWEST_REGION, "northern": "Northern Land Border", "other": "Other"}
COMPONENTS = ("Office of Field Operations", "U.S. Border Patrol")
MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")
MONTH_GROUPINGS = ("FYTD", "Remaining")


@dataclass(frozen=True)
class Dataset:
    """One published file format: its name, title, columns (published → ours) and
    the dimensions it can report by."""

    name: str
    title: str
    url: str
    columns: dict[str, str]
    fixed: dict[str, str]  # fields every row of this dataset has implicitly

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.columns.values()) + tuple(self.fixed)


_COMMON_HEAD = {"Fiscal Year": "fiscal_year", "Month Grouping": "month_grouping",
                "Month (abbv)": "month_abbv"}

DATASETS: dict[str, Dataset] = {d.name: d for d in (
    Dataset(NATIONWIDE_AOR, "CBP Nationwide Encounters by Area of Responsibility",
            "https://www.cbp.gov/newsroom/stats/nationwide-encounters",
            {**_COMMON_HEAD, "Component": "component", "Land Border Region": "region",
             "Area of Responsibility": "aor", "AOR (Abbv)": "aor_abbv",
             "Demographic": "demographic", "Citizenship": "citizenship",
             "Title of Authority": "title", "Encounter Type": "encounter_type",
             "Encounter Count": "encounters"}, {}),
    Dataset(NATIONWIDE_STATE, "CBP Nationwide Encounters by State",
            "https://www.cbp.gov/newsroom/stats/nationwide-encounters",
            {**_COMMON_HEAD, "Land Border Region": "region", "State": "state",
             "Demographic": "demographic", "Citizenship": "citizenship",
             "Title of Authority": "title", "Encounter Count": "encounters"}, {}),
    Dataset(SOUTHWEST, "CBP Southwest Land Border Encounters",
            "https://www.cbp.gov/newsroom/stats/southwest-land-border-encounters",
            {**_COMMON_HEAD, "Component": "component", "Demographic": "demographic",
             "Citizenship Grouping": "citizenship", "Title of Authority": "title",
             "Encounter Type": "encounter_type", "Encounter Count": "encounters"},
            {"region": SOUTHWEST_REGION}),
)}

#: Which dataset a report reads first where several cover a region and month: the
#: dedicated Southwest file, then the finer AOR file, then the state file.
PRIORITY = (SOUTHWEST, NATIONWIDE_AOR, NATIONWIDE_STATE)

#: Dimensions a report can group by, and the stored column each reads.
DIMENSIONS = ("fiscal_year", "month", "component", "citizenship", "demographic", "title",
              "encounter_type", "region", "aor", "state", "dataset")


#: Column names CBP has spelled two ways across releases and files, read as one.
ALIASES = {"citizenship grouping": "citizenship"}


def _key(name: str) -> str:
    key = " ".join(name.replace("\ufeff", "").split()).casefold()
    return ALIASES.get(key, key)


def recognise(header: list[str]) -> Dataset | None:
    """The dataset whose published columns are exactly ``header`` (any order), or None."""
    got = sorted(_key(h) for h in header)
    for dataset in DATASETS.values():
        if got == sorted(_key(c) for c in dataset.columns):
            return dataset
    return None


def published_name(dataset: Dataset, header: list[str]) -> dict[str, str]:
    """Map each column as spelled in this file to our field name."""
    ours = {_key(c): f for c, f in dataset.columns.items()}
    return {h: ours[_key(h)] for h in header}


def supports(dataset: Dataset, dims: list[str]) -> bool:
    """Whether a dataset can report by every one of ``dims``."""
    have = set(dataset.fields) | {"fiscal_year", "month", "dataset"}
    return all(d in have for d in dims)
