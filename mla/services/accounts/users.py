"""Accounts: creating and changing users, resetting passwords, ending sessions."""
from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from mla.domain.enums import Role, SessionEnd
from mla.domain.errors import N_, DomainError
from mla.models import Office, User
from mla.services.accounts.sessions import end_all_sessions
from mla.services.audit import record_event
from mla.services.versions import check_version

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
STALE_ACCOUNT = N_(
    "Another administrator saved this account after you opened the form. Nothing of yours was saved: "
    "your changes are still in the form; compare them with the saved account and save again."
)


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(N_("Enter a valid e-mail address."), field="email") from exc


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            N_("The password must have at least %(count)s characters."),
            field="password",
            params={"count": MIN_PASSWORD_LENGTH},
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(N_("The password is too long."), field="password")


def find_office(session: Session, code: str | None) -> Office | None:
    if not code:
        return None
    office = session.scalar(select(Office).where(Office.code == code.strip().upper()))
    if office is None:
        raise DomainError(N_("There is no office with that code."), field="office")
    return office


def create_user(
    session: Session,
    *,
    actor: User | None,
    now: datetime,
    email: str,
    full_name: str,
    role: Role,
    password: str,
    office: Office | None = None,
    is_demo: bool = False,
) -> User:
    email = normalise_email(email)
    full_name = full_name.strip()
    if not full_name or len(full_name) > 200:
        raise DomainError(N_("Enter a name of at most 200 characters."), field="full_name")
    check_password_rules(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError(N_("An account with this e-mail address exists already."), field="email")
    user = User(
        email=email,
        full_name=full_name,
        role=Role(role),
        office=office,
        password_hash=generate_password_hash(password),
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    record_event(
        session, actor=actor, now=now, action="user.create", object_type="user",
        object_id=user.id, changes={"email": email, "role": str(role),
                                    "office": office.code if office else None},
    )
    return user


def update_user(
    session: Session, *, actor: User, now: datetime, user: User, expected_version: int | None,
    full_name: str, role: Role, office: Office | None, is_active: bool,
) -> User:
    """Save the administrator's edit form opened on `expected_version`; refused when another
    administrator saved the account since. The row is read again under a lock (FOR UPDATE on
    PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the write lock), so that of two saves at once
    the second sees the first's version."""
    session.refresh(user, ["version"], with_for_update=True)
    check_version(user, expected_version, STALE_ACCOUNT)
    full_name = full_name.strip()
    if not full_name or len(full_name) > 200:
        raise DomainError(N_("Enter a name of at most 200 characters."), field="full_name")
    if user.id == actor.id and (not is_active or role != Role.ADMIN):
        raise DomainError(N_("You cannot deactivate yourself or remove your own administrator role."))
    before = {"full_name": user.full_name, "role": str(user.role),
              "office": user.office.code if user.office else None, "is_active": user.is_active}
    user.full_name = full_name
    user.role = Role(role)
    user.office = office
    user.is_active = is_active
    user.version += 1
    after = {"full_name": full_name, "role": str(role),
             "office": office.code if office else None, "is_active": is_active}
    changed: dict[str, object] = {key: [before[key], after[key]]
                                  for key in before if before[key] != after[key]}
    if before["is_active"] and not is_active:
        # so that re-activating the account later does not bring its old sessions back
        changed["sessions_ended"] = end_all_sessions(session, user=user, now=now,
                                                     reason=SessionEnd.ENDED_BY_ADMIN)
    session.flush()
    record_event(session, actor=actor, now=now, action="user.update", object_type="user",
                 object_id=user.id, changes=changed)
    return user


def reset_password(session: Session, *, actor: User, now: datetime, user: User, password: str) -> None:
    """An administrator sets a new password; the user's open sessions end with it."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    ended = end_all_sessions(session, user=user, now=now, reason=SessionEnd.PASSWORD_SET)
    record_event(session, actor=actor, now=now, action="user.reset_password", object_type="user",
                 object_id=user.id, changes={"sessions_ended": ended})


def end_sessions(session: Session, *, actor: User, now: datetime, user: User) -> None:
    """Sign the user out everywhere: every session record of theirs ends."""
    ended = end_all_sessions(session, user=user, now=now, reason=SessionEnd.ENDED_BY_ADMIN)
    record_event(session, actor=actor, now=now, action="user.end_sessions", object_type="user",
                 object_id=user.id, changes={"sessions_ended": ended})


def set_preferred_locale(session: Session, *, user: User, now: datetime, locale: str,
                         allowed: tuple[str, ...]) -> None:
    """Save the interface language a user wants on every device and in their e-mails."""
    if locale not in allowed:
        raise DomainError(N_("That language is not offered."), field="locale")
    if user.locale == locale:
        return
    record_event(session, actor=user, now=now, action="user.locale", object_type="user",
                 object_id=user.id, changes={"locale": [user.locale, locale]})
    user.locale = locale
