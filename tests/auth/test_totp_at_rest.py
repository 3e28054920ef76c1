"""Issue 16: two-factor secrets are sealed at rest (GARITA_TOTP_KEY). The column never
holds the base32 secret; sign-in with a code still works; a server with another key
fails saying which key is missing; 0020 seals the secrets 0011 stored in clear."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import text

from garita import migrate
from garita.auth import twofactor
from garita.auth.totpkeys import SealError, TotpKeys
from garita.db import make_engine, transaction
from garita.settings import Settings
from kit import applicant


def _stored(client, account_id: int) -> str:
    with client.app.state.engine.connect() as c:
        return c.execute(text("SELECT totp_secret FROM account WHERE id = :id"),
                         {"id": account_id}).scalar_one()


def test_the_column_never_holds_the_secret_and_sign_in_still_works(client, clock):
    me = applicant(client)
    account_id = client.get("/auth/me", headers=me).json()["account_id"]
    start = client.post("/auth/totp", headers=me)
    assert start.status_code == 200, start.text
    secret = start.json()["secret"]
    pending = _stored(client, account_id)
    assert secret not in pending and secret.lower() not in pending.lower()
    assert pending.startswith("v1.")
    r = client.post("/auth/totp/confirm", headers=me,
                    json={"code": pyotp.TOTP(secret).at(clock.now)})
    assert r.status_code == 200, r.text
    stored = _stored(client, account_id)
    assert secret not in stored and stored.startswith("v1.")
    clock.now += dt.timedelta(seconds=30)
    email = _email(client, account_id)
    r = client.post("/auth/token", data={"username": email, "password": "correct horse battery",
                                         "code": pyotp.TOTP(secret).at(clock.now)})
    assert r.status_code == 200, r.text
    # what a stolen copy of the database gives: nothing that makes codes
    assert TotpKeys.of("dev-only-totp-key-NOT-SECRET-change-me").open(
        stored, account_id) == secret
    with pytest.raises(SealError, match="not configured: set GARITA_TOTP_KEY"):
        TotpKeys.of("another key entirely, 0123456789abcdef").open(stored, account_id)
    with pytest.raises(SealError, match="altered or moved"):
        TotpKeys.of("dev-only-totp-key-NOT-SECRET-change-me").open(stored, account_id + 1)


def _email(client, account_id: int) -> str:
    with client.app.state.engine.connect() as c:
        return c.execute(text("SELECT email FROM account WHERE id = :id"),
                         {"id": account_id}).scalar_one()


def _enrolled(client, clock) -> tuple[int, str]:
    me = applicant(client)
    account_id = client.get("/auth/me", headers=me).json()["account_id"]
    secret = client.post("/auth/totp", headers=me).json()["secret"]
    assert client.post("/auth/totp/confirm", headers=me,
                       json={"code": pyotp.TOTP(secret).at(clock.now)}).status_code == 200
    return account_id, secret


def test_a_previous_key_still_opens_and_the_secret_is_resealed_on_use(client, clock):
    account_id, secret = _enrolled(client, clock)
    dormant, dormant_secret = _enrolled(client, clock)
    old = _stored(client, account_id)
    new = TotpKeys.of("the rotated key, long and random 0123456789",
                      ("dev-only-totp-key-NOT-SECRET-change-me",))
    client.app.state.totp_keys = new  # what a restart with the rotated settings gives
    clock.now += dt.timedelta(seconds=30)
    r = client.post("/auth/token", data={"username": _email(client, account_id),
                                         "password": "correct horse battery",
                                         "code": pyotp.TOTP(secret).at(clock.now)})
    assert r.status_code == 200, r.text
    resealed = _stored(client, account_id)
    assert resealed != old and new.is_current(resealed)
    assert new.open(resealed, account_id) == secret
    # `garita secrets reseal-totp`: the dormant account too, then the old key can go
    with transaction(client.app.state.sessions) as s:
        assert twofactor.reseal_all(s, new, "cli") == 1
    only_new = TotpKeys.of("the rotated key, long and random 0123456789")
    assert only_new.open(_stored(client, dormant), dormant) == dormant_secret


def test_0020_seals_the_secrets_stored_in_clear(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'before.sqlite3'}")
    migrate.upgrade(engine, "0011")  # two-factor with the secret in clear
    clear = pyotp.random_base32()
    with engine.begin() as c:
        c.execute(text("INSERT INTO account (id, email, password_hash, role, created_at, "
                       "totp_secret) VALUES (4, 'a@example.org', '!', 'applicant', "
                       "'2024-01-01 00:00:00', :s)"), {"s": clear})
    key = "the production key, long and random 0123456789"
    migrate.upgrade(engine, totp_key=key)
    with engine.connect() as c:
        stored = c.execute(text("SELECT totp_secret FROM account WHERE id = 4")).scalar_one()
    engine.dispose()
    assert clear not in stored
    assert TotpKeys.of(key).open(stored, 4) == clear


def test_production_refuses_the_development_totp_key():
    with pytest.raises(ValueError, match="GARITA_TOTP_KEY is the development value"):
        Settings(env="production")


def test_a_server_without_the_key_answers_503_saying_so_never_500(client, clock, caplog):
    account_id, secret = _enrolled(client, clock)
    client.app.state.totp_keys = TotpKeys.of("a key that sealed nothing here, 0123456789")
    clock.now += dt.timedelta(seconds=30)
    r = client.post("/auth/token", data={"username": _email(client, account_id),
                                         "password": "correct horse battery",
                                         "code": pyotp.TOTP(secret).at(clock.now)})
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "try again later" in r.json()["detail"] and "Retry-After" in r.headers
    assert "set GARITA_TOTP_KEY" in caplog.text  # the operator learns what to fix
