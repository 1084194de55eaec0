"""Signing in with a password: failures slowed down and then locked per account and address, and a
stricter limit for every address while an account is under attack from many."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from mla.domain.errors import N_, SignInRefused
from mla.models import SignInThrottle, User
from mla.services.accounts.throttle import (
    SignInPolicy,
    clear_failures,
    count_failure,
    load_throttle,
    refuse_if_blocked,
    throttle_key,
)
from mla.services.accounts.users import MAX_PASSWORD_LENGTH
from mla.services.audit import record_event

# Checked against when the account is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-at-all")
WRONG_CREDENTIALS = N_("The e-mail address or the password is not correct.")


def sign_in(session: Session, *, email: str, password: str, now: datetime, policy: SignInPolicy,
            remote_addr: str = "") -> User:
    """The user whose credentials these are, or SignInRefused (the same words whether the account
    is unknown or the password wrong). Failures are counted per account and address, so that
    failures from elsewhere never lock the owner out; see `_record_failure` for the whole policy."""
    email = email.strip().lower()
    pair = load_throttle(session, throttle_key(email, remote_addr))
    refuse_if_blocked(pair, now)
    user = session.scalar(select(User).where(User.email == email))
    if user is not None and user.is_demo and not policy.demo_mode:
        user = None
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH,
                                password[:MAX_PASSWORD_LENGTH])
    if user is None or not valid:
        account = load_throttle(session, throttle_key(email))
        _record_failure(session, pair, account, user, policy, now, remote_addr)
        raise SignInRefused(WRONG_CREDENTIALS)
    if not user.is_active:
        record_event(session, actor=user, now=now, action="auth.refused_inactive",
                     object_type="user", object_id=user.id, remote_addr=remote_addr)
        raise SignInRefused(N_("This account is deactivated. Ask an administrator."))
    clear_failures(pair)
    return user


def _under_attack(account: SignInThrottle, policy: SignInPolicy, now: datetime) -> bool:
    """At least `lock_after` failures from all addresses, the last within `lock_minutes`."""
    recent = account.last_failure_at is not None and (
        now - account.last_failure_at < timedelta(minutes=policy.lock_minutes))
    return recent and account.failures >= policy.lock_after


def _record_failure(session: Session, pair: SignInThrottle, account: SignInThrottle, user: User | None,
                    policy: SignInPolicy, now: datetime, remote_addr: str) -> None:
    """Count a wrong password for this account and address: past `free_failures` tries slow down,
    at `lock_after` this address is locked out of this account for `lock_minutes`. While the
    account is under attack (`_under_attack`), each address gets only `free_failures` tries, all
    slowed down, before its lock; an address that has not failed is never refused."""
    attacked = _under_attack(account, policy, now)
    if account.last_failure_at is None or now - account.last_failure_at >= timedelta(
            minutes=policy.lock_minutes):
        account.failures = 0
    account.failures += 1
    account.last_failure_at = now
    locked_until = count_failure(pair, now, free_failures=0 if attacked else policy.free_failures,
                           lock_after=max(1, policy.free_failures) if attacked else policy.lock_after,
                           lock_minutes=policy.lock_minutes)
    session.flush()
    changes = {"email_key": account.key[:16], "failures": pair.failures, "account_failures": account.failures}
    object_id = user.id if user else ""
    record_event(session, actor=None, now=now, action="auth.sign_in_failed", object_type="user",
                 object_id=object_id, changes=changes, remote_addr=remote_addr)
    if locked_until is not None:
        record_event(session, actor=None, now=now, action="auth.locked", object_type="user",
                     object_id=object_id, changes={**changes, "until": locked_until.isoformat()},
                     remote_addr=remote_addr)
    if account.failures == policy.lock_after:
        record_event(session, actor=None, now=now, action="auth.under_attack", object_type="user",
                     object_id=object_id, changes=changes, remote_addr=remote_addr)


def complete_sign_in(session: Session, *, user: User, now: datetime, remote_addr: str = "") -> None:
    """Record a sign-in that passed every factor."""
    user.last_sign_in_at = now
    record_event(session, actor=user, now=now, action="auth.sign_in", object_type="user",
                 object_id=user.id, remote_addr=remote_addr)
