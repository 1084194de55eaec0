"""Offices and people as the pages and forms list them (the accounts themselves: services.users)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from mla.domain.enums import Role
from mla.models import Office, User


def list_offices(session: Session, *, active_only: bool = False) -> list[Office]:
    """The offices in code order; only those still in use if asked."""
    stmt = select(Office).order_by(Office.code)
    if active_only:
        stmt = stmt.where(Office.is_active.is_(True))
    return list(session.scalars(stmt))


def office_with_code(session: Session, code: str | None) -> Office | None:
    """The office of `code`, or None when there is none (services.users.find_office refuses instead)."""
    return session.scalar(select(Office).where(Office.code == code)) if code else None


def list_users(session: Session) -> list[User]:
    """Every account by name, with its office."""
    return list(session.scalars(select(User).options(selectinload(User.office)).order_by(User.full_name)))


def count_users_by_role(session: Session) -> dict[Role, int]:
    return dict(session.execute(select(User.role, func.count()).group_by(User.role)).tuples().all())


def list_executors(session: Session) -> list[tuple[int, str, str | None]]:
    """Active drafters and desk officers by name: (id, name, office code). Three columns, not whole users,
    as the request list builds this for every page (175 people on the benchmark's register)."""
    rows = session.execute(select(User.id, User.full_name, Office.code)
                           .outerjoin(Office, User.office_id == Office.id)
                           .where(User.is_active.is_(True), User.role.in_([Role.DRAFTER, Role.DESK]))
                           .order_by(User.full_name))
    return [(uid, name, code) for uid, name, code in rows]
