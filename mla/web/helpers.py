"""Helpers every blueprint uses: the one role/office guard, the clock, error messages, and the one
transaction every write runs in (saving a form, a button's action)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import wraps
from typing import Any, Protocol, TypeVar, cast

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from mla.db import db_session
from mla.domain.access import may_see
from mla.domain.enums import Role
from mla.domain.errors import AccessDenied, DomainError, StageClosed, StaleEdit
from mla.i18n import message_text
from mla.models import AssistanceRequest, UserSession
from mla.services.accounts.sessions import SessionPolicy
from mla.services.accounts.throttle import SignInPolicy

F = TypeVar("F", bound=Callable[..., Any])
ErrorTypes = type[DomainError] | tuple[type[DomainError], ...]


class PartOfRequest(Protocol):
    @property
    def request_id(self) -> int: ...


T = TypeVar("T", bound=PartOfRequest)


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


def user_agent() -> str:
    return (request.user_agent.string or "")[:200]


def sign_in_policy() -> SignInPolicy:
    config = current_app.config
    return SignInPolicy(free_failures=config["SIGN_IN_FREE_FAILURES"],
                        lock_after=config["SIGN_IN_LOCK_AFTER"],
                        lock_minutes=config["SIGN_IN_LOCK_MINUTES"], demo_mode=config["DEMO_MODE"])


def session_policy() -> SessionPolicy:
    config = current_app.config
    return SessionPolicy(idle_minutes=config["SESSION_IDLE_MINUTES"], max_hours=config["SESSION_MAX_HOURS"])


def current_session() -> UserSession:
    """The session record the signed-in user's cookie names (set when Flask-Login loads the user)."""
    return g.user_session


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

        return cast(F, wrapped)  # `wraps` keeps the view's signature, which mypy cannot see

    return decorator


def visible_request(request_id: int) -> AssistanceRequest:
    """The request, if it exists and the user may see it; 404 otherwise, so that requests of
    other offices do not even show that they exist."""
    item = db_session().get(AssistanceRequest, request_id)
    if item is None or not may_see(current_user, item):
        abort(404)
    return item


def not_now(item: AssistanceRequest, message: str, anchor: str = "") -> Response:
    """Where a form that the request's stage closes sends a GET: the request's page, saying why. (A
    POST shows the form again with the message, keeping what was typed: see save_form.)"""
    flash(message, "warning")
    return redirect(url_for("requests.show", request_id=item.id) + anchor, 303)


def part_of(model: type[T], item: AssistanceRequest, part_id: int) -> T:
    """A person, measure or attachment of `item`; 404 when it belongs to another request."""
    part = db_session().get(model, part_id)
    if part is None or part.request_id != item.id:
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


def posted_version(name: str = "version") -> int | None:
    """The version a form says it was opened on; None when it is missing or not a plain number."""
    raw = request.form.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


class VersionedRecord(Protocol):
    id: int
    version: int


def saved_version(model: type[Any], record_id: int) -> int | None:
    """The version stored now; None when the record is gone."""
    return db_session().scalar(select(model.version).where(model.id == record_id))


class Work:
    """What one write at the web edge came to: the refusal, if any, and what waits for its commit."""

    def __init__(self) -> None:
        self.error: DomainError | None = None
        self._after_commit: list[Callable[[], object]] = []

    @property
    def failed(self) -> bool:
        return self.error is not None

    def after_commit(self, action: Callable[[], object]) -> None:
        """Run `action` (sending mail, say) once the write is committed; never when it is not."""
        self._after_commit.append(action)


def refusal_status(exc: DomainError) -> int:
    """The status of a page refusing a write: 409 when someone else saved, or the stage moved, in
    between; 403 for a change this user may not make; 400 for bad input."""
    if isinstance(exc, StaleEdit | StageClosed):
        return 409
    return 403 if isinstance(exc, AccessDenied) else 400


@contextmanager
def transaction(form: FlaskForm | None = None, *, keep: ErrorTypes = (), quiet: ErrorTypes = ()
                ) -> Iterator[Work]:
    """The one place the web commits: the block's writes are committed once, at its end; a DomainError
    it raises is rolled back (committed instead when it is one of `keep`, such as a failed sign-in that
    must be counted), its message is put on `form` or at the top of the page (not for `quiet` ones,
    which the view shows itself) and it is kept in `Work.error`. Any other error rolls back and goes
    on. What the block asked to run after the commit runs only once it has succeeded. A transaction
    opened inside another one is part of it: only the outer one commits."""
    outer: Work | None = g.get("mla_work")
    if outer is not None:
        yield outer
        return
    db, work = db_session(), Work()
    g.mla_work = work
    try:
        try:
            yield work
        except DomainError as exc:
            if isinstance(exc, keep):
                db.commit()
            else:
                db.rollback()
            work.error = exc
            if not isinstance(exc, quiet):
                show_error(exc, form)
            return
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        g.pop("mla_work", None)
    for action in work._after_commit:
        action()


def save_form(form: FlaskForm, write: Callable[[], object], record: VersionedRecord | None = None
              ) -> int | None:
    """Run a service in a transaction: None when saved. Otherwise the message is on the form (which
    keeps what was typed) and the status of the page is given (see refusal_status). After a refused
    save the form takes the version saved now, so that a second save, made after review, may
    overwrite."""
    kept = (type(record), record.id) if record is not None else None
    with transaction(form) as work:
        write()
    if work.error is None:
        return None
    status = refusal_status(work.error)
    if status == 409 and kept is not None:
        form.version.data = str(saved_version(*kept) or "")
    return status


def commit_or_show(write: Callable[[], object], done: str) -> bool:
    """Run a service in a transaction, flashing `done`, or its message when refused. True if saved."""
    with transaction() as work:
        write()
    if not work.failed:
        flash(done, "success")
    return not work.failed


def spreadsheet_safe(value: object) -> str:
    """A cell for CSV/XLSX exports that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
