"""Signing in: password check with failures slowed down and then locked, and the TOTP second factor."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from mla.domain.errors import N_, DomainError, SignInRefused
from mla.models import SignInThrottle, User
from mla.services.audit import record_event
from mla.services.users import MAX_PASSWORD_LENGTH

MAX_BLOCK_SECONDS = 300
# Checked against when the account is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-at-all")
WRONG_CREDENTIALS = N_("The e-mail address or the password is not correct.")
TOTP_ISSUER = "MLA tracker"


@dataclass(frozen=True)
class SignInPolicy:
    """Failures allowed before tries slow down, failures that lock, and how long a lock lasts."""

    free_failures: int = 3
    lock_after: int = 10
    lock_minutes: int = 15
    demo_mode: bool = False


def _throttle_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _refuse_if_blocked(throttle: SignInThrottle, policy: SignInPolicy, now: datetime) -> None:
    if not throttle.blocked_until or throttle.blocked_until <= now:
        return
    seconds = int((throttle.blocked_until - now).total_seconds()) + 1
    if throttle.failures >= policy.lock_after:
        raise SignInRefused(
            N_("This account is locked after too many failed attempts. Try again in %(minutes)s minutes."),
            params={"minutes": (seconds + 59) // 60})
    raise SignInRefused(N_("Too many failed attempts. Try again in %(seconds)s seconds."),
                        params={"seconds": seconds})


def sign_in(session: Session, *, email: str, password: str, now: datetime, policy: SignInPolicy,
            remote_addr: str = "") -> User:
    """The user whose credentials these are, or SignInRefused (the same words whether the account
    is unknown or the password wrong); failures slow later tries down, then lock them out."""
    key = _throttle_key(email)
    throttle = session.get(SignInThrottle, key) or SignInThrottle(key=key, failures=0)
    session.add(throttle)
    _refuse_if_blocked(throttle, policy, now)
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is not None and user.is_demo and not policy.demo_mode:
        user = None
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH,
                                password[:MAX_PASSWORD_LENGTH])
    if user is None or not valid:
        _record_failure(session, throttle, user, policy, now, remote_addr)
        raise SignInRefused(WRONG_CREDENTIALS)
    if not user.is_active:
        record_event(session, actor=user, now=now, action="auth.refused_inactive",
                     object_type="user", object_id=user.id, remote_addr=remote_addr)
        raise SignInRefused(N_("This account is deactivated. Ask an administrator."))
    throttle.failures, throttle.blocked_until = 0, None
    return user


def complete_sign_in(session: Session, *, user: User, now: datetime, remote_addr: str = "") -> None:
    """Record a sign-in that passed every factor."""
    user.last_sign_in_at = now
    record_event(session, actor=user, now=now, action="auth.sign_in", object_type="user",
                 object_id=user.id, remote_addr=remote_addr)


def _record_failure(session: Session, throttle: SignInThrottle, user: User | None,
                    policy: SignInPolicy, now: datetime, remote_addr: str) -> None:
    throttle.failures += 1
    throttle.last_failure_at = now
    over = throttle.failures - policy.free_failures
    if throttle.failures >= policy.lock_after:
        throttle.blocked_until = now + timedelta(minutes=policy.lock_minutes)
    elif over > 0:
        throttle.blocked_until = now + timedelta(seconds=min(2**over, MAX_BLOCK_SECONDS))
    session.flush()
    changes = {"email_key": throttle.key[:16], "failures": throttle.failures}
    record_event(session, actor=None, now=now, action="auth.sign_in_failed", object_type="user",
                 object_id=user.id if user else "", changes=changes, remote_addr=remote_addr)
    if throttle.failures == policy.lock_after:
        record_event(session, actor=None, now=now, action="auth.locked", object_type="user",
                     object_id=user.id if user else "",
                     changes={**changes, "until": throttle.blocked_until.isoformat()},
                     remote_addr=remote_addr)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads (typed in, or from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def _code_matches(secret: str, code: str) -> bool:
    digits = "".join(ch for ch in code if ch.isdigit())
    return len(digits) == 6 and pyotp.TOTP(secret).verify(digits, valid_window=1)


def enrol_totp(session: Session, *, user: User, now: datetime, secret: str, code: str) -> None:
    """Turn the second factor on once the user proves their app produces the right codes."""
    if not _code_matches(secret, code):
        raise DomainError(N_("The code does not match. Check the time on your phone and try again."),
                          field="code")
    user.totp_secret = secret
    session.flush()
    record_event(session, actor=user, now=now, action="auth.totp_enrolled", object_type="user",
                 object_id=user.id)


def check_totp(session: Session, *, user: User, now: datetime, code: str, remote_addr: str = "") -> None:
    if user.totp_secret and _code_matches(user.totp_secret, code):
        return
    record_event(session, actor=user, now=now, action="auth.totp_failed", object_type="user",
                 object_id=user.id, remote_addr=remote_addr)
    raise SignInRefused(N_("The code is not correct."))
