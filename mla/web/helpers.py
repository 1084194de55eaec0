"""Helpers every blueprint uses: the one role/office guard, the clock, error messages."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar

from flask import abort, flash, request
from flask_login import current_user
from flask_wtf import FlaskForm

from mla.db import db_session
from mla.domain.access import may_see_request
from mla.domain.enums import Role
from mla.domain.errors import DomainError
from mla.i18n import message_text
from mla.models import AssistanceRequest

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


# A page number past any list's end: larger ones would only overflow the query's OFFSET.
MAX_PAGE = 100_000
# The largest id any table holds: ids are INTEGER columns, 32-bit on PostgreSQL (SQLite's reach 2^63 - 1).
MAX_ID = 2**31 - 1


def page_number() -> int:
    """The list page the URL asks for (?page=), from 1 to MAX_PAGE: a larger number is the last one
    (the list then shows its own last page), anything but a number the first."""
    raw = request.args.get("page", "")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    return MAX_PAGE if len(raw) > len(str(MAX_PAGE)) else min(max(int(raw), 1), MAX_PAGE)


def as_id(text: str) -> int | None:
    """`text` as an id a table could hold, or None (a number of any length is refused unread)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)) or int(text) > MAX_ID:
        return None
    return int(text)


def now_utc() -> datetime:
    return datetime.now(UTC)


def remote_addr() -> str:
    return (request.remote_addr or "")[:64]


def role_required(*roles: Role) -> Callable[[F], F]:
    """Guard a view: the signed-in user must hold one of `roles` (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401)
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def visible_request(request_id: int) -> AssistanceRequest:
    """The request, if it exists and the user may see it; 404 otherwise, so that requests of
    other offices do not even show that they exist."""
    item = db_session().get(AssistanceRequest, request_id)
    if item is None or not may_see_request(current_user, item.office_id, item.stage):
        abort(404)
    return item


def part_of(model: type[T], item: AssistanceRequest, part_id: int) -> T:
    """A person, measure or attachment of `item`; 404 when it belongs to another request."""
    part = db_session().get(model, part_id)
    if part is None or part.request_id != item.id:  # type: ignore[attr-defined]
        abort(404)
    return part


def error_text(exc: DomainError) -> str:
    """The error in the interface language."""
    return message_text(exc.message, exc.params)


def show_error(exc: DomainError, form: FlaskForm | None = None) -> None:
    """Put the message beside its field when the form has it, else at the top of the page."""
    text = error_text(exc)
    field = getattr(form, exc.field, None) if form is not None and exc.field else None
    if field is not None:
        field.errors = [*field.errors, text]
    else:
        flash(text, "danger")


def commit_or_show(write: Callable[[], object], done: str) -> bool:
    """Run a service and commit, flashing `done`; or roll back and flash its message. True if saved."""
    db = db_session()
    try:
        write()
    except DomainError as exc:
        db.rollback()
        show_error(exc)
        return False
    db.commit()
    flash(done, "success")
    return True


def spreadsheet_safe(value: object) -> str:
    """A cell for CSV/XLSX exports that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
