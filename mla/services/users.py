"""Accounts: creating and changing users, and signing in with throttled failures."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from mla.domain.enums import Role
from mla.domain.errors import N_, DomainError, SignInRefused
from mla.models import Office, SignInThrottle, User
from mla.services.audit import record_event

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_BLOCK_SECONDS = 300
# Checked against when the account is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-at-all")
WRONG_CREDENTIALS = N_("The e-mail address or the password is not correct.")


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
    session: Session, *, actor: User, now: datetime, user: User,
    full_name: str, role: Role, office: Office | None, is_active: bool,
) -> User:
    full_name = full_name.strip()
    if not full_name or len(full_name) > 200:
        raise DomainError(N_("Enter a name of at most 200 characters."), field="full_name")
    if user.id == actor.id and (not is_active or role != Role.ADMIN):
        raise DomainError(N_("You cannot deactivate yourself or remove your own administrator role."))
    before = {"full_name": user.full_name, "role": str(user.role),
              "office": user.office.code if user.office else None, "is_active": user.is_active}
    user.full_name, user.role, user.office, user.is_active = full_name, Role(role), office, is_active
    after = {"full_name": full_name, "role": str(role),
             "office": office.code if office else None, "is_active": is_active}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    session.flush()
    record_event(session, actor=actor, now=now, action="user.update", object_type="user",
                 object_id=user.id, changes=changed)
    return user


def _throttle_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def sign_in(
    session: Session, *, email: str, password: str, now: datetime,
    demo_mode: bool, free_failures: int, remote_addr: str = "",
) -> User:
    """The user whose credentials these are, or SignInRefused; failures slow later tries down."""
    key = _throttle_key(email)
    throttle = session.get(SignInThrottle, key) or SignInThrottle(key=key, failures=0)
    session.add(throttle)
    if throttle.blocked_until and throttle.blocked_until > now:
        seconds = int((throttle.blocked_until - now).total_seconds()) + 1
        raise SignInRefused(
            N_("Too many failed attempts. Try again in %(seconds)s seconds."),
            params={"seconds": seconds},
        )
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is not None and user.is_demo and not demo_mode:
        user = None
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
    if user is None or not valid:
        _record_failure(session, throttle, now, free_failures, remote_addr)
        raise SignInRefused(WRONG_CREDENTIALS)
    if not user.is_active:
        record_event(session, actor=user, now=now, action="auth.refused_inactive",
                     object_type="user", object_id=user.id, remote_addr=remote_addr)
        raise SignInRefused(N_("This account is deactivated. Ask an administrator."))
    throttle.failures, throttle.blocked_until = 0, None
    user.last_sign_in_at = now
    record_event(session, actor=user, now=now, action="auth.sign_in", object_type="user",
                 object_id=user.id, remote_addr=remote_addr)
    return user


def _record_failure(
    session: Session, throttle: SignInThrottle, now: datetime, free_failures: int, remote_addr: str
) -> None:
    throttle.failures += 1
    throttle.last_failure_at = now
    over = throttle.failures - free_failures
    if over > 0:
        throttle.blocked_until = now + timedelta(seconds=min(2**over, MAX_BLOCK_SECONDS))
    session.flush()
    record_event(session, actor=None, now=now, action="auth.sign_in_failed", object_type="user",
                 object_id="", changes={"email_key": throttle.key[:16], "failures": throttle.failures},
                 remote_addr=remote_addr)
