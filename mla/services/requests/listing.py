"""The request list, in one place: the filters read from a URL, the query they make (what the user may see,
then each filter, by the clauses of mla/services/requests/queries.py that the dashboard counts by too),
and its pages. The list page, its exports and the home page all read requests through here, so a file
holds what the list shows and a home-page figure counts what its link lists. Pages: the count, then only
the ids of one page, read from whichever end of the order is nearer (the last page costs what the first
does), then the rows of those requests. A text search takes one pass instead: the page's ids and the count
in one statement (count(*) OVER ()) over the union of the search's branches, each with the list's other
filters (request_search.request_text_branches), so the trigram match runs once, not twice, and the whole
table is never joined to its matches."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, FromClause, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from mla.domain.enums import Direction, RequestKind, Stage
from mla.models import AssistanceRequest, Office, User
from mla.services.oversight.dashboard import parse_days, unacknowledged_since
from mla.services.requests.queries import (
    count,
    due_soon_clause,
    is_open_clause,
    overdue_clause,
    unacknowledged_clause,
    visible_requests,
    waiting_clause,
)
from mla.services.requests.text_search import (
    Branches,
    matching_any,
    request_text_branches,
    request_text_clause,
)

PAGE_SIZE = 25


class SortKey(NamedTuple):
    column: InstrumentedAttribute[Any]  # a column of AssistanceRequest, found by its key in a subquery
    descending: bool = False
    nulls_last: bool = False  # only on nullable keys: PostgreSQL reads an index backwards only as-is


Order = tuple[SortKey, ...]  # the last key unique, so that pages never overlap

# Each order ends on the id, so that it is total; the deadline and updated orders have their own index.
SORTS: dict[str, Order] = {
    "newest": (SortKey(AssistanceRequest.id, descending=True),),
    "oldest": (SortKey(AssistanceRequest.id),),
    "deadline": (SortKey(AssistanceRequest.deadline_on, nulls_last=True), SortKey(AssistanceRequest.id)),
    "updated": (SortKey(AssistanceRequest.updated_at, descending=True),
                SortKey(AssistanceRequest.id, descending=True)),
}


@dataclass(frozen=True)
class ListFilters:
    """The filters of the request list (names as in the URL); the defaults filter nothing."""

    direction: str | None = None
    kind: str | None = None
    stage: str | None = None
    country: str | None = None
    office: str | None = None
    assignee: int | str | None = None  # a user id, "none" for unassigned requests, or None (no filter)
    open: bool = False
    overdue: bool = False
    due_soon: bool = False
    waiting: str | None = None
    unacknowledged: int | None = None
    q: str = ""
    sort: str = "newest"


# The home page's figures and panel, as the list filters that its links open.
OPEN = ListFilters(open=True)
OVERDUE = ListFilters(overdue=True)
OVERDUE_BY_DEADLINE = replace(OVERDUE, sort="deadline")


@dataclass(frozen=True)
class Page:
    rows: list[AssistanceRequest]
    number: int
    pages: int
    total: int


def _choice(args: Mapping[str, str], name: str, allowed: set[str]) -> str | None:
    value = args.get(name, "")
    return value if value in allowed else None


def _assignee(value: str) -> int | str | None:
    """A user id, "none" for unassigned requests, or None (no filter)."""
    if value == "none":
        return value
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def read_list_filters(args: Mapping[str, str]) -> ListFilters:
    """The filters of the list from a URL's arguments; unknown values are ignored, never an error."""
    country = args.get("country", "")
    return ListFilters(
        direction=_choice(args, "direction", set(Direction)),
        kind=_choice(args, "kind", set(RequestKind)),
        stage=_choice(args, "stage", set(Stage)),
        country=country.upper() if len(country) == 2 and country.isalpha() else None,
        office=args.get("office", "")[:16].upper() or None,
        assignee=_assignee(args.get("assignee", "")),
        open=args.get("open") == "1",
        overdue=args.get("overdue") == "1",
        due_soon=args.get("due_soon") == "1",
        waiting=_choice(args, "waiting", {"us", "partner"}),
        unacknowledged=parse_days(args.get("unacknowledged")),
        q=args.get("q", "").strip()[:100],
        sort=_choice(args, "sort", set(SORTS)) or "newest",
    )


def _status_filters(session: Session, stmt: Select[AssistanceRequest], filters: ListFilters,
                    today: date, home_iso2: str) -> Select[AssistanceRequest]:
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
        cutoff = unacknowledged_since(session, today, filters.unacknowledged, home_iso2=home_iso2)
        stmt = stmt.where(unacknowledged_clause(cutoff))
    return stmt


def _unsearched(session: Session, user: User, filters: ListFilters, today: date,
                home_iso2: str) -> Select[AssistanceRequest]:
    """The requests `user` may see, under every filter but the text search."""
    stmt = visible_requests(user)
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
    return _status_filters(session, stmt, filters, today, home_iso2)


def filter_requests(session: Session, *, user: User, filters: ListFilters, today: date,
                    home_iso2: str) -> Select[AssistanceRequest]:
    """The list's query: the requests `user` may see that meet `filters` (unordered)."""
    stmt = _unsearched(session, user, filters, today, home_iso2)
    if filters.q:
        stmt = stmt.where(request_text_clause(session, filters.q))
    return stmt


def count_requests(session: Session, *, user: User, filters: ListFilters, today: date,
                   home_iso2: str) -> int:
    """How many requests the list shows under `filters`."""
    stmt = filter_requests(session, user=user, filters=filters, today=today, home_iso2=home_iso2)
    return count(session, stmt)


def first_requests(session: Session, *, user: User, filters: ListFilters, today: date, home_iso2: str,
                   limit: int) -> list[AssistanceRequest]:
    """The first `limit` requests of the list under `filters`, in its order (a panel of the home page)."""
    stmt = filter_requests(session, user=user, filters=filters, today=today, home_iso2=home_iso2)
    return list(session.scalars(stmt.order_by(*_keys(SORTS[filters.sort], reverse=False)).limit(limit)))


def requests_at_stages(session: Session, *, user: User, stages: tuple[Stage, ...],
                       direction: Direction | None, limit: int) -> list[AssistanceRequest]:
    """The most recently changed requests `user` may see at one of `stages` (of `direction`, if given)."""
    stmt = visible_requests(user).where(AssistanceRequest.stage.in_(stages))
    if direction is not None:
        stmt = stmt.where(AssistanceRequest.direction == direction)
    return list(session.scalars(stmt.order_by(*_keys(SORTS["updated"], reverse=False)).limit(limit)))


def list_page(session: Session, *, user: User, filters: ListFilters, today: date, home_iso2: str,
              number: int, size: int = PAGE_SIZE) -> Page:
    """Page `number` of the list under `filters`, in the order they ask for."""
    stmt = _unsearched(session, user, filters, today, home_iso2)
    matching = request_text_branches(session, filters.q) if filters.q else None
    return page_of(session, stmt, SORTS[filters.sort], number, size, matching=matching)


def _keys(order: Order, *, reverse: bool, source: FromClause | None = None) -> list[ColumnElement[Any]]:
    """The ORDER BY of `order`, on the request table's columns or on those of the same name in `source`."""
    keys: list[ColumnElement[Any]] = []
    for attribute, descending, nulls_last in order:
        column = source.c[attribute.key] if source is not None else attribute
        key = column.desc() if descending != reverse else column.asc()
        if nulls_last:
            key = key.nulls_first() if reverse else key.nulls_last()
        keys.append(key)
    return keys


def page_of(session: Session, stmt: Select[AssistanceRequest], order: Order, number: int,
            size: int, *, matching: Branches | None = None) -> Page:
    """Page `number` (clamped to the pages there are) of `stmt` in `order`, limited to the requests that
    meet one of the `matching` conditions (a text search's branches) when given."""
    if matching is not None:
        page = _one_pass(session, stmt, order, number, size, matching)
        if page is not None:
            return page
        stmt = stmt.where(matching_any(matching))
    ids_only = stmt.with_only_columns(AssistanceRequest.id)
    total = count(session, ids_only)
    pages = max((total + size - 1) // size, 1)
    number = min(max(number, 1), pages)
    offset = (number - 1) * size
    limit = min(size, total - offset)
    if limit <= 0:
        return Page([], number, pages, total)
    from_end = total - offset - limit
    reverse = from_end < offset
    ids = list(session.scalars(ids_only.order_by(*_keys(order, reverse=reverse))
                               .offset(from_end if reverse else offset).limit(limit)))
    if reverse:
        ids.reverse()
    return Page(_rows(session, ids), number, pages, total)


def _one_pass(session: Session, stmt: Select[AssistanceRequest], order: Order, number: int,
              size: int, matching: Branches) -> Page | None:
    """The page and the count from one statement; None for a page past the end, which the two-statement
    path then clamps to the last page (an empty first page means nothing matched)."""
    number = max(number, 1)
    rows = session.execute(one_pass_statement(stmt, order, number, size, matching)).all()
    if not rows:
        return Page([], 1, 1, 0) if number == 1 else None
    total = rows[0][1]
    return Page(_rows(session, [row[0] for row in rows]), number, max((total + size - 1) // size, 1), total)


def one_pass_statement(stmt: Select[AssistanceRequest], order: Order, number: int, size: int,
                       matching: Branches) -> Select[int, int]:
    """(id, count of all matches) of page `number`: each branch selects the ids and sort keys of its
    matching requests under the list's filters, and the page is cut from their combination."""
    sorted_by = {key.column.key: key.column for key in order if key.column.key != "id"}
    ids_and_keys = stmt.with_only_columns(AssistanceRequest.id, *sorted_by.values())
    found = matching.combine([ids_and_keys.where(c) for c in matching.conditions]).subquery("found")
    return (select(found.c.id, func.count().over()).order_by(*_keys(order, reverse=False, source=found))
            .offset((number - 1) * size).limit(size))


def _rows(session: Session, ids: list[int]) -> list[AssistanceRequest]:
    """The requests of `ids`, in that order."""
    found = {row.id: row for row in session.scalars(select(AssistanceRequest)
                                                    .where(AssistanceRequest.id.in_(ids))
                                                    .options(selectinload(AssistanceRequest.assignee)))}
    return [found[i] for i in ids if i in found]

