"""Typed settings, read once at start-up from GARITA_* environment variables.

Engines never import this module: the edge (app factory, CLI) builds a
``Settings`` and passes what each part needs. Every variable is documented in
``docs/settings.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GARITA_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/garita.sqlite3",
        description="SQLAlchemy URL: sqlite:///path (embedded) or postgresql+psycopg://...",
    )
    secret_key: SecretStr = Field(
        default=SecretStr("dev-only-change-me-dev-only-change-me"),
        description="Key that signs access tokens. Set a long random value in production.",
    )
    token_minutes: int = Field(default=60, ge=1, description="Access token lifetime.")
    boundary_file: Path | None = Field(
        default=None,
        description="Authoritative GeoJSON of Mexico's states; default: data in installed packages.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="limits storage URI: memory:// (one process) or redis://host:port (shared).",
    )
    login_rate: str = Field(default="10/minute", description="Login attempts per email and IP.")
    request_rate: str = Field(default="30/minute", description="Daily-request calls per account.")
    argon2_time_cost: int = Field(default=3, ge=1, description="argon2id time cost.")
    argon2_memory_kib: int = Field(default=65536, ge=64, description="argon2id memory cost.")
    pool_size: int = Field(default=10, ge=1, description="Database connection pool size.")
    screen_threshold: float = Field(
        default=0.70, ge=0, le=1,
        description="Watchlist score (0-1) at which a name match becomes an alert for review.")
    ring_min_people: int = Field(default=10, ge=2,
                                 description="People giving one address before it is flagged.")
    ring_min_surnames: int = Field(default=5, ge=1,
                                   description="Different surnames at one address to flag it.")
    ring_min_registrations: int = Field(
        default=5, ge=2, description="Registrations sharing a phone or email to flag it.")
    ring_min_size: int = Field(default=5, ge=2,
                               description="Registrations in a linked component to call it a ring.")
    duplicate_threshold: float = Field(
        default=0.90, ge=0, le=1, description="Splink match probability for a duplicate identity.")
    env: Literal["development", "production"] = Field(
        default="development",
        description="production refuses development defaults (e.g. the derived notice key).",
    )
    notice_signing_keys: dict[str, SecretStr] = Field(
        default_factory=dict,
        description='Notice signing keys as JSON {"KID": "<base64url 32-byte seed or PEM>"}; '
                    "empty: a dev-only key derived from secret_key (refused in production).",
    )
    notice_active_kid: str | None = Field(
        default=None, description="Which signing key signs new notices (needed if several).")
    notice_retired_keys: dict[str, str] = Field(
        default_factory=dict,
        description='Public keys of retired signers, JSON {"KID": "<base64url>"}: old notices '
                    "stay verifiable.",
    )
    notice_font_file: Path | None = Field(
        default=None, description="Unicode TTF for notices (default: DejaVu Sans if installed).")
    notice_check_rate: str = Field(default="20/minute",
                                   description="Date-of-birth checks per client address.")
    notice_verify_rate: str = Field(default="600/minute",
                                    description="Notice verifications per client address.")
    seed_key: SecretStr = Field(
        default=SecretStr("dev-only-seed-key-NOT-SECRET-change-me"),
        description="Encrypts committed draw seeds until their reveal (AES-GCM). DEV DEFAULT: "
                    "set a long random value in production.",
    )
    ticket_key: SecretStr = Field(
        default=SecretStr("dev-only-ticket-key-NOT-SECRET-change-me"),
        description="Keys the pseudonymous draw tickets (AES PRF of request ids). DEV DEFAULT: "
                    "set a long random value in production; never rotate mid-publication.",
    )
    road_times_file: Path | None = Field(
        default=None,
        description="Corridor road times, CSV from,to,hours (hub, border city or port code); "
                    "unset: estimated from distance.",
    )
    stats_min_cell: int = Field(
        default=10, ge=1,
        description="Public statistics of Garita's own flows hide any count of people or "
                    "groups from 1 to this value minus one (small cells can point at a person).")
    assets_dir: Path | None = Field(
        default=None,
        description="Folder of the npm-installed front-end libraries (node_modules); default: "
                    "the checkout's node_modules, filled by make install (npm ci).")
    draw_require_commitment: bool = Field(
        default=False,
        description="Refuse to run a draw whose seed was not committed before its window closed.",
    )
