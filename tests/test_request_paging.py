"""Paging of the request list: every page read from the nearer end holds what the plain order holds there,
the deadline order puts requests without a deadline last, and page numbers past the end show the last page."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import Role
from mla.models import AssistanceRequest, User
from mla.web.requests.paging import page_of
from mla.web.requests.views import SORTS


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_pages_from_either_end_follow_the_order(db_session: Session, sort: str,
                                                make_request: Callable[..., AssistanceRequest]) -> None:
    first = date(2026, 3, 1)
    made = [make_request(deadline_on=None if n % 3 == 0 else first + timedelta(days=(n * 5) % 11))
            for n in range(11)]
    stmt = select(AssistanceRequest).where(AssistanceRequest.id.in_([item.id for item in made]))
    pages = [page_of(db_session, stmt, SORTS[sort], number, 3) for number in (1, 2, 3, 4)]
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
