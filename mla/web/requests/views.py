"""Views of the request register: the filtered list and a request's page."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from mla.db import db_session
from mla.domain.access import may_see_protected_identity, may_see_request
from mla.domain.enums import Direction, RequestKind, Role, Stage
from mla.models import (
    AssistanceRequest,
    CountryProfile,
    Measure,
    NationalCase,
    Person,
    StageChange,
)
from mla.services.queries import count, overdue_clause, visible_requests
from mla.web.helpers import now_utc, role_required

bp = Blueprint("requests", __name__, url_prefix="/requests")

CASE_ROLES = (Role.DRAFTER, Role.DESK, Role.TRANSLATOR, Role.MANAGER)
PAGE_SIZE = 25
MAX_PAGE = 10_000


def _choice(name: str, enum_cls: type) -> str | None:
    value = request.args.get(name, "")
    return value if value in {member.value for member in enum_cls} else None


def _filtered(today: date) -> tuple[Select[tuple[AssistanceRequest]], dict[str, object]]:
    stmt = visible_requests(current_user)
    filters = {
        "direction": _choice("direction", Direction),
        "kind": _choice("kind", RequestKind),
        "stage": _choice("stage", Stage),
        "country": request.args.get("country", "")[:2].upper() or None,
        "overdue": request.args.get("overdue") == "1",
        "q": request.args.get("q", "").strip()[:100],
    }
    column_filters = {"direction": AssistanceRequest.direction, "kind": AssistanceRequest.kind,
                      "stage": AssistanceRequest.stage, "country": AssistanceRequest.country_iso2}
    for key, column in column_filters.items():
        if filters[key]:
            stmt = stmt.where(column == filters[key])
    if filters["overdue"]:
        stmt = stmt.where(overdue_clause(today))
    if filters["q"]:
        pattern = f"%{filters['q']}%"
        case_ids = select(NationalCase.id).where(NationalCase.case_number.ilike(pattern))
        stmt = stmt.where(or_(AssistanceRequest.reference.ilike(pattern),
                              AssistanceRequest.partner_reference.ilike(pattern),
                              AssistanceRequest.national_case_id.in_(case_ids)))
    return stmt, filters


@bp.route("/")
@role_required(*CASE_ROLES)
def index() -> str:
    db = db_session()
    stmt, filters = _filtered(now_utc().date())
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    total = count(db, stmt)
    rows = list(db.scalars(stmt.order_by(AssistanceRequest.id.desc())
                           .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    countries = list(db.scalars(select(CountryProfile.iso2).order_by(CountryProfile.iso2)))
    return render_template("requests/index.html", rows=rows, filters=filters, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), total=total,
                           countries=countries, today=now_utc().date())


@bp.route("/<int:request_id>")
@role_required(*CASE_ROLES)
def show(request_id: int) -> str:
    db = db_session()
    item = db.get(AssistanceRequest, request_id, options=[selectinload(AssistanceRequest.legal_bases)])
    if item is None or not may_see_request(current_user, item.office_id, item.stage):
        abort(404)
    persons = list(db.scalars(select(Person).where(Person.request_id == item.id).order_by(Person.id)))
    measures = list(db.scalars(select(Measure).where(Measure.request_id == item.id)
                               .order_by(Measure.position)))
    history = list(db.scalars(select(StageChange).where(StageChange.request_id == item.id)
                              .options(selectinload(StageChange.actor)).order_by(StageChange.at)))
    return render_template("requests/show.html", item=item, persons=persons, measures=measures,
                           history=history, show_identity=may_see_protected_identity(current_user))
