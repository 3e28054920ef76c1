"""Typed settings, read once at start-up from GARITA_* environment variables.

Engines never import this module: the edge (app factory, CLI) builds a
``Settings`` and passes what each part needs. Every variable is documented in
``docs/settings.md``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development values shipped in this repository: anyone can read them, so a
# service running on one can be impersonated (tokens), its draws predicted before the
# reveal (seeds) and its published tickets linked back to requests.
DEV_SECRETS = {
    "secret_key": "dev-only-change-me-dev-only-change-me",
    "seed_key": "dev-only-seed-key-NOT-SECRET-change-me",
    "ticket_key": "dev-only-ticket-key-NOT-SECRET-change-me",
}
MIN_SECRET_CHARS = 32
MIN_SECRET_BITS = 128


def secret_strength_bits(value: str) -> float:
    """A crude upper bound on a secret's entropy: length × log2(distinct characters).

    It cannot prove a secret random, but it refuses the failures seen in practice:
    short values, one repeated character, a short pattern repeated. A 43-character
    ``secrets.token_urlsafe(32)`` scores about 230 bits.
    """
    distinct = len(set(value))
    return len(value) * math.log2(distinct) if distinct > 1 else 0.0


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
    notice_pdf_key: SecretStr | None = Field(
        default=None,
        description="The PDF signing key (ECDSA P-256, PKCS#8 as one line of base64 DER, or PEM) "
                    "from `garita notice keygen`; unset: a dev-only key derived from secret_key "
                    "(refused in production).")
    notice_pdf_cert: str | None = Field(
        default=None, description="Its self-signed X.509 certificate (base64 DER or PEM), from "
                                  "`garita notice keygen`; published in keys.json.")
    notice_pdf_retired_certs: list[str] = Field(
        default_factory=list,
        description="Certificates of earlier PDF signing keys (JSON list of base64 DER): PDFs "
                    "they signed stay verifiable.")
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
    secret_key_previous: list[SecretStr] = Field(
        default_factory=list,
        description="Rotation: earlier GARITA_SECRET_KEY values whose tokens are still accepted "
                    "until they expire (JSON list). Drop them after token_minutes.")
    seed_key_previous: list[SecretStr] = Field(
        default_factory=list,
        description="Rotation: earlier GARITA_SEED_KEY values, so seeds sealed before the "
                    "rotation can still be revealed (JSON list).")
    draw_require_commitment: bool = Field(
        default=False,
        description="Refuse to run a draw whose seed was not committed before its window closed.",
    )

    def secret_problems(self) -> list[str]:
        """What is wrong with the configured secrets, one sentence each naming the setting."""
        problems: list[str] = []
        values = {name: getattr(self, name).get_secret_value() for name in DEV_SECRETS}
        values |= {f"{name}_previous[{i}]": v.get_secret_value()
                   for name in ("secret_key", "seed_key")
                   for i, v in enumerate(getattr(self, f"{name}_previous"))}
        for name, value in values.items():
            setting = f"GARITA_{name.split('[')[0].upper()}"
            if value in DEV_SECRETS.values() or "dev-only" in value:
                problems.append(f"{setting} is the development value shipped in the repository")
            elif len(value) < MIN_SECRET_CHARS or secret_strength_bits(value) < MIN_SECRET_BITS:
                problems.append(f"{setting} is too weak (at least {MIN_SECRET_CHARS} random "
                                f"characters, {MIN_SECRET_BITS} bits)")
        current = [values[name] for name in DEV_SECRETS]
        if len(set(current)) < len(current):
            problems.append("GARITA_SECRET_KEY, GARITA_SEED_KEY and GARITA_TICKET_KEY must differ")
        if not self.notice_signing_keys:
            problems.append("GARITA_NOTICE_SIGNING_KEYS is empty (notices would be signed with a "
                            "key derived from GARITA_SECRET_KEY)")
        if self.notice_pdf_key is None:
            problems.append("GARITA_NOTICE_PDF_KEY is empty (notice PDFs would be signed with a "
                            "key derived from GARITA_SECRET_KEY)")
        return problems

    @model_validator(mode="after")
    def _production_secrets(self) -> Settings:
        """Production refuses to start on a development default or a weak key."""
        problems = self.secret_problems() if self.env == "production" else []
        if problems:
            raise ValueError("production refuses to start: " + "; ".join(problems)
                             + ". Run `garita secrets generate` for a fresh set.")
        return self
