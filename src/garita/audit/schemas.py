"""The audit anchor as the API publishes it (the file format is in ``anchors``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AnchorLane(BaseModel):
    lane: int
    seq: int = Field(description="The lane's last entry when anchored.")
    hash: str = Field(description="That entry's hash (hex SHA-256).")


class Anchor(BaseModel):
    """A signed checkpoint of every audit lane head; keep it to check the log later with
    ``garita audit verify --anchors DIR`` (format: docs/security.md, Audit anchoring)."""

    format: str = Field(examples=["garita-audit-anchor/1"])
    anchored_at: str = Field(description="ISO 8601, UTC (as signed).")
    reason: str = Field(examples=["draw 2024-09-09"])
    lanes: list[AnchorLane]
    digest: str = Field(description="Hex SHA-256 of the canonical JSON of lanes.")
    kid: str = Field(description="Id of the Ed25519 key that signed it.")
    signature: str = Field(description="Ed25519 signature (base64url) of the canonical JSON "
                                       "of every other field.")
