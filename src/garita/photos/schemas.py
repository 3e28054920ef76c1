"""What the API says about a photo: never the image, only that it exists and its size."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class PhotoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    offer_id: int
    person_id: int
    taken_at: dt.datetime
    width: int
    height: int
    delete_after: dt.date = Field(description="The photo is deleted after this day "
                                              "(the appointment + GARITA_PHOTO_RETENTION_DAYS).")
