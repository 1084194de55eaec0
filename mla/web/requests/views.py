"""Views of the request register: the filtered list and a request's page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from mla.db import db_session
from mla.domain.access import may_see_protected_identity, may_see_request
from mla.domain.checks import Finding
from mla.domain.editing import (
    is_completeness_checked,
    may_create_request,
    may_edit_content,
    may_link_requests,
    may_record_results,
)
from mla.domain.enums import Direction, LinkKind, RequestKind, Role, Stage
from mla.domain.workflow import is_side_exit, may_start_supplementary
from mla.i18n import enum_choices
from mla.models import (
    AssistanceRequest,
    AssistanceType,
    Measure,
    Office,
    Person,
    RequestLink,
    StageChange,
    Treaty,
)
from mla.reference.loader import load_reference
from mla.services.clocks import clocks_of
from mla.services.completeness import completeness
from mla.services.dashboard import parse_days, unacknowledged_since
from mla.services.persons import record_identity_shown
from mla.services.queries import (
    due_soon_clause,
    is_open_clause,
    overdue_clause,
    unacknowledged_clause,
    visible_requests,
    waiting_clause,
)
from mla.services.request_search import request_text_branches, request_text_clause
from mla.web.helpers import now_utc, page_number, remote_addr, role_required, visible_request
from mla.web.requests import choices
from mla.web.requests.moves import moves_for
from mla.web.requests.paging import Order, SortKey, page_of
from mla.web.shared.panels import attachment_panel, letter_panel

bp = Blueprint("requests", __name__, url_prefix="/requests")

CASE_ROLES = (Role.DRAFTER, Role.DESK, Role.TRANSLATOR, Role.MANAGER)
PAGE_SIZE = 25


# Each order ends on the id, so that it is total; the deadline and updated orders have their own index.
SORTS: dict[str, Order] = {
    "newest": (SortKey(AssistanceRequest.id, descending=True),),
    "oldest": (SortKey(AssistanceRequest.id),),
    "deadline": (SortKey(AssistanceRequest.deadline_on, nulls_last=True), SortKey(AssistanceRequest.id)),
    "updated": (SortKey(AssistanceRequest.updated_at, descending=True),
                SortKey(AssistanceRequest.id, descending=True)),
}


def _choice(name: str, allowed: set[str]) -> str | None:
    value = request.args.get(name, "")
    return value if value in allowed else None


def _assignee(value: str) -> int | str | None:
    """A user id, "none" for unassigned requests, or None (no filter)."""
    if value == "none":
        return value
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class ListFilters:
    """The filters of the request list, as read from the URL (names as in the URL)."""

    direction: str | None
    kind: str | None
    stage: str | None
    country: str | None
    office: str | None
    assignee: int | str | None  # a user id, "none" for unassigned requests, or None (no filter)
    open: bool
    overdue: bool
    due_soon: bool
    waiting: str | None
    unacknowledged: int | None
    q: str
    sort: str


def _read_filters() -> ListFilters:
    """The filters of the list, from the URL; unknown values are ignored, never an error."""
    country = request.args.get("country", "")
    return ListFilters(
        direction=_choice("direction", set(Direction)),
        kind=_choice("kind", set(RequestKind)),
        stage=_choice("stage", set(Stage)),
        country=country.upper() if len(country) == 2 and country.isalpha() else None,
        office=request.args.get("office", "")[:16].upper() or None,
        assignee=_assignee(request.args.get("assignee", "")),
        open=request.args.get("open") == "1",
        overdue=request.args.get("overdue") == "1",
        due_soon=request.args.get("due_soon") == "1",
        waiting=_choice("waiting", {"us", "partner"}),
        unacknowledged=parse_days(request.args.get("unacknowledged")),
        q=request.args.get("q", "").strip()[:100],
        sort=_choice("sort", set(SORTS)) or "newest",
    )


def _status_filters(stmt: Select[AssistanceRequest], filters: ListFilters,
                    today: date) -> Select[AssistanceRequest]:
    """The filters the dashboard's figures link to, by the clauses that count those figures."""
    if filters.open:
        stmt = stmt.where(is_open_clause())
    if filters.overdue:
        stmt = stmt.where(overdue_clause(today))
    if filters.due_soon:
        stmt = stmt.where(due_soon_clause(today))
    if filters.waiting:
        stmt = stmt.where(waiting_clause(on_partner=filters.waiting == "partner"))
    if filters.unacknowledged is not None:
        cutoff = unacknowledged_since(db_session(), today, filters.unacknowledged,
                                      home_iso2=load_reference().home_iso2)
        stmt = stmt.where(unacknowledged_clause(cutoff))
    return stmt


def filtered_requests(today: date) -> tuple[Select[AssistanceRequest], ListFilters]:
    """The list's query and filters from the URL; the exports use it, so a file holds what the list shows."""
    stmt, filters = _unsearched(today)
    if filters.q:
        stmt = stmt.where(request_text_clause(db_session(), filters.q))
    return stmt, filters


def _unsearched(today: date) -> tuple[Select[AssistanceRequest], ListFilters]:
    """The list's query with every filter of the URL but the text search, and the filters."""
    stmt = visible_requests(current_user)
    filters = _read_filters()
    columns = ((AssistanceRequest.direction, filters.direction), (AssistanceRequest.kind, filters.kind),
               (AssistanceRequest.stage, filters.stage), (AssistanceRequest.country_iso2, filters.country))
    for column, value in columns:
        if value:
            stmt = stmt.where(column == value)
    if filters.assignee:
        assignee = AssistanceRequest.assignee_id
        wanted = filters.assignee
        stmt = stmt.where(assignee.is_(None) if wanted == "none" else assignee == wanted)
    if filters.office:
        stmt = stmt.where(AssistanceRequest.office_id.in_(
            select(Office.id).where(Office.code == filters.office)))
    return _status_filters(stmt, filters, today), filters


@bp.route("/")
@role_required(*CASE_ROLES)
def index() -> str:
    stmt, filters = _unsearched(now_utc().date())
    matching = request_text_branches(db_session(), filters.q) if filters.q else None
    wanted = page_number()
    page = page_of(db_session(), stmt, SORTS[filters.sort], wanted, PAGE_SIZE, matching=matching)
    return render_template("requests/index.html", rows=page.rows, filters=filters, page=page.number,
                           pages=page.pages, total=page.total,
                           countries=choices.partner_countries(), offices=choices.offices(),
                           people=choices.executors()[1:], stages=enum_choices(Stage),
                           directions=enum_choices(Direction), kinds=enum_choices(RequestKind),
                           may_create={d: may_create_request(current_user.role, d) for d in Direction},
                           today=now_utc().date())


def _links(item: AssistanceRequest) -> list[tuple[LinkKind, bool, AssistanceRequest]]:
    """Each linked request with how it relates to this one, as the user may see it."""
    db = db_session()
    rows = db.execute(select(RequestLink, AssistanceRequest).join(
        AssistanceRequest, or_(
            (RequestLink.to_request_id == AssistanceRequest.id) & (RequestLink.from_request_id == item.id),
            (RequestLink.from_request_id == AssistanceRequest.id) & (RequestLink.to_request_id == item.id),
        )).order_by(RequestLink.id))
    return [(link.kind, link.from_request_id == item.id, other)
            for link, other in rows if may_see_request(current_user, other.office_id, other.stage)]


def _findings(item: AssistanceRequest) -> tuple[Finding, ...]:
    if not is_completeness_checked(item.direction, item.stage):
        return ()
    return completeness(db_session(), item, load_reference().home_iso2)


@dataclass(frozen=True)
class RequestContent:
    """What a request's page lists besides the request itself."""

    persons: list[Person]
    measures: list[Measure]
    history: list[StageChange]
    assistance_types: dict[str, AssistanceType]
    treaties: dict[str, Treaty]


def _content(item: AssistanceRequest) -> RequestContent:
    db = db_session()
    return RequestContent(
        persons=list(db.scalars(select(Person).where(Person.request_id == item.id).order_by(Person.id))),
        measures=list(db.scalars(select(Measure).where(Measure.request_id == item.id)
                                 .order_by(Measure.position, Measure.id))),
        history=list(db.scalars(select(StageChange).where(StageChange.request_id == item.id)
                                .options(selectinload(StageChange.actor))
                                .order_by(StageChange.at, StageChange.id))),
        assistance_types={t.code: t for t in db.scalars(select(AssistanceType))},
        treaties={t.code: t for t in db.scalars(select(Treaty))},
    )


def _log_identity_shown(item: AssistanceRequest, persons: list[Person]) -> None:
    """Every display of a protected person's identity goes into the audit trail (DOMAIN.md §8.7)."""
    if may_see_protected_identity(current_user) and any(p.is_protected for p in persons):
        record_identity_shown(db_session(), actor=current_user, now=now_utc(), request_id=item.id,
                              persons=persons, remote_addr=remote_addr())
        db_session().commit()


@bp.route("/<int:request_id>")
@role_required(*CASE_ROLES)
def show(request_id: int) -> str:
    item = visible_request(request_id)
    role = current_user.role
    content = _content(item)
    _log_identity_shown(item, content.persons)
    return render_template(
        "requests/show.html", item=item, moves=moves_for(item), findings=_findings(item),
        links=_links(item), link_kinds=choices.link_kinds(),
        show_identity=may_see_protected_identity(current_user),
        may_edit=may_edit_content(role, item.direction, item.stage),
        may_record=may_record_results(role, item.direction, item.stage),
        may_supplement=may_start_supplementary(role, item.direction, item.stage), is_side_exit=is_side_exit,
        may_link=may_link_requests(role),
        clocks=clocks_of(db_session(), item, now=now_utc()), persons=content.persons,
        measures=content.measures, history=content.history, assistance_types=content.assistance_types,
        treaties=content.treaties, reference=load_reference(), **attachment_panel(item),
        **letter_panel(item),
    )
