"""The one check against lost edits: a form carries the version of the record it was opened on, and a
save is refused when the record has moved on since (mla.models.base.Versioned)."""
from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mla.domain.errors import N_, StaleEdit

MISSING_VERSION = N_(
    "The form did not say which version of the record it was opened on, so it could not be checked "
    "against other people's changes. Nothing was saved: your changes are still in the form; check "
    "them against what is saved now and save again."
)

STALE_REMOVAL = N_(
    "Someone else changed this after you opened the page, so nothing was removed. Look at what is saved "
    "now and remove it again if you still want to."
)


class HasVersion(Protocol):
    version: int


def check_version(record: HasVersion, expected: int | None, stale_message: str) -> None:
    """Refuse when the posted version is missing or garbled (None), or another save came first."""
    if expected is None:
        raise StaleEdit(MISSING_VERSION)
    if record.version != expected:
        raise StaleEdit(stale_message)


def flush_checked(session: Session, stale_message: str) -> None:
    """Flush; a save that raced ours between the check and the UPDATE (the row's version no longer
    matches) is refused the same way."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise StaleEdit(stale_message) from exc
