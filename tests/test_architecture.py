"""What importing the domain loads, in a fresh interpreter. The other dependency rules of ARCHITECTURE.md
are import-linter's contracts in pyproject.toml, checked by `lint-imports` (a step of .ci/run)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Import every module of mla.domain, then list the top-level packages now loaded.
IMPORT_THE_DOMAIN = """
import importlib, json, pkgutil, sys
import mla.domain
for module in pkgutil.iter_modules(mla.domain.__path__):
    importlib.import_module(f"mla.domain.{module.name}")
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_importing_the_domain_loads_neither_flask_nor_sqlalchemy() -> None:
    result = subprocess.run([sys.executable, "-c", IMPORT_THE_DOMAIN], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    loaded = json.loads(result.stdout)
    assert "mla" in loaded
    heavy = [name for name in loaded if name.startswith(("flask", "sqlalchemy", "docxtpl", "werkzeug"))]
    assert heavy == []
