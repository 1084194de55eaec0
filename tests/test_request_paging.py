"""Paging of the request list: every page read from the nearer end holds what the plain order holds there,
the deadline order puts requests without a deadline last, and page numbers past the end show the last page.
A text search pages in one pass (ids and count in one statement): the same pages, the match run once."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Select, event, select
from sqlalchemy.orm import Session

from mla.db import get_database
from mla.domain.enums import Role
from mla.models import AssistanceRequest, Office, User
from mla.services.requests.listing import SORTS, page_of
from mla.services.requests.text_search import Branches


def among(made: list[AssistanceRequest], one_pass: bool) -> tuple[Select, Branches | None]:
    """The made requests as a plain filter, or as two overlapping branches (a text search's shape)."""
    ids = [item.id for item in made]
    if not one_pass:
        return select(AssistanceRequest).where(AssistanceRequest.id.in_(ids)), None
    half = len(ids) // 2
    overlapping = [AssistanceRequest.id.in_(ids[:half + 1]), AssistanceRequest.id.in_(ids[half:])]
    return select(AssistanceRequest), Branches(overlapping, disjoint=False)


@pytest.mark.parametrize("one_pass", [False, True], ids=["two statements", "one pass"])
@pytest.mark.parametrize("sort", sorted(SORTS))
def test_pages_from_either_end_follow_the_order(db_session: Session, sort: str, one_pass: bool,
                                                make_request: Callable[..., AssistanceRequest]) -> None:
    first = date(2026, 3, 1)
    made = [make_request(deadline_on=None if n % 3 == 0 else first + timedelta(days=(n * 5) % 11))
            for n in range(11)]
    stmt, matching = among(made, one_pass)
    pages = [page_of(db_session, stmt, SORTS[sort], number, 3, matching=matching) for number in (1, 2, 3, 4)]
    assert [page.number for page in pages] == [1, 2, 3, 4]
    assert [page.total for page in pages] == [11] * 4
    assert [page.pages for page in pages] == [4, 4, 4, 4]
    assert [len(page.rows) for page in pages] == [3, 3, 3, 2]
    read = [row.id for page in pages for row in page.rows]
    assert sorted(read) == sorted(item.id for item in made)
    if sort == "deadline":
        deadlines = [row.deadline_on for page in pages for row in page.rows]
        assert deadlines[-4:] == [None] * 4
        assert deadlines[:7] == sorted(deadlines[:7])
    if sort == "newest":
        assert read == sorted(read, reverse=True)


def test_a_page_past_the_end_shows_the_last_page(client: FlaskClient, login_as: Callable[..., User],
                                                 make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    oldest = make_request()
    for _ in range(25):
        make_request()
    for page in ("2", "99999999999999999999", "-3"):
        response = client.get(f"/requests/?page={page}&lang=en")
        assert response.status_code == 200
    text = client.get("/requests/?page=99999999999999999999&lang=en").get_data(as_text=True)
    assert "Page 2 of 2" in text
    assert oldest.reference in text


@pytest.mark.parametrize("one_pass", [False, True], ids=["two statements", "one pass"])
def test_past_the_end_and_nothing_found(db_session: Session, one_pass: bool,
                                        make_request: Callable[..., AssistanceRequest]) -> None:
    made = [make_request() for _ in range(5)]
    stmt, matching = among(made, one_pass)
    last = page_of(db_session, stmt, SORTS["oldest"], 10**6, 2, matching=matching)
    assert (last.number, last.pages, last.total, [row.id for row in last.rows]) == (3, 3, 5, [made[-1].id])
    none = page_of(db_session, stmt.where(AssistanceRequest.id < 0), SORTS["oldest"], 4, 2, matching=matching)
    assert (none.number, none.pages, none.total, none.rows) == (1, 1, 0, [])


def test_a_text_search_reads_its_matches_once_per_page(
        app: Flask, client: FlaskClient, login_as: Callable[..., User],
        make_request: Callable[..., AssistanceRequest]) -> None:
    """The trigram match of a broad search is the page's dearest part: evaluated for the count and again for
    the page it cost twice (74-80 ms on PostgreSQL's 100,000 requests, bench/RESULTS.md)."""
    login_as(Role.MANAGER)
    made = [make_request() for _ in range(30)]
    seen: list[str] = []

    def listen(*args: object) -> None:
        seen.append(str(args[2]))

    engine = get_database(app).engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        text = client.get("/requests/?q=OUT-MLA-2026&page=2&lang=en").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert "Page 2 of 2" in text
    assert made[4].reference in text and made[5].reference not in text  # newest first: 30..6, then 5..1
    matching = [statement for statement in seen if "MATCH" in statement or "ILIKE" in statement]
    assert len(matching) == 1, matching


@pytest.mark.parametrize("query", ["OUT-MLA", "UT"], ids=["indexed", "short, scanned"])
def test_a_search_keeps_the_other_filters_and_the_drafters_office(
        client: FlaskClient, login_as: Callable[..., User], db_session: Session, query: str,
        make_request: Callable[..., AssistanceRequest]) -> None:
    """Each branch of the one-pass search carries the list's filters and the user's visibility: a drafter's
    search never shows another office's request, and the count agrees with the CSV export."""
    other = Office(code="OTH", name="Other office", city="Khujand")
    db_session.add(other)
    db_session.commit()
    drafter = login_as(Role.DRAFTER)
    own = [make_request(country="KZ"), make_request(country="RU"), make_request(country="KZ")]
    foreign = make_request(office=other, country="KZ")
    text = client.get(f"/requests/?q={query}&country=KZ&lang=en").get_data(as_text=True)
    assert "2 requests" in text
    assert own[0].reference in text and own[2].reference in text
    assert own[1].reference not in text and foreign.reference not in text
    exported = client.get(f"/requests/export.csv?q={query}&country=KZ&lang=en").get_data(as_text=True)
    assert exported.count("\n") == 3 and foreign.reference not in exported
    assert drafter.office_id == own[0].office_id
