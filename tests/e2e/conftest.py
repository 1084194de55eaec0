"""Browser tests: the demo served on 127.0.0.1 and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from mla.app import create_app
from mla.db import get_database
from mla.demo.seed import seed_demo
from mla.migrations import upgrade
from mla.reference.loader import load_reference
from mla.services.operations.reference import load_reference_data
from tests.conftest import FIXED_NOW, note_skipped_suite

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    if not CHROMIUM.exists():
        note_skipped_suite("e2e", f"no Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture(scope="session")
def live_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e-instance")


@pytest.fixture(scope="session")
def live_database_url(live_instance: Path) -> str:
    return f"sqlite:///{live_instance / 'e2e.sqlite3'}"


@pytest.fixture(scope="session")
def live_server(live_instance: Path, live_database_url: str) -> Iterator[str]:
    """The demo, with real commits, on a free port of 127.0.0.1."""
    instance, url = live_instance, live_database_url
    upgrade(url)
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "DEMO_MODE": True,
                      "INSTANCE_PATH": instance})
    with get_database(app).session_factory() as session:
        load_reference_data(session, load_reference())
        seed_demo(session, now=FIXED_NOW)
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
