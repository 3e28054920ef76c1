"""Secrets: production refuses what anyone can read or guess; rotation keeps what was issued.

Findings these hold (issue 11): with GARITA_ENV=production and only the notice key
set, a token signed with the repository's secret was accepted as admin; one-character
keys were accepted; the default ticket key mapped every published ticket back.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from garita.app import create_app
from garita.auth.core import TokenCache, issue_token
from garita.identity import Principal, Role
from garita.notices import keys, pdfkeys
from garita.settings import DEV_SECRETS, Settings
from kit import settings_for

NOW = dt.datetime(2024, 9, 10, 18, tzinfo=dt.UTC)


_, PDF_KEY, PDF_CERT = pdfkeys.generate(dt.datetime.now(dt.UTC))


def strong() -> dict[str, object]:
    kid, private, _ = keys.generate()
    _, anchor_key, _ = keys.generate()
    return {"env": "production", "secret_key": "k" + os.urandom(30).hex(),
            "seed_key": "s" + os.urandom(30).hex(), "ticket_key": "t" + os.urandom(30).hex(),
            "photo_key": "p" + os.urandom(30).hex(), "totp_key": "o" + os.urandom(30).hex(),
            "notice_signing_keys": {kid: private}, "notice_active_kid": kid,
            "audit_anchor_key": anchor_key,
            "notice_pdf_key": PDF_KEY, "notice_pdf_cert": PDF_CERT}


def refusal(**values: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Settings(**values)
    return str(caught.value)


def test_production_refuses_every_development_default_and_names_it():
    only_notice = {k: v for k, v in strong().items()
                   if k in ("env", "notice_signing_keys", "notice_active_kid")}
    message = refusal(**only_notice)
    for name in DEV_SECRETS:
        assert f"GARITA_{name.upper()} is the development value" in message
    assert "garita secrets generate" in message


@pytest.mark.parametrize("weak", ["x", "a" * 64, "ab" * 40, "0123456789abcdef" * 1, "passwordpassword"])
def test_production_refuses_weak_keys(weak):
    for name in DEV_SECRETS:
        message = refusal(**(strong() | {name: weak}))
        assert f"GARITA_{name.upper()} is too weak" in message


def test_production_refuses_one_key_used_twice_and_a_missing_notice_key():
    values = strong()
    assert "must differ" in refusal(**(values | {"seed_key": values["secret_key"]}))
    assert "GARITA_NOTICE_SIGNING_KEYS is empty" in refusal(**(values | {"notice_signing_keys": {}}))
    assert "GARITA_NOTICE_PDF_KEY is empty" in refusal(**(values | {"notice_pdf_key": None}))


def test_production_starts_on_strong_distinct_keys():
    assert Settings(**strong()).secret_problems() == []


def test_a_token_signed_with_the_repository_secret_is_not_an_admin(tmp_path):
    settings = Settings(**(strong() | {"database_url": f"sqlite:///{tmp_path}/p.sqlite3"}))
    forged = jwt.encode({"sub": "1", "role": "admin", "exp": 2**40}, DEV_SECRETS["secret_key"],
                        algorithm="HS256")
    app = create_app(settings)
    with TestClient(app) as client:
        r = client.post("/auth/staff", headers={"Authorization": f"Bearer {forged}"},
                        json={"email": "x@example.org", "password": "0123456789ab", "role": "admin"})
    assert r.status_code == 401


def test_development_says_loudly_that_it_runs_on_development_secrets(tmp_path, caplog):
    with caplog.at_level("WARNING", logger="garita"):
        create_app(Settings(database_url=f"sqlite:///{tmp_path}/d.sqlite3"))
    assert any("DEVELOPMENT SECRETS" in r.message and "GARITA_SECRET_KEY" in r.message
               for r in caplog.records)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    garita = Path(sys.executable).parent / "garita"  # the installed command
    return subprocess.run([str(garita), *args], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)


def test_secrets_generate_writes_a_set_production_accepts(tmp_path):
    out = tmp_path / "garita.env"
    done = _cli("secrets", "generate", "--out", str(out), env={})
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    values = dict(line.split("=", 1) for line in out.read_text().splitlines())
    assert Settings(_env_file=str(out)).secret_problems() == []
    assert len({values["GARITA_SECRET_KEY"], values["GARITA_SEED_KEY"],
                values["GARITA_TICKET_KEY"]}) == 3
    again = _cli("secrets", "generate", "--out", str(out), env={})
    assert again.returncode == 2 and "exists" in again.stderr


def test_the_cli_refuses_production_defaults_in_one_line(tmp_path):
    done = _cli("policy", "show", env={"GARITA_ENV": "production",
                                       "GARITA_DATABASE_URL": f"sqlite:///{tmp_path}/c.sqlite3"})
    assert done.returncode == 2
    assert "production refuses to start" in done.stderr and "Traceback" not in done.stderr


def test_token_key_rotation_keeps_issued_tokens_until_the_previous_key_is_dropped():
    old, new = "old-" + os.urandom(24).hex(), "new-" + os.urandom(24).hex()
    who = Principal(account_id=7, role=Role.applicant)
    token = issue_token(who, old, 60, NOW)
    assert TokenCache(new, previous=(old,)).read(token, NOW) == who
    assert TokenCache(new).read(token, NOW) is None
    assert TokenCache(new, previous=(old,)).read(issue_token(who, new, 60, NOW), NOW) == who


def test_settings_for_tests_is_not_production():
    assert settings_for("sqlite://").env == "development"


def test_seed_key_rotation_still_opens_seeds_sealed_before_it():
    import hashlib
    from types import SimpleNamespace

    from garita.draw import commitments, pseudonyms
    from garita.draw.pseudonyms import DrawSecrets
    from garita.errors import Refused

    old, new, ticket = (os.urandom(24).hex() for _ in range(3))
    day, seed = dt.date(2024, 9, 10), pseudonyms.new_seed()
    before = DrawSecrets.of(old, ticket)
    sealed = SimpleNamespace(service_date=day, seed_sealed=pseudonyms.seal(before.seed_key, day, seed),
                             seed_sha256=hashlib.sha256(seed).hexdigest())
    assert commitments.open_seed(sealed, DrawSecrets.of(new, ticket, (old,))) == seed
    with pytest.raises(Refused, match="GARITA_SEED_KEY_PREVIOUS"):
        commitments.open_seed(sealed, DrawSecrets.of(new, ticket))
