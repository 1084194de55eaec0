"""The health report: database reachable, migrations current, scheduler last seen."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mla.migrations import current_revision, head_revision
from mla.models import ServiceHeartbeat

SCHEDULER_STALE_AFTER = timedelta(minutes=5)


def check_health(session: Session, now: datetime) -> dict[str, Any]:
    """Healthy when the database answers and is at the migration head; the scheduler is
    reported but does not make the web app unhealthy (it runs in its own process)."""
    try:
        session.execute(text("SELECT 1"))
        current = current_revision(session.connection())
        beat = session.get(ServiceHeartbeat, "scheduler")
    except SQLAlchemyError as exc:
        session.rollback()
        return {"ok": False, "database": {"ok": False, "error": type(exc).__name__},
                "migrations": None, "scheduler": None}
    head = head_revision()
    scheduler = {"last_seen": beat.seen_at.isoformat() if beat else None,
                 "ok": bool(beat and now - beat.seen_at < SCHEDULER_STALE_AFTER)}
    return {
        "ok": current == head,
        "database": {"ok": True},
        "migrations": {"current": current, "head": head, "ok": current == head},
        "scheduler": scheduler,
    }
