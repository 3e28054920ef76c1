"""Run Alembic from inside the package (no alembic.ini needed on disk)."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("garita") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "heads", totp_key: str | None = None) -> None:
    """Upgrade to every head: features add their tables as revisions of their own.
    ``totp_key``: GARITA_TOTP_KEY, which seals the two-factor secrets (0020); unset, the
    migration reads the settings from the environment."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        if totp_key is not None:
            cfg.attributes["totp_key"] = totp_key
        command.upgrade(cfg, revision)
