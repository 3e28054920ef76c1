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


def _tour() -> tuple[set[str], str]:
    """The names the README's tour lists under src/garita/, and its Layers section."""
    readme = (DOCS.parent / "README.md").read_text("utf-8")
    tour = readme.split("## A tour of the folders", 1)[1].split("```", 2)[1]
    names = {line.split()[0].rstrip("/") for line in tour.splitlines()
             if line.startswith("  ") and not line.startswith("   ")}
    return names, readme.split("## Layers", 1)[1].split("\n## ", 1)[0]


def test_the_tour_names_every_folder_and_module_and_nothing_else():
    package = DOCS.parent / "src" / "garita"
    on_disk = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    on_disk |= {p.name for p in package.glob("*.py") if p.name != "__init__.py"}
    named, _ = _tour()
    assert named - on_disk == set(), f"the README's tour names what is not there: {named - on_disk}"
    folders = {p for p in on_disk if "." not in p}
    assert folders - named == set(), f"add these folders to the README's tour: {folders - named}"


def test_the_layers_name_every_feature_folder_as_import_linter_holds_them():
    import tomllib

    package = DOCS.parent / "src" / "garita"
    features = {p.name for p in package.iterdir()
                if p.is_dir() and (p / "__init__.py").exists() and p.name != "migrations"}
    _, layers = _tour()
    missing = {f for f in features if f"`{f}`" not in layers}
    assert missing == set(), f"add these features to the README's Layers: {missing}"
    config = tomllib.loads((DOCS.parent / "pyproject.toml").read_text("utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    in_contract = {m.strip().split(".")[1] for layer in contract["layers"]
                   for m in layer.replace(":", "|").split("|") if m.strip()}
    assert features - in_contract == set(), \
        f"add these features to the import-linter layers: {features - in_contract}"
