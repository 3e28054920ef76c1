"""The verifiable draw through the API: commit-reveal, pseudonymous lists, publish, verify."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers import TIJUANA, applicant, ask, register, staff

from garita.draw.models import DrawCommitment
from garita.draw.verify import verify_dir

DAY = dt.date(2024, 9, 10)


def _small_policy(client, admin) -> None:
    from garita.policy.service import shipped_history

    policy = shipped_history()[-2].policy.model_dump(mode="json")
    policy["port_capacity"] = {p: 0 for p in policy["port_capacity"]} | {"SYS": 4, "ELP": 3}
    policy["slots"] = ["08:00", "10:00"]
    r = client.post("/policies", json={"effective_from": str(DAY), "note": "small",
                                       "policy": policy}, headers=admin)
    assert r.status_code == 201, r.text


def _population(client, n: int = 12) -> list[tuple[dict, int]]:
    people = []
    for i in range(n):
        h = applicant(client)
        reg = register(client, h, members=i % 3)
        assert ask(client, h, reg["id"], TIJUANA, port="SYS" if i % 3 else "ELP").status_code == 201
        people.append((h, reg["id"]))
    return people


def _publish(client, tmp_path: Path) -> Path:
    out = tmp_path / "pub"
    out.mkdir()
    for name in ("publication.json", "inputs.csv", "results.csv"):
        r = client.get(f"/draws/{DAY}/{name}")
        assert r.status_code == 200, r.text
        (out / name).write_bytes(r.content)
    return out


def test_commit_reveal_publish_and_verify(client, clock, tmp_path):
    admin = staff(client)
    clock.set_et(DAY, 12, 30)
    _small_policy(client, admin)
    made = client.post(f"/draws/{DAY}/commitment", headers=admin)
    assert made.status_code == 201, made.text
    assert client.post(f"/draws/{DAY}/commitment", headers=admin).json() == made.json()
    public = client.get(f"/draws/{DAY}/commitment").json()
    assert public["seed"] is None and public["committed_in_advance"] is True
    with client.app.state.sessions() as s:  # the database holds no readable seed
        row = s.query(DrawCommitment).one()
        assert row.seed_sha256 == public["seed_sha256"] and len(row.seed_sealed) == 2 * 60

    people = _population(client)
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    draw = client.post(f"/draws/{DAY}", headers=admin).json()
    assert draw["committed_in_advance"] is True and draw["seed_sha256"] == public["seed_sha256"]
    revealed = client.get(f"/draws/{DAY}/commitment").json()
    assert hashlib.sha256(bytes.fromhex(revealed["seed"])).hexdigest() == public["seed_sha256"]

    out = _publish(client, tmp_path)
    manifest = json.loads((out / "publication.json").read_text())
    assert manifest["seed"] == revealed["seed"] and manifest["requests"] == len(people)
    assert (manifest["format"], manifest["rule"]) == ("garita-draw-publication-v2", "group-fair")
    assert str(verify_dir(out)).startswith("identical: 12 requests")

    # an applicant finds their own ticket in the published list; ids appear nowhere
    h, reg_id = people[0]
    status = client.get(f"/registrations/{reg_id}/status", headers=h).json()
    ticket = (status["request"] or status["offer"])["ticket"]
    assert ticket is not None
    inputs = (out / "inputs.csv").read_text().splitlines()
    assert inputs[0] == "ticket,port,size,registered_on,earliest_day"
    assert sum(line.startswith(ticket + ",") for line in inputs) == 1


def _tampered(src: Path, dst: Path, name: str, edit) -> Path:
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    path = dst / name
    path.write_text(edit(path.read_text()))
    return dst


def test_verifier_catches_changes(client, clock, tmp_path):
    admin = staff(client)
    clock.set_et(DAY, 12, 30)
    _small_policy(client, admin)
    _population(client)
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).json()["committed_in_advance"] is False
    out = _publish(client, tmp_path)
    assert verify_dir(out).identical

    def change_rank(text: str) -> str:
        lines = text.splitlines()
        fields = lines[1].split(",")
        fields[3] = str(int(fields[3]) + 1)
        return "\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n"

    verdict = verify_dir(_tampered(out, tmp_path / "r", "results.csv", change_rank))
    assert not verdict.identical and "results.csv row 1" in verdict.difference

    def change_size(text: str) -> str:
        lines = text.splitlines()
        fields = lines[1].split(",")
        fields[2] = str(int(fields[2]) % 10 + 1)
        return "\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n"

    verdict = verify_dir(_tampered(out, tmp_path / "i", "inputs.csv", change_size))
    assert not verdict.identical and "input row" in verdict.difference

    def other_seed(text: str) -> str:
        data = json.loads(text)
        data["seed"] = "00" * 32
        return json.dumps(data)

    verdict = verify_dir(_tampered(out, tmp_path / "s", "publication.json", other_seed))
    assert not verdict.identical and "seed" in verdict.difference

    def other_seed_and_hash(text: str) -> str:  # a forger who also fixes the hash
        data = json.loads(text)
        data["seed"] = "11" * 32
        data["seed_sha256"] = hashlib.sha256(bytes(32 * [0x11])).hexdigest()
        return json.dumps(data)

    verdict = verify_dir(_tampered(out, tmp_path / "h", "publication.json", other_seed_and_hash))
    assert not verdict.identical and "results.csv row" in verdict.difference


def test_commitment_rules(client, clock):
    admin = staff(client)
    clock.set_et(DAY, 23, 59)
    late_reader = client.get(f"/draws/{DAY - dt.timedelta(days=1)}/commitment")
    assert late_reader.status_code == 404
    assert "before its request window" in late_reader.json()["detail"]
    far = client.post(f"/draws/{DAY + dt.timedelta(days=40)}/commitment", headers=admin)
    assert far.status_code == 422 and "days ahead" in far.json()["detail"]
    assert client.post(f"/draws/{DAY}/commitment").status_code == 401
    assert client.get(f"/draws/{DAY}/publication.json").status_code == 404
    assert client.get(f"/draws/{DAY}/commitment").json()["committed_in_advance"] is True


@pytest.mark.parametrize("strict", [True, False])
def test_require_commitment(database_url, clock, strict):
    from fastapi.testclient import TestClient

    from garita.app import create_app
    from kit import settings_for

    app = create_app(settings_for(database_url, draw_require_commitment=strict), clock=clock)
    with TestClient(app) as c:
        clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
        r = c.post(f"/draws/{DAY}", headers=staff(c))
    app.state.engine.dispose()
    if strict:
        assert r.status_code == 422 and "REQUIRE_COMMITMENT" in r.json()["detail"]
    else:
        assert r.status_code == 201 and r.json()["committed_in_advance"] is False


def test_fairness_route(client, clock):
    admin = staff(client)
    clock.set_et(DAY, 12, 30)
    _small_policy(client, admin)
    people = _population(client)
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
    analyst = staff(client, role="analyst")
    r = client.get(f"/draws/fairness?from={DAY}&to={DAY}", headers=analyst)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["draws"] == 1 and body["correction"] == "holm-bonferroni"
    assert sum(v["requests"] for v in body["rates"]["port"]) == body["pool"] <= len(people)
    assert client.get(f"/draws/fairness?from={DAY}&to={DAY}", headers=people[0][0]).status_code == 403
    bad = client.get(f"/draws/fairness?from={DAY}&to={DAY - dt.timedelta(days=1)}", headers=analyst)
    assert bad.status_code == 422 and "swap" in bad.json()["detail"]


def test_cli_publish_and_verify(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from garita.cli import app

    runner = CliRunner()
    monkeypatch.setenv("GARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("GARITA_AUDIT_ANCHOR_DIR", str(tmp_path / "anchors"))
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(app, ["draw", "commit", "--date", "2024-12-01"])
    assert r.exit_code == 2 and "before its request window" in r.output  # long past: too late
    assert runner.invoke(app, ["draw", "run", "--date", "2024-12-01"]).exit_code == 0
    out = tmp_path / "pub"
    r = runner.invoke(app, ["draw", "publish", "--date", "2024-12-01", "--out", str(out)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["draw", "verify", str(out)])
    assert r.exit_code == 0 and "identical" in r.output
    manifest = json.loads((out / "publication.json").read_text())
    manifest["seed"] = "00" * 32
    (out / "publication.json").write_text(json.dumps(manifest))
    r = runner.invoke(app, ["draw", "verify", str(out)])
    assert r.exit_code == 1 and "different" in r.output
    r = runner.invoke(app, ["draw", "fairness", "--from", "2024-12-01", "--to", "2024-12-01"])
    assert r.exit_code == 0 and "no significant deviation" in r.output
    assert runner.invoke(app, ["draw", "verify", str(tmp_path / "nowhere")]).exit_code == 2
