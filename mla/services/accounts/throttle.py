"""Failure counters in the database that slow further tries down and then lock them, for passwords
and second-factor codes alike."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mla.domain.errors import N_, SignInRefused
from mla.models import SignInThrottle

MAX_BLOCK_SECONDS = 300


@dataclass(frozen=True)
class SignInPolicy:
    """Failures allowed before tries slow down, failures that lock, and how long a lock lasts."""

    free_failures: int = 3
    lock_after: int = 10
    lock_minutes: int = 15
    demo_mode: bool = False


def throttle_key(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_throttle(session: Session, key: str) -> SignInThrottle:
    """The counter under `key`, locked until the transaction ends, so that tries sent at once are
    each counted (on PostgreSQL; SQLite's write lock serialises them anyway)."""
    throttle = session.get(SignInThrottle, key, with_for_update=True, populate_existing=True)
    if throttle is not None:
        return throttle
    try:
        with session.begin_nested():
            session.add(SignInThrottle(key=key, failures=0))
    except IntegrityError:
        pass  # a concurrent try made it first: lock theirs
    # get_one: the row exists now, inserted above or by the concurrent try, and nothing deletes counters
    return session.get_one(SignInThrottle, key, with_for_update=True, populate_existing=True)


def refuse_if_blocked(throttle: SignInThrottle, now: datetime) -> None:
    """Refuse a try while the counter is slowed down or locked, saying how long to wait."""
    if not throttle.blocked_until or throttle.blocked_until <= now:
        return
    seconds = int((throttle.blocked_until - now).total_seconds()) + 1
    if seconds > MAX_BLOCK_SECONDS:
        raise SignInRefused(
            N_("This account is locked after too many failed attempts. Try again in %(minutes)s minutes."),
            params={"minutes": (seconds + 59) // 60})
    raise SignInRefused(N_("Too many failed attempts. Try again in %(seconds)s seconds."),
                        params={"seconds": seconds})


def count_failure(throttle: SignInThrottle, now: datetime, *, free_failures: int, lock_after: int,
                  lock_minutes: int) -> datetime | None:
    """Count one failure: past `free_failures` the next try waits 2, 4, 8 … seconds, and at
    `lock_after` it waits `lock_minutes`. The lock's end when this failure set the lock, else None."""
    throttle.failures += 1
    throttle.last_failure_at = now
    over = throttle.failures - free_failures
    if throttle.failures >= lock_after:
        throttle.blocked_until = now + timedelta(minutes=lock_minutes)
    elif over > 0:
        throttle.blocked_until = now + timedelta(seconds=min(2**over, MAX_BLOCK_SECONDS))
    return throttle.blocked_until if throttle.failures == lock_after else None


def clear_failures(throttle: SignInThrottle) -> None:
    throttle.failures = 0
    throttle.blocked_until = None
