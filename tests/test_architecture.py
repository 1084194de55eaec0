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


def test_services_take_the_home_country_as_an_argument() -> None:
    """The home country has one source, the reference data; the edges read it and pass it in."""
    readers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "mla" / "services").rglob("*.py")
                     if ".home_iso2" in path.read_text(encoding="utf-8")
                     or "HOME_COUNTRY" in path.read_text(encoding="utf-8"))
    assert readers == []
