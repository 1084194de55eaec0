"""Read-only queries the edges share: request lists filtered by what the user may see."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, false, func, select, true
from sqlalchemy.orm import Session

from mla.domain.access import SEES_ALL, TRANSLATOR_STAGES
from mla.domain.enums import Role, Stage
from mla.models import AssistanceRequest, User

OPEN_EXCLUDED = (Stage.CLOSED, Stage.WITHDRAWN, Stage.REFUSED, Stage.DECLINED, Stage.CONVERTED_TO_MLA)


def visibility_clause(user: User) -> ColumnElement[bool]:
    """The SQL form of domain.access.may_see_request."""
    if user.role in SEES_ALL:
        return true()
    if user.role == Role.DRAFTER and user.office_id is not None:
        return AssistanceRequest.office_id == user.office_id
    if user.role == Role.TRANSLATOR:
        return AssistanceRequest.stage.in_(TRANSLATOR_STAGES)
    return false()


def visible_requests(user: User) -> Select[tuple[AssistanceRequest]]:
    return select(AssistanceRequest).where(visibility_clause(user))


def is_open_clause() -> ColumnElement[bool]:
    return AssistanceRequest.stage.not_in(OPEN_EXCLUDED)


def overdue_clause(today: date) -> ColumnElement[bool]:
    return is_open_clause() & (AssistanceRequest.deadline_on < today)


def count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
