"""What the statistics routes and commands return."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Region = Literal["southwest", "northern", "other", "all"]


class ImportOut(BaseModel):
    """Provenance of one imported file."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    file_name: str
    sha256: str
    dataset: str
    rows: int
    first_month: dt.date
    last_month: dt.date
    months: int
    imported_at: dt.datetime
    imported_by: str


class ImportResult(BaseModel):
    imported: ImportOut
    created: bool = Field(description="False: this exact file was already imported; nothing "
                                      "changed.")
    months_replaced: int = Field(description="Months this dataset held from an older release "
                                             "that the file took over.")


class Source(BaseModel):
    """Which dataset a report read for a region, over which months, from which files."""

    region: str
    dataset: str
    title: str
    first_month: str
    last_month: str
    months: int
    files: list[str]
    imported_at: dt.datetime


class EncounterReport(BaseModel):
    """Encounter counts grouped by the asked dimensions. Each row has one key per
    dimension (``fiscal_year`` an integer, ``month`` YYYY-MM, others as CBP publishes
    them), ``encounters`` and, when grouped by fiscal year, ``partial``."""

    region: Region
    by: list[str]
    rows: list[dict[str, str | int | bool]]
    sources: list[Source]


class DisagreementOut(BaseModel):
    region: str
    month: str
    totals: dict[str, int]
    components: dict[str, dict[str, int]]


class PictureRow(BaseModel):
    """One month (YYYY-MM) or fiscal year: encounters between ports (Border Patrol), at
    the Southwest ports (Field Operations), appointments kept, and their share."""

    period: str
    border_patrol: int | None
    field_operations: int | None
    appointments_kept: int | None
    appointment_share: float | None = Field(
        description="appointments_kept / field_operations, where both are known.")
    appointments_suppressed: bool = False


class Picture(BaseModel):
    months: list[PictureRow]
    fiscal_years: list[PictureRow]
    encounter_sources: list[Source]
    appointments_source: str


class FlowRow(BaseModel):
    """One measure in one period (and dimension values, when grouped)."""

    period: str
    measure: str
    value: int | None
    suppressed: bool
    port: str | None = None
    nationality: str | None = None
    origin_state: str | None = None
    group_size: int | None = None


class DataResource(BaseModel):
    """One file of the package (Frictionless tabular data resource)."""

    model_config = ConfigDict(extra="allow")

    name: str
    path: str
    format: str
    mediatype: str
    profile: str
    description: str
    schema_: dict[str, Any] = Field(alias="schema", serialization_alias="schema")
    licenses: list[dict[str, Any]]
    sources: list[dict[str, Any]]


class DataPackage(BaseModel):
    """The Frictionless Data Package descriptor of every public table."""

    model_config = ConfigDict(extra="allow")

    profile: str
    name: str
    title: str
    created: AwareDatetime
    licenses: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    resources: list[DataResource]
