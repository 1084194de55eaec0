"""Job bodies: each opens its own session, calls services, commits once."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from mla.db import get_database
from mla.services.ops import record_heartbeat


def beat(app: Flask) -> None:
    """Tell /healthz that the scheduler is alive."""
    with get_database(app).session_factory() as session:
        record_heartbeat(session, name="scheduler", now=datetime.now(UTC))
        session.commit()
