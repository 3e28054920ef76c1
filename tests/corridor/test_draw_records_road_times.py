"""A draw records the road table its reachable days were computed on, and publishes and
verifies from that record (issue 10, point 1): the operator may change
GARITA_ROAD_TIMES_FILE after the draw without breaking its publication, and draws made
before tables were recorded still publish and verify as they did."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from garita.draw import publication
from garita.draw import publish as published
from garita.draw import service as draws
from garita.draw.models import Draw
from garita.draw.verify import verify_dir
from kit import TAPACHULA, applicant, ask, register, staff

DAY = dt.date(2024, 9, 10)
SLOW = "from,to,hours\nTapachula,Heroica Matamoros,70\n"


def _draw_from_tapachula(client, clock) -> str:
    """A family asks in Tapachula for Brownsville and is drawn; its appointment day."""
    me = applicant(client)
    reg = register(client, me, members=1)
    assert ask(client, me, reg["id"], TAPACHULA, port="BRO").status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=staff(client)).status_code == 201
    return client.get(f"/registrations/{reg['id']}/status",
                      headers=me).json()["offer"]["appointment_date"]


def _publish(client, road_times: Path, out: Path) -> tuple[dict, list[str]]:
    """As ``garita draw publish`` does, with the server's GARITA_ROAD_TIMES_FILE."""
    with client.app.state.sessions() as s:
        published.write(s, DAY, draws.secrets_of(client.app.state.settings), out, road_times)
    manifest = json.loads((out / "publication.json").read_text("utf-8"))
    return manifest, (out / "inputs.csv").read_text("utf-8").splitlines()


def test_a_changed_road_file_does_not_change_a_published_draw(client, clock, road_times,
                                                              tmp_path):
    road_times.write_text(SLOW, "utf-8")
    day = _draw_from_tapachula(client, clock)
    road_times.write_text("from,to,hours\nTapachula,Heroica Matamoros,20\n", "utf-8")
    manifest, inputs = _publish(client, road_times, tmp_path / "pub")
    assert manifest["road_times"] == [["Tapachula", "BRO", 70.0]]
    assert manifest["road_times_sha256"] == publication.road_times_digest(
        [("Tapachula", "BRO", 70)])
    assert inputs[1].endswith("," + day)  # the day reachable on 70 h, as drawn
    assert str(verify_dir(tmp_path / "pub")).startswith("identical: 1 requests")
    served = tmp_path / "served"  # the same through the API, on the server's new file
    served.mkdir()
    for name in ("publication.json", "inputs.csv", "results.csv"):
        r = client.get(f"/draws/{DAY}/{name}")
        assert r.status_code == 200, r.text
        (served / name).write_bytes(r.content)
    assert json.loads((served / "publication.json").read_bytes())["road_times"] == [
        ["Tapachula", "BRO", 70.0]]
    assert str(verify_dir(served)).startswith("identical: 1 requests")

    tampered = tmp_path / "tampered"  # a publication whose table was edited afterwards
    tampered.mkdir()
    for f in (tmp_path / "pub").iterdir():
        (tampered / f.name).write_bytes(f.read_bytes())
    manifest["road_times"][0][2] = 20.0
    (tampered / "publication.json").write_text(json.dumps(manifest), "utf-8")
    assert "road_times_sha256" in str(verify_dir(tampered))


def test_a_draw_made_before_tables_were_recorded_still_publishes_and_verifies(
        client, clock, road_times, tmp_path):
    road_times.write_text(SLOW, "utf-8")
    day = _draw_from_tapachula(client, clock)
    with client.app.state.sessions() as s:  # its record as draws kept it before
        draw = s.query(Draw).one()
        draw.draw_inputs = {k: v for k, v in draw.draw_inputs.items()
                            if k not in ("road_times", "road_times_sha256")}
        s.commit()
    manifest, inputs = _publish(client, road_times, tmp_path / "old")  # the file it ran on
    assert "road_times" not in manifest and "road_times_sha256" not in manifest
    assert inputs[1].endswith("," + day)
    assert str(verify_dir(tmp_path / "old")).startswith("identical: 1 requests")
    served = tmp_path / "served"  # through the API: the new keys are null, as for any old draw
    served.mkdir()
    for name in ("publication.json", "inputs.csv", "results.csv"):
        (served / name).write_bytes(client.get(f"/draws/{DAY}/{name}").content)
    assert json.loads((served / "publication.json").read_bytes())["road_times"] is None
    assert str(verify_dir(served)).startswith("identical: 1 requests")
