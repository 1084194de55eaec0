"""The scheduler: APScheduler 3 in its own process, one instance per host (TECH-NOTES §4)."""
from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from mla.jobs import tasks

HEARTBEAT_SECONDS = 60


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
    return scheduler


def run_scheduler(app: Flask) -> None:
    lock = _take_lock(app.instance_path)
    try:
        tasks.beat(app)
        build_scheduler(app).start()
    finally:
        lock.close()
