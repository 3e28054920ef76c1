"""Dependencies are declared exactly as imported: every third-party package the product
imports is in pyproject.toml, and every declared package is imported — or is named here
with the reason it is needed without an import."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Needed at run time, never imported by name (each says why in pyproject.toml).
WITHOUT_IMPORT = {"email-validator", "python-multipart", "redis", "pyarrow"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_declared_dependencies_are_exactly_the_imported_ones():
    modules = set()
    for path in (ROOT / "src" / "garita").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    third = modules - set(sys.stdlib_module_names) - {"garita"}
    owners = packages_distributions()
    unknown = sorted(m for m in third if m not in owners)
    assert unknown == [], f"imported but not installed: {unknown}"
    used = {_norm(d) for m in third for d in owners[m]}
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    declared = {_norm(re.split(r"[<>=\[ ;]", d)[0]) for d in config["project"]["dependencies"]}
    assert used - declared == set(), "imported, not declared in pyproject.toml"
    assert declared - used - WITHOUT_IMPORT == set(), "declared, never imported"
