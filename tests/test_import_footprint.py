"""The API worker loads no batch, PDF or matching library until a route needs one.

An API worker should stay within 300 MB resident (docs/benchmarks.md). Polars,
fpdf (with PIL and fontTools), pyHanko, zxing-cpp, the name matchers, the address parser,
Splink/DuckDB and OR-Tools serve only a few routes and the CLI, so they are
imported where they are used. A fresh interpreter checks that importing the app
and building it loads none of them.
"""

from __future__ import annotations

import json
import subprocess
import sys

from kit import settings_for

HEAVY = ("polars", "fpdf", "PIL", "fontTools", "zxingcpp", "rapidfuzz", "jellyfish",
         "usaddress", "duckdb", "splink", "ortools", "pyhanko")

SCRIPT = """
import json, sys
import garita.app
from garita.settings import Settings
after_import = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
garita.app.create_app(Settings(**json.loads(sys.argv[1])))
after_create = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
print(json.dumps({"import": after_import, "create_app": after_create}))
"""


def test_app_loads_no_heavy_library(tmp_path):
    settings = settings_for(f"sqlite:///{tmp_path / 'footprint.sqlite3'}")
    values = {"database_url": settings.database_url,
              "secret_key": settings.secret_key.get_secret_value()}
    run = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{SCRIPT}",
                          json.dumps(values)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout.strip().splitlines()[-1])
    assert loaded == {"import": [], "create_app": []}, (
        f"loaded at start-up: {loaded}; import them inside the functions that use them")
