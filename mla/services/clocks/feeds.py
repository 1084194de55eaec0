"""Personal calendar feeds: creating, rotating and revoking a user's secret feed link."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.models import User
from mla.models.user import new_token
from mla.services.audit import record_event


def rotate_feed_token(session: Session, *, actor: User, now: datetime, user: User) -> str:
    """A new secret for the user's feed; the previous link stops working at once."""
    user.ical_token = new_token()
    session.flush()
    record_event(session, actor=actor, now=now, action="user.feed.rotate", object_type="user",
                 object_id=user.id)
    return user.ical_token


def revoke_feed_token(session: Session, *, actor: User, now: datetime, user: User) -> None:
    """Turn the user's feed off: the link answers "not found" from now on."""
    user.ical_token = None
    session.flush()
    record_event(session, actor=actor, now=now, action="user.feed.revoke", object_type="user",
                 object_id=user.id)


def set_digest_opt_out(session: Session, *, actor: User, now: datetime, user: User,
                       opt_out: bool) -> None:
    """Stop or restart the user's daily reminder digest (escalations to managers still go out)."""
    user.digest_opt_out = opt_out
    session.flush()
    action = "user.digest.opt_out" if opt_out else "user.digest.opt_in"
    record_event(session, actor=actor, now=now, action=action, object_type="user", object_id=user.id)


def find_feed_user(session: Session, token: str) -> User | None:
    """The active user whose calendar feed `token` opens, or None."""
    return session.scalar(select(User).where(User.ical_token == token, User.is_active.is_(True)))
