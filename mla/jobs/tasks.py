"""Job bodies: each opens its own session, calls services, commits once."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Flask

from mla.db import get_database
from mla.reference.loader import load_reference
from mla.services.clocks.lifecycle import mark_missed_clocks
from mla.services.clocks.reminders import SweepReport, policy_from_config, send_due_reminders
from mla.services.operations.heartbeats import record_heartbeat, refresh_planner_statistics
from mla.services.operations.outbox import mailer_from_config
from mla.services.oversight.audit_anchor import CheckpointError, write_checkpoint

log = logging.getLogger(__name__)


def beat(app: Flask) -> None:
    """Tell /healthz that the scheduler is alive."""
    with get_database(app).session_factory() as session:
        record_heartbeat(session, name="scheduler", now=datetime.now(UTC))
        session.commit()


def refresh_statistics(app: Flask) -> None:
    """Nightly: the database planner's statistics (SQLite; PostgreSQL keeps its own)."""
    try:
        with get_database(app).session_factory() as session:
            if refresh_planner_statistics(session):
                session.commit()
                log.info("planner statistics refreshed")
    except Exception:  # logged; the pages stay correct, only slower, until the next night
        log.exception("refreshing the planner statistics failed; the next night tries again")


def record_missed_clocks(app: Flask, now: datetime) -> None:
    """Record the clocks whose due date passed as missed (they stay open until met)."""
    try:
        with get_database(app).session_factory() as session:
            missed = mark_missed_clocks(session, now=now, home_iso2=load_reference().home_iso2)
            session.commit()
    except Exception:  # logged; the reminders go out all the same
        log.exception("recording missed clocks failed; the next sweep tries again")
        return
    if missed:
        log.info("%d clock(s) recorded as missed", len(missed))


def sweep_reminders(app: Flask) -> SweepReport | None:
    """Record missed clocks, then send the reminders due now. The sweep commits its own claims
    (exactly-once); anything that goes wrong is logged and left for the next run, which catches up,
    so the scheduler never stops."""
    now = datetime.now(UTC)
    record_missed_clocks(app, now)
    session_factory = get_database(app).session_factory
    try:
        report = send_due_reminders(session_factory, now=now, home_iso2=load_reference().home_iso2,
                                    mailer=mailer_from_config(app.config, session_factory),
                                    policy=policy_from_config(app.config))
    except Exception:  # a job that raises is only logged by APScheduler; say more
        log.exception("reminder sweep failed; the next sweep retries")
        return None
    for line in report.lines():
        log.info("reminder sweep: %s", line)
    return report


def checkpoint_audit_chain(app: Flask) -> None:
    """Anchor the audit chain's end outside the database: a signed checkpoint in the checkpoint file
    and the log. A chain that disagrees with the last checkpoint is an alarm, logged as an error."""
    try:
        with get_database(app).session_factory() as session:
            write_checkpoint(session, app.config["AUDIT_KEY"], datetime.now(UTC),
                             app.config["AUDIT_CHECKPOINT_FILE"])
    except (CheckpointError, OSError) as exc:
        log.error("the audit chain cannot be checkpointed: %s", exc)
