"""The TOTP second factor: enrolling and changing a key, checking codes (each accepted once, wrong
ones counted per account), one-time recovery codes, and an administrator's reset."""
from __future__ import annotations

import binascii
import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import SessionEnd
from mla.domain.errors import N_, DomainError, SignInRefused
from mla.models import RecoveryCode, User
from mla.services.accounts.sessions import end_all_sessions
from mla.services.accounts.throttle import (
    SignInPolicy,
    clear_failures,
    count_failure,
    load_throttle,
    refuse_if_blocked,
    throttle_key,
)
from mla.services.audit import record_event

TOTP_ISSUER = "MLA tracker"
RECOVERY_CODE_COUNT = 10
# 12 characters of base32: 60 random bits per recovery code.
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads (typed in, or from the QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def is_valid_secret(secret: str) -> bool:
    """True for a base32 key long enough for pyotp (what new_totp_secret makes)."""
    try:
        pyotp.TOTP(secret).generate_otp(0)
    except (ValueError, binascii.Error):
        return False
    return True


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (this one or a neighbour, for clock drift) whose code this is, if any."""
    digits = "".join(ch for ch in code if ch in "0123456789")
    if len(digits) != 6 or len(code.strip()) > 8:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _recovery_hash(code: str) -> str:
    return hashlib.sha256("".join(code.lower().replace("-", "").split()).encode()).hexdigest()


def _use_recovery_code(session: Session, user: User, code: str, now: datetime) -> bool:
    row = session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                    RecoveryCode.code_hash == _recovery_hash(code),
                                                    RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = now
    session.flush()
    left = session.scalar(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                        RecoveryCode.used_at.is_(None)).limit(1))
    record_event(session, actor=user, now=now, action="auth.recovery_code_used", object_type="user",
                 object_id=user.id, changes={"codes_left": left is not None})
    return True


def check_second_factor(session: Session, *, user: User, now: datetime, code: str, policy: SignInPolicy,
                        remote_addr: str = "") -> None:
    """Accept a code from the app (each time step once) or an unused recovery code; otherwise count
    a failure against the account, with the same slow-down and lock as passwords."""
    # Lock the account first, so that codes sent at once are checked one after the other: each
    # failure is counted, and a code (or a recovery code) is accepted once.
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    session.refresh(user, attribute_names=["totp_secret", "totp_last_step"])
    throttle = load_throttle(session, throttle_key("second-factor", str(user.id)))
    refuse_if_blocked(throttle, now)
    step = _matching_step(user.totp_secret, code, now) if user.totp_secret else None
    if step is not None and step > (user.totp_last_step or -1):
        user.totp_last_step = step
    elif step is not None or not _use_recovery_code(session, user, code, now):
        locked_until = count_failure(throttle, now, free_failures=policy.free_failures,
                               lock_after=policy.lock_after, lock_minutes=policy.lock_minutes)
        session.flush()
        changes = {"failures": throttle.failures, "reused": step is not None}
        record_event(session, actor=user, now=now, action="auth.totp_failed", object_type="user",
                     object_id=user.id, changes=changes, remote_addr=remote_addr)
        if locked_until is not None:
            record_event(session, actor=user, now=now, action="auth.totp_locked", object_type="user",
                         object_id=user.id, changes=changes, remote_addr=remote_addr)
        if step is not None:
            raise SignInRefused(N_("This code was used already. Wait for the next one."), field="code")
        raise SignInRefused(N_("The code is not correct."), field="code")
    clear_failures(throttle)


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    for row in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(row)
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(raw)))
    session.flush()
    return codes


def enrol_totp(session: Session, *, user: User, now: datetime, secret: str, code: str) -> list[str]:
    """Turn the second factor on once the user proves their app produces the right codes; returns
    the new recovery codes, to show once. Replacing a key needs `check_second_factor` first."""
    if not is_valid_secret(secret):
        raise DomainError(N_("This key is not valid. Open the page again for a new key."))
    step = _matching_step(secret, code, now)
    if step is None:
        raise DomainError(N_("The code does not match. Check the time on your phone and try again."),
                          field="code")
    action = "auth.totp_changed" if user.totp_secret else "auth.totp_enrolled"
    user.totp_secret = secret
    user.totp_last_step = step
    codes = _new_recovery_codes(session, user)
    record_event(session, actor=user, now=now, action=action, object_type="user", object_id=user.id)
    return codes


def refuse_enrolment(session: Session, *, user: User, now: datetime, remote_addr: str = "") -> None:
    """Record that someone past the password tried to enrol a key over the account's own: only a
    signed-in user may replace a key, with a code of the current one."""
    record_event(session, actor=None, now=now, action="auth.totp_enrol_refused", object_type="user",
                 object_id=user.id, remote_addr=remote_addr)


def regenerate_recovery_codes(session: Session, *, user: User, now: datetime) -> list[str]:
    """New recovery codes in place of the old ones (after `check_second_factor`)."""
    codes = _new_recovery_codes(session, user)
    record_event(session, actor=user, now=now, action="auth.recovery_codes_renewed", object_type="user",
                 object_id=user.id)
    return codes


def reset_second_factor(session: Session, *, actor: User, now: datetime, user: User) -> None:
    """An administrator takes a lost key away; the user's sessions end and they enrol again."""
    if not user.totp_secret:
        raise DomainError(N_("This user has no second factor to reset."))
    user.totp_secret = None
    user.totp_last_step = None
    for row in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(row)
    ended = end_all_sessions(session, user=user, now=now, reason=SessionEnd.SECOND_FACTOR_RESET)
    record_event(session, actor=actor, now=now, action="user.reset_second_factor", object_type="user",
                 object_id=user.id, changes={"sessions_ended": ended})
