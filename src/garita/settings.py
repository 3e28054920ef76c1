"""Typed settings, read once at start-up from GARITA_* environment variables.

Engines never import this module: the edge (app factory, CLI) builds a
``Settings`` and passes what each part needs. Every variable is documented in
``docs/settings.md``.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development values shipped in this repository: anyone can read them, so a
# service running on one can be impersonated (tokens), its draws predicted before the
# reveal (seeds) and its published tickets linked back to requests.
DEV_SECRETS = {
    "secret_key": "dev-only-change-me-dev-only-change-me",
    "seed_key": "dev-only-seed-key-NOT-SECRET-change-me",
    "ticket_key": "dev-only-ticket-key-NOT-SECRET-change-me",
    "photo_key": "dev-only-photo-key-NOT-SECRET-change-me",
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

#: The real instant this process started (this module is imported at start-up by every
#: entry point): a GARITA_CLOCK_START clock counts real time from here.
PROCESS_STARTED = dt.datetime.now(dt.UTC)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GARITA_", env_file=".env", extra="ignore")

    clock_start: AwareDatetime | None = Field(
        default=None,
        description="For demos and tests: the service's clock starts at this ISO 8601 instant "
                    "(with its offset, e.g. 2024-09-10T12:30:00-04:00) when the process starts "
                    "and runs at real speed. Honoured by the API (tokens included) and every "
                    "CLI command. Unset: the real clock.",
    )

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
    login_rate: str = Field(default="10/minute", description="Sign-in attempts per account "
                            "(email), from any address.")
    login_client_rate: str = Field(default="30/minute",
                                   description="Sign-in attempts per client address.")
    login_global_rate: str = Field(default="600/minute",
                                   description="Sign-in attempts on the whole service.")
    signup_client_rate: str = Field(default="5/minute",
                                    description="Sign-ups per client address.")
    signup_global_rate: str = Field(default="120/minute",
                                    description="Sign-ups on the whole service.")
    notice_check_number_rate: str = Field(
        default="5/hour", description="Date-of-birth checks of one confirmation number.")
    notice_check_global_rate: str = Field(
        default="300/minute", description="Date-of-birth checks on the whole service.")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto "
                    "are believed (JSON list). Empty: no client-supplied header is trusted.")
    officer_days_around: int = Field(
        default=3, ge=0, le=30,
        description="Officers see the people of appointments at their port this many days "
                    "before and after today (arrival lists and registrations).")
    max_body_bytes: int = Field(default=1_048_576, ge=1024,
                                description="Largest request body accepted (413 above).")
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
    photo_key: SecretStr = Field(
        default=SecretStr("dev-only-photo-key-NOT-SECRET-change-me"),
        description="Encrypts confirmation photos at rest (AES-256-GCM). DEV DEFAULT: set a "
                    "long random value in production; keep the old one in photo_key_previous "
                    "until the retention has deleted the photos it sealed.",
    )
    photo_key_previous: list[SecretStr] = Field(
        default_factory=list,
        description="Rotation: earlier GARITA_PHOTO_KEY values that still open photos sealed "
                    "before the rotation (JSON list).")
    photo_retention_days: int = Field(
        default=30, ge=0, le=3650,
        description="Confirmation photos are deleted this many days after the appointment day "
                    "(`garita photos purge`, run daily).")
    photo_required: bool = Field(
        default=False,
        description="The API's confirmation refuses a member without a photo taken first "
                    "(the confirm page always takes one). Off by default until every client "
                    "(demo, simulation, integrations) sends photos.")
    road_times_file: Path | None = Field(
        default=None,
        description="Corridor road times, CSV from,to,hours (hub, border city or port code); "
                    "unset: estimated from distance.",
    )
    def now(self) -> dt.datetime:
        """The service's clock, in UTC: real time, or real time since start-up from
        ``clock_start``."""
        real = dt.datetime.now(dt.UTC)
        if self.clock_start is None:
            return real
        return self.clock_start.astimezone(dt.UTC) + (real - PROCESS_STARTED)

    secret_key_previous: list[SecretStr] = Field(
        default_factory=list,
        description="Rotation: earlier GARITA_SECRET_KEY values whose tokens are still accepted "
                    "until they expire (JSON list). Drop them after token_minutes.")
    seed_key_previous: list[SecretStr] = Field(
        default_factory=list,
        description="Rotation: earlier GARITA_SEED_KEY values, so seeds sealed before the "
                    "rotation can still be revealed (JSON list).")
    audit_anchor_key: SecretStr | None = Field(
        default=None,
        description="Ed25519 private key (base64url 32-byte seed or PEM) that signs audit "
                    "anchors; unset: a dev-only key derived from secret_key (refused in "
                    "production). `garita audit keygen` makes one.")
    audit_anchor_previous_keys: list[str] = Field(
        default_factory=list,
        description="Rotation: public keys (base64url) of earlier anchor keys, JSON list, so "
                    "anchors they signed still verify.")
    audit_anchor_dir: Path = Field(
        default=Path("var/anchors"),
        description="Where `garita audit anchor` and `garita draw publish` write anchor files.")
    stats_min_cell: int = Field(
        default=10, ge=1,
        description="Public statistics of Garita's own flows hide any count of people or "
                    "groups from 1 to this value minus one (small cells can point at a person).")
    assets_dir: Path | None = Field(
        default=None,
        description="Folder of the npm-installed front-end libraries (node_modules); default: "
                    "the checkout's node_modules, filled by make install (npm ci).")
    simulation_runs_dir: Path | None = Field(
        default=None,
        description="Folder of simulation runs (each a directory `garita sim run --out` "
                    "wrote) shown on /statistics/simulations; default: the default "
                    "scenario's run shipped in the package.")
    staff_two_factor: Literal["required", "optional"] | None = Field(
        default=None,
        description="required: staff must enrol in TOTP two-factor before a full session; "
                    "optional: they may. Unset: required when GARITA_ENV=production, "
                    "optional in development.")
    session_check_seconds: float = Field(
        default=2.0, gt=0, le=60,
        description="How often each process reloads the revoked sessions from the database "
                    "(a sign-out on another process takes effect within this time).")
    verify_minutes: int = Field(default=24 * 60, ge=5,
                                description="Lifetime of an email verification code and link.")
    reset_minutes: int = Field(default=30, ge=5,
                               description="Lifetime of a password reset link (single use).")
    draw_require_commitment: bool = Field(
        default=False,
        description="Refuse to run a draw whose seed was not committed before its window closed.",
    )
    retention_days: int = Field(
        default=730, ge=30,
        description="Days after a registration's last use (registered, last request, last "
                    "appointment) after which `garita rights retention` erases its personal "
                    "data (docs/data-rights.md).")

    # Messages (garita.messaging, garita.notify; docs/notifications.md)
    smtp_host: str | None = Field(
        default=None, description="SMTP server for email; unset: email stays in the outbox "
                                  "(development; the admins' /staff/outbox page shows it).")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port.")
    smtp_user: str | None = Field(default=None, description="SMTP user name (unset: no login).")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the SMTP connection with "
                                                           "STARTTLS before logging in.")
    smtp_from: str = Field(default="Garita <no-reply@garita.invalid>",
                           description="The From address of every email.")
    sms_provider: Literal["outbox", "twilio"] = Field(
        default="outbox", description="SMS and WhatsApp: outbox (stored, shown on the outbox "
                                      "page; development) or twilio (its Messages REST API).")
    twilio_url: str = Field(default="https://api.twilio.com",
                            description="Base URL of the Twilio API.")
    twilio_account_sid: str | None = Field(default=None, description="Twilio account SID.")
    twilio_auth_token: SecretStr | None = Field(default=None, description="Twilio auth token.")
    twilio_from: str | None = Field(default=None, description="Sending phone number (E.164).")
    twilio_whatsapp_from: str | None = Field(
        default=None, description="Sending WhatsApp number (E.164); unset: no WhatsApp.")
    message_max_attempts: int = Field(default=8, ge=1,
                                      description="Delivery attempts before a message fails.")
    message_retry_seconds: int = Field(
        default=60, ge=1, description="First retry delay; each next one doubles (capped at "
                                      "six hours).")
    job_queue_url: str = Field(
        default="sqlite:///var/jobs.sqlite3",
        description="The job queue (huey): sqlite:///path (embedded) or redis://host:port/db.")
    notify_reminder_hours: float = Field(
        default=6, gt=0, description="Remind an applicant this many hours before the "
                                     "confirmation deadline (once).")
    public_url: str = Field(default="http://127.0.0.1:8000",
                            description="The service's address as people reach it, for the links in "
                                        "messages (sign-in, email verification, password "
                                        "reset).")

    @property
    def staff_two_factor_required(self) -> bool:
        """GARITA_STAFF_TWO_FACTOR, or its default for GARITA_ENV."""
        mode = self.staff_two_factor or ("required" if self.env == "production" else "optional")
        return mode == "required"

    def secret_problems(self) -> list[str]:
        """What is wrong with the configured secrets, one sentence each naming the setting."""
        problems: list[str] = []
        values = {name: getattr(self, name).get_secret_value() for name in DEV_SECRETS}
        values |= {f"{name}_previous[{i}]": v.get_secret_value()
                   for name in ("secret_key", "seed_key", "photo_key")
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
            problems.append("GARITA_SECRET_KEY, GARITA_SEED_KEY, GARITA_TICKET_KEY and "
                            "GARITA_PHOTO_KEY must differ")
        if not self.notice_signing_keys:
            problems.append("GARITA_NOTICE_SIGNING_KEYS is empty (notices would be signed with a "
                            "key derived from GARITA_SECRET_KEY)")
        problems += self._anchor_key_problems()
        if self.notice_pdf_key is None:
            problems.append("GARITA_NOTICE_PDF_KEY is empty (notice PDFs would be signed with a "
                            "key derived from GARITA_SECRET_KEY)")
        return problems

    def _anchor_key_problems(self) -> list[str]:
        """The audit anchor key must be set, parse as Ed25519, and not be another secret."""
        if self.audit_anchor_key is None:
            return ["GARITA_AUDIT_ANCHOR_KEY is not set (audit anchors would be signed with a "
                    "development key derived from GARITA_SECRET_KEY)"]
        value = self.audit_anchor_key.get_secret_value().strip()
        if "dev-only" in value or value in DEV_SECRETS.values():
            return ["GARITA_AUDIT_ANCHOR_KEY is the development value shipped in the repository"]
        if value in {k.get_secret_value().strip() for k in self.notice_signing_keys.values()}:
            return ["GARITA_AUDIT_ANCHOR_KEY must differ from the notice signing keys"]
        if value.startswith("-----BEGIN"):
            return []
        try:
            raw = base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_")
                                           + "=" * (-len(value) % 4))
        except ValueError:
            raw = b""
        if len(raw) != 32 or len(set(raw)) < 8:
            return ["GARITA_AUDIT_ANCHOR_KEY is not a random Ed25519 key (32 bytes, base64url, "
                    "or PEM; `garita audit keygen` makes one)"]
        return []

    @model_validator(mode="after")
    def _production_secrets(self) -> Settings:
        """Production refuses to start on a development default or a weak key."""
        problems = self.secret_problems() if self.env == "production" else []
        if problems:
            raise ValueError("production refuses to start: " + "; ".join(problems)
                             + ". Run `garita secrets generate` for a fresh set.")
        return self
