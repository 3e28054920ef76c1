"""Publications made before the ``group-fair`` rule still verify, under the rule they ran with.

``data/publication-v1`` was written by the code of that time (format v1, no ``rule``
field; 300 requests, 8 ports, 10 slots of 4-5 places). Its draw is ``first-fit``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from garita.draw.verify import verify_dir

V1 = Path(__file__).parent / "data" / "publication-v1"


def _copy_with(tmp_path: Path, **fields) -> Path:
    out = tmp_path / "pub"
    shutil.copytree(V1, out)
    manifest = json.loads((out / "publication.json").read_text())
    (out / "publication.json").write_text(json.dumps(manifest | fields))
    return out


def test_a_format_v1_publication_verifies_as_first_fit():
    manifest = json.loads((V1 / "publication.json").read_text())
    assert manifest["format"] == "garita-draw-publication-v1" and "rule" not in manifest
    assert str(verify_dir(V1)) == "identical: 300 requests, 149 winners recomputed"


def test_the_rule_decides_the_result(tmp_path):
    verdict = verify_dir(_copy_with(tmp_path, rule="group-fair"))
    assert not verdict.identical and verdict.difference.startswith("results.csv row")


def test_an_unknown_rule_is_named(tmp_path):
    verdict = verify_dir(_copy_with(tmp_path, rule="coin-toss"))
    assert not verdict.identical and "'coin-toss'" in verdict.difference
