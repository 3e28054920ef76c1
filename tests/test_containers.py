"""The container files: an API image from requirements.lock, and a compose file with the
API, PostgreSQL, Redis and a one-shot migration before the API (docs/scaling.md).

No Docker engine runs on the development machines: the image is not built here. The
compose file is checked by the docker CLI's own parser (``docker compose config``) where
the CLI and its compose command exist, and skipped, saying why, where they do not.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_the_image_installs_the_lock_and_the_npm_lock_and_runs_unprivileged():
    text = (ROOT / "Dockerfile").read_text("utf-8")
    assert "uv pip sync --system --no-cache requirements.lock" in text
    assert "npm ci" in text and "COPY package.json package-lock.json" in text
    assert "USER garita" in text and "GARITA_ENV=production" in text
    for line in text.splitlines():  # everything it copies from the checkout is there
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source


def test_compose_runs_the_migration_once_before_the_api():
    spec = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    services = spec["services"]
    assert set(services) == {"api", "db", "redis", "migrate"}
    assert services["migrate"]["command"] == ["garita", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    assert services["api"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"}
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}
    for name in ("api", "migrate"):
        env = services[name]["environment"]
        assert env["GARITA_RATE_LIMIT_STORAGE"] == "redis://redis:6379/0"
        assert env["GARITA_DATABASE_URL"].startswith("postgresql+psycopg://garita:")
        assert services[name]["build"] == "."
    assert services["db"]["image"].startswith("postgres:15")


def _compose() -> list[str]:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("the docker CLI is not installed")
    if subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("the docker CLI has no compose command (the compose plugin is not "
                    "installed)")
    return [docker, "compose"]


def test_compose_file_is_valid_for_docker_compose(tmp_path):
    compose = _compose()
    secrets = tmp_path / "garita.env"
    made = subprocess.run([str(Path(sys.executable).parent / "garita"), "secrets", "generate",
                           "--out", str(secrets)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    env = {**os.environ, "POSTGRES_PASSWORD": "not-a-real-password",
           "GARITA_ENV_FILE": str(secrets)}
    base = [*compose, "-f", str(ROOT / "compose.yaml")]
    check = subprocess.run([*base, "config", "-q"], capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stderr
    resolved = subprocess.run([*base, "config", "--format", "json"], capture_output=True,
                              text=True, env=env)
    assert resolved.returncode == 0, resolved.stderr
    api = json.loads(resolved.stdout)["services"]["api"]
    assert api["environment"]["GARITA_ENV"] == "production"  # from the generated env file
    unset = {k: v for k, v in env.items() if k != "POSTGRES_PASSWORD"}
    refused = subprocess.run([*base, "config", "-q"], capture_output=True, text=True,
                             env=unset)
    assert refused.returncode != 0 and "POSTGRES_PASSWORD" in refused.stderr
