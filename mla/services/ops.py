"""Operational records: heartbeats of background services."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from mla.models import ServiceHeartbeat


def record_heartbeat(session: Session, *, name: str, now: datetime, detail: str = "") -> None:
    beat = session.get(ServiceHeartbeat, name) or ServiceHeartbeat(name=name)
    beat.seen_at, beat.detail = now, detail
    session.add(beat)
    session.flush()
