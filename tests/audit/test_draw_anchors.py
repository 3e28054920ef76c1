"""Each draw's publication carries a signed anchor of the audit log: `garita draw publish`
writes it beside publication.json (and into GARITA_AUDIT_ANCHOR_DIR), and
`GET /draws/{date}/anchor.json` hands one to anyone who wants to keep it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from garita.audit import anchors
from garita.cli import app
from kit import staff

DAY = "2024-09-09"


def test_the_publication_route_exposes_a_signed_anchor(client):
    assert client.get(f"/draws/{DAY}/anchor.json").status_code == 404  # not drawn yet
    r = client.post(f"/draws/{DAY}", headers=staff(client))
    assert r.status_code == 201, r.text
    doc = client.get(f"/draws/{DAY}/anchor.json").json()
    assert doc["reason"] == f"draw {DAY}" and doc["lanes"]  # the draw's entry is in a lane
    keys = client.app.state.anchor_keys
    assert anchors.check_signature("route", doc, keys.public) is None
    doc["lanes"][0]["seq"] += 1
    assert "signature does not verify" in str(anchors.check_signature("x", doc, keys.public))


def test_draw_publish_writes_the_anchor_beside_the_publication(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("GARITA_AUDIT_ANCHOR_DIR", str(tmp_path / "anchors"))
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["draw", "run", "--date", "2024-12-01"]).exit_code == 0
    out = tmp_path / "pub"
    for _ in range(2):  # publishing again refreshes anchor.json and adds a timed copy
        r = runner.invoke(app, ["draw", "publish", "--date", "2024-12-01", "--out", str(out)])
        assert r.exit_code == 0, r.output
    doc = json.loads((out / "anchor.json").read_text())
    assert doc["reason"] == "draw 2024-12-01" and doc["format"] == anchors.FORMAT
    assert len(list((tmp_path / "anchors").glob("anchor-*.json"))) == 2
    r = runner.invoke(app, ["audit", "verify", "--anchors", str(tmp_path / "anchors")])
    assert r.exit_code == 0 and "against 2 signed anchors" in r.output, r.output
