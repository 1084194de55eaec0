"""Pages of the filtered request list: the count, then only the ids of one page, read from whichever end of
the order is nearer (the last page costs what the first does), then the rows of those 25 requests.

A text search takes one pass instead: the page's ids and the count in one statement (count(*) OVER ()) over
the union of the search's branches, each with the list's other filters (request_search.request_text_branches),
so the trigram match runs once, not twice, and the whole table is never joined to its matches."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, FromClause, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from mla.models import AssistanceRequest
from mla.services.queries import count
from mla.services.request_search import Branches, matching_any


class SortKey(NamedTuple):
    column: InstrumentedAttribute[Any]  # a column of AssistanceRequest, found by its key in a subquery
    descending: bool = False
    nulls_last: bool = False  # only on nullable keys: PostgreSQL reads an index backwards only as-is


Order = tuple[SortKey, ...]  # the last key unique, so that pages never overlap


@dataclass(frozen=True)
class Page:
    rows: list[AssistanceRequest]
    number: int
    pages: int
    total: int


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
