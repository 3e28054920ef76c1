"""Signed anchors catch what the chains alone cannot: an attacker with SQL access who
rewrites a lane consistently, deletes a whole lane, or cuts a lane's tail and rolls
its head back (issue 11: `audit verify` said "intact" to all three).

Each attack is written as that attacker would write it: plain SQL and their own
dozen lines of hashlib, not our code. Each test shows the attack passing plain
`garita audit verify` and failing `garita audit verify --anchors DIR`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from garita.audit import anchor_keys
from garita.audit import service as audit
from garita.cli import app
from garita.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


@pytest.fixture
def cli_env(database_url, tmp_path, monkeypatch) -> Path:
    """The CLI on the test database, anchors written into a fresh directory."""
    monkeypatch.setenv("GARITA_DATABASE_URL", database_url)
    anchors = tmp_path / "anchors"
    monkeypatch.setenv("GARITA_AUDIT_ANCHOR_DIR", str(anchors))
    return anchors


A, B = 20, 21  # two lanes of the test's own, beyond the 16 the seeded policy history may use


def _write(url: str, n: int) -> None:
    """n audited changes, alternating between lanes A and B (one transaction each)."""
    sessions = make_sessionmaker(make_engine(url))
    for i in range(n):
        with transaction(sessions) as s:
            s.info["audit_lane"] = (A, B)[i % 2]
            audit.record(s, actor="admin:1", action="test.do", object_type="thing",
                         object_id=i, change={"i": i})


def _verify(anchors: Path | None = None):
    return runner.invoke(app, ["audit", "verify"] + (["--anchors", str(anchors)] if anchors else []))


def _anchor(anchors: Path):
    r = runner.invoke(app, ["audit", "anchor"])
    assert r.exit_code == 0, r.output
    assert len(list(anchors.glob("anchor-*.json"))) >= 1
    return r


# --- the attacker's code: SQL and hashlib, nothing of ours ----------------------------

def _attacker_hash(prev: str, row) -> str:
    at = row.at if isinstance(row.at, dt.datetime) else dt.datetime.fromisoformat(row.at)
    at = (at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)).isoformat()
    fields = [prev, row.lane, row.seq, at, row.actor, row.action, row.object_type,
              row.object_id, row.digest]
    return hashlib.sha256(json.dumps(fields, separators=(",", ":")).encode()).hexdigest()


def _rewrite_lane(url: str, lane: int, seq: int) -> None:
    """Change one entry's actor, re-link the rest of its lane and move the head."""
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("UPDATE audit_entry SET actor = 'nobody' WHERE lane = :l AND seq = :s"),
                  {"l": lane, "s": seq})
        rows = c.execute(text("SELECT * FROM audit_entry WHERE lane = :l ORDER BY seq"),
                         {"l": lane}).all()
        prev = "0" * 64
        for row in rows:
            new = _attacker_hash(prev, row)
            c.execute(text("UPDATE audit_entry SET prev_hash = :p, hash = :h WHERE id = :i"),
                      {"p": prev, "h": new, "i": row.id})
            prev = new
        c.execute(text("UPDATE audit_head SET hash = :h WHERE lane = :l"), {"h": prev, "l": lane})
    engine.dispose()


def _delete_lane(url: str, lane: int) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("DELETE FROM audit_entry WHERE lane = :l"), {"l": lane})
        c.execute(text("DELETE FROM audit_head WHERE lane = :l"), {"l": lane})
    engine.dispose()


def _truncate_lane(url: str, lane: int, keep: int) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("DELETE FROM audit_entry WHERE lane = :l AND seq > :k"),
                  {"l": lane, "k": keep})
        last = c.execute(text("SELECT hash FROM audit_entry WHERE lane = :l AND seq = :k"),
                         {"l": lane, "k": keep}).scalar_one()
        c.execute(text("UPDATE audit_head SET seq = :k, hash = :h WHERE lane = :l"),
                  {"k": keep, "h": last, "l": lane})
    engine.dispose()


# --- the three attacks ---------------------------------------------------------------

def test_a_recomputed_lane_passes_the_chains_and_fails_the_anchors(database_url, cli_env):
    _write(database_url, 12)
    _anchor(cli_env)
    _write(database_url, 4)  # the log goes on after the anchor
    assert _verify(cli_env).exit_code == 0
    _rewrite_lane(database_url, lane=B, seq=2)
    plain = _verify()
    assert plain.exit_code == 0 and "intact" in plain.output  # the chains alone are fooled
    r = _verify(cli_env)
    assert r.exit_code == 2, r.output
    assert f"lane {B}: entry 6 hash differs" in r.output and "rewritten" in r.output
    assert f"lane {A}" not in r.output


def test_a_deleted_lane_passes_the_chains_and_fails_the_anchors(database_url, cli_env):
    _write(database_url, 10)
    _anchor(cli_env)
    _delete_lane(database_url, lane=A)
    assert _verify().exit_code == 0
    r = _verify(cli_env)
    assert r.exit_code == 2 and f"lane {A}: lane is missing (anchored through entry 5)" in r.output


def test_a_truncated_tail_with_its_head_rolled_back_fails_the_anchors(database_url, cli_env):
    _write(database_url, 10)
    _anchor(cli_env)
    _truncate_lane(database_url, lane=B, keep=2)
    assert _verify().exit_code == 0
    r = _verify(cli_env)
    assert r.exit_code == 2 and f"lane {B}: lane ends at entry 2" in r.output
    assert "anchored entry 5 (truncated)" in r.output
    # ...and writing new entries past the old length does not hide it: hashes differ
    _write(database_url, 8)
    r = _verify(cli_env)
    assert r.exit_code == 2 and f"lane {B}: entry 5 hash differs" in r.output


def test_one_line_per_lane_even_with_many_anchors(database_url, cli_env):
    _write(database_url, 6)
    for _ in range(3):
        _anchor(cli_env)
    _delete_lane(database_url, lane=A)
    lines = [line for line in _verify(cli_env).output.splitlines() if "broken" in line]
    assert len(lines) == 1 and "and 2 later anchor(s)" in lines[0]


# --- the anchors themselves ----------------------------------------------------------

def test_an_altered_or_unsigned_anchor_is_named(database_url, cli_env):
    _write(database_url, 6)
    _anchor(cli_env)
    path = next(cli_env.glob("anchor-*.json"))
    doc = json.loads(path.read_text())
    doc["lanes"][0]["hash"] = "f" * 64  # the attacker "fixes" the anchor to match
    path.write_text(json.dumps(doc))
    r = _verify(cli_env)
    assert r.exit_code == 2 and "signature does not verify" in r.output
    other = anchor_keys.build(anchor_keys.generate()[1], [], "x")
    from garita.audit import anchors

    forged = anchors.make([(0, 3, "a" * 64)], "2026-01-01T00:00:00+00:00", "forged", other)
    (cli_env / "forged.json").write_text(json.dumps(forged))
    r = _verify(cli_env)
    assert f"signed by unknown key '{other.kid}'" in r.output


def test_an_empty_anchor_directory_is_a_problem(database_url, cli_env):
    cli_env.mkdir()
    r = _verify(cli_env)
    assert r.exit_code == 2 and "no anchor files" in r.output
    assert _verify(cli_env / "nowhere").exit_code == 2


def test_rotation_old_anchors_still_verify_with_the_previous_public_key(
        database_url, cli_env, monkeypatch):
    _, old_private, old_public = anchor_keys.generate()
    _, new_private, _ = anchor_keys.generate()
    monkeypatch.setenv("GARITA_AUDIT_ANCHOR_KEY", old_private)
    _write(database_url, 4)
    _anchor(cli_env)
    monkeypatch.setenv("GARITA_AUDIT_ANCHOR_KEY", new_private)
    assert "unknown key" in _verify(cli_env).output  # the old key dropped entirely
    monkeypatch.setenv("GARITA_AUDIT_ANCHOR_PREVIOUS_KEYS", json.dumps([old_public]))
    _write(database_url, 2)
    _anchor(cli_env)
    r = _verify(cli_env)
    assert r.exit_code == 0 and "against 2 signed anchors" in r.output, r.output
