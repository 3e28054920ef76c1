"""The operator docs keep up with the code."""

from __future__ import annotations

from pathlib import Path

from garita.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text("utf-8")
    missing = [name for name in Settings.model_fields if f"`GARITA_{name.upper()}`" not in text]
    assert missing == [], f"add these to docs/settings.md: {missing}"


def test_readme_shows_the_two_commands():
    readme = (DOCS.parent / "README.md").read_text("utf-8")
    assert "make demo" in readme and "make test" in readme
