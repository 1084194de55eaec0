"""The scheduler: APScheduler 3 in its own process, one instance per host (TECH-NOTES §4)."""
from __future__ import annotations

import fcntl
import os
from datetime import datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from mla.jobs import tasks

HEARTBEAT_SECONDS = 60
SWEEP_JOB_ID = "reminder-sweep"
STATISTICS_JOB_ID = "planner-statistics"
STATISTICS_AT = {"hour": 3, "minute": 30}  # local time: the quietest hour of the offices
AUDIT_CHECKPOINT_JOB_ID = "audit-checkpoint"
# How long records may wait before a checkpoint outside the database proves they were there.
AUDIT_CHECKPOINT_MINUTES = 5


class SchedulerAlreadyRunning(RuntimeError):
    """Another scheduler holds the lock of this instance folder."""


def _take_lock(instance_path: str) -> IO[str]:
    # A second scheduler on this host would run every job twice; the OS frees the lock if we crash.
    handle = open(Path(instance_path) / "scheduler.lock", "w")  # noqa: SIM115 (held for life)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise SchedulerAlreadyRunning(
            f"another scheduler is running for {instance_path}"
        ) from exc
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=app.config["TIME_ZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    scheduler.add_job(tasks.beat, "interval", seconds=HEARTBEAT_SECONDS, args=[app],
                      id="heartbeat", replace_existing=True)
    # Run the sweep at start, then every few minutes. The sweep itself finds everything due and
    # unclaimed, so a late or missed run loses nothing: coalesce the backlog into one run, and let
    # a run however late still happen (misfire_grace_time=None) rather than be skipped.
    scheduler.add_job(tasks.sweep_reminders, "interval", minutes=app.config["REMINDER_SWEEP_MINUTES"],
                      timezone=app.config["TIME_ZONE"], args=[app], id=SWEEP_JOB_ID,
                      next_run_time=datetime.now(ZoneInfo(app.config["TIME_ZONE"])),
                      coalesce=True, max_instances=1, misfire_grace_time=None, replace_existing=True)
    scheduler.add_job(tasks.refresh_statistics, "cron", **STATISTICS_AT, timezone=app.config["TIME_ZONE"],
                      args=[app], id=STATISTICS_JOB_ID, replace_existing=True)
    scheduler.add_job(tasks.checkpoint_audit_chain, "interval", minutes=AUDIT_CHECKPOINT_MINUTES, args=[app],
                      id=AUDIT_CHECKPOINT_JOB_ID, replace_existing=True)
    return scheduler


def run_scheduler(app: Flask) -> None:
    lock = _take_lock(app.instance_path)
    try:
        tasks.beat(app)
        build_scheduler(app).start()
    finally:
        lock.close()
