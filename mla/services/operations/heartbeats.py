"""Operational records and upkeep: heartbeats of background services, the planner's statistics."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from mla.models import ServiceHeartbeat


def record_heartbeat(session: Session, *, name: str, now: datetime, detail: str = "") -> None:
    beat = session.get(ServiceHeartbeat, name) or ServiceHeartbeat(name=name)
    beat.seen_at = now
    beat.detail = detail
    session.add(beat)
    session.flush()


# Rows ANALYZE samples per index on SQLite: enough to see that few countries or offices head an index,
# under a second at 100,000 requests.
ANALYSIS_LIMIT = 1000


def refresh_planner_statistics(session: Session) -> bool:
    """Refresh SQLite's table statistics (sqlite_stat1), without which its planner neither skips along
    the dashboard's (country, stage, due) indexes nor picks between indexes well; returns whether it ran.
    PostgreSQL's autovacuum keeps its own statistics."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    session.execute(text(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}"))
    session.execute(text("ANALYZE"))
    return True
