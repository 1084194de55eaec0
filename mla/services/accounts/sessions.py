"""Sign-in sessions kept on the server: started per sign-in, found for each request, ended on
sign-out, by the user, by an administrator, or by their lifetimes."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from mla.domain.enums import SessionEnd
from mla.domain.errors import N_, DomainError
from mla.models import User, UserSession
from mla.services.audit import record_event

# Long enough to open the authenticator app and type a code, short enough to be worth nothing later.
PENDING_MINUTES = 10
# last_seen_at moves at most this often, so that most page reads write nothing.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionPolicy:
    """A session ends after `idle_minutes` without a request, and `max_hours` after sign-in."""

    idle_minutes: int = 30
    max_hours: int = 12


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, *, user: User, now: datetime, policy: SessionPolicy,
                  awaits_second_factor: bool = False, remote_addr: str = "", user_agent: str = "") -> str:
    """A new session record; returns the random id for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    lifetime = (timedelta(minutes=PENDING_MINUTES) if awaits_second_factor
                else timedelta(hours=policy.max_hours))
    session.add(UserSession(token_hash=_hash(token), user=user, awaits_second_factor=awaits_second_factor,
                            created_at=now, last_seen_at=now, expires_at=now + lifetime,
                            remote_addr=remote_addr[:64], user_agent=user_agent[:200]))
    session.flush()
    return token


def _is_live(row: UserSession, now: datetime, policy: SessionPolicy) -> bool:
    idle = timedelta(minutes=PENDING_MINUTES if row.awaits_second_factor else policy.idle_minutes)
    return (row.ended_at is None and row.expires_at > now and row.last_seen_at + idle > now
            and row.user.is_active)


def find_session(session: Session, *, token: str, now: datetime, policy: SessionPolicy,
                 awaits_second_factor: bool = False) -> UserSession | None:
    """The live session this cookie id names (signed in, or only past the password when
    `awaits_second_factor`); None when it is unknown, ended, expired or idle too long."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token))
                         .options(joinedload(UserSession.user).joinedload(User.office)))
    if row is None or row.awaits_second_factor != awaits_second_factor or not _is_live(row, now, policy):
        return None
    return row


def touch_session(row: UserSession, now: datetime) -> bool:
    """Note that the session was used; True when that changed the record (once a minute at most)."""
    if now - row.last_seen_at < TOUCH_EVERY:
        return False
    row.last_seen_at = now
    return True


def _end(row: UserSession, now: datetime, reason: SessionEnd) -> None:
    row.ended_at = now
    row.end_reason = reason


def pass_second_factor(session: Session, *, pending: UserSession, now: datetime,
                       policy: SessionPolicy) -> str:
    """The pending session ends and a signed-in one begins under a new id, so an id that was seen
    before the second factor is worth nothing after it."""
    _end(pending, now, SessionEnd.SECOND_FACTOR_PASSED)
    return start_session(session, user=pending.user, now=now, policy=policy,
                         remote_addr=pending.remote_addr, user_agent=pending.user_agent)


def sign_out(session: Session, *, current: UserSession, now: datetime, remote_addr: str = "") -> None:
    _end(current, now, SessionEnd.SIGN_OUT)
    record_event(session, actor=current.user, now=now, action="auth.sign_out", object_type="user",
                 object_id=current.user_id, changes={"session": current.id}, remote_addr=remote_addr)


def active_sessions(session: Session, *, user: User, now: datetime,
                    policy: SessionPolicy) -> list[UserSession]:
    """The user's signed-in sessions that have not ended, newest first."""
    rows = session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.awaits_second_factor.is_(False), UserSession.expires_at > now)
        .order_by(UserSession.created_at.desc(), UserSession.id.desc()))
    return [row for row in rows if _is_live(row, now, policy)]


def end_own_session(session: Session, *, current: UserSession, session_id: int, now: datetime,
                    remote_addr: str = "") -> None:
    """The user ends one of their other sessions (a browser left signed in elsewhere)."""
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != current.user_id or row.ended_at is not None or row.id == current.id:
        raise DomainError(N_("That session is not one of your other open sessions."))
    _end(row, now, SessionEnd.ENDED_BY_USER)
    record_event(session, actor=current.user, now=now, action="auth.session_ended", object_type="user",
                 object_id=current.user_id, changes={"session": row.id, "address": row.remote_addr},
                 remote_addr=remote_addr)


def end_other_sessions(session: Session, *, current: UserSession, now: datetime,
                       remote_addr: str = "") -> int:
    """The user ends every session of theirs but this one; returns how many ended."""
    ended = end_all_sessions(session, user=current.user, now=now, reason=SessionEnd.ENDED_BY_USER,
                             keep=current)
    record_event(session, actor=current.user, now=now, action="auth.other_sessions_ended",
                 object_type="user", object_id=current.user_id, changes={"count": ended},
                 remote_addr=remote_addr)
    return ended


def end_all_sessions(session: Session, *, user: User, now: datetime, reason: SessionEnd,
                     keep: UserSession | None = None) -> int:
    """End every open session of `user` (pending ones too) but `keep`; the caller audits why."""
    rows = session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                     UserSession.ended_at.is_(None)))
    ended = 0
    for row in rows:
        if keep is None or row.id != keep.id:
            _end(row, now, reason)
            ended += 1
    session.flush()
    return ended
