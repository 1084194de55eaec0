"""The request list read in one place (mla.services.requests.listing): the home page's figures count what
their links list, and the export holds what the list shows under the same filters."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date

from flask.testing import FlaskClient

from mla.domain.enums import Role, Stage
from mla.models import AssistanceRequest, User
from mla.services.requests.listing import ListFilters, read_list_filters

LONG_AGO = date(2020, 1, 10)


def _list_total(client: FlaskClient, query: str) -> int:
    page = client.get(f"/requests/?{query}").get_data(as_text=True)
    found = re.search(r"(\d+) requests?</p>", page)
    assert found is not None
    return int(found.group(1))


def test_the_home_figures_count_what_their_links_list(client: FlaskClient, login_as: Callable[..., User],
                                                      make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    make_request(stage=Stage.SENT, deadline_on=LONG_AGO)
    make_request(stage=Stage.SENT, deadline_on=LONG_AGO)
    make_request(stage=Stage.DRAFT)
    make_request(stage=Stage.CLOSED, deadline_on=LONG_AGO)
    home = client.get("/").get_data(as_text=True)
    figures = [int(n) for n in re.findall(r'class="display-6">(\d+)<', home)]
    assert figures[:2] == [_list_total(client, "open=1"), _list_total(client, "overdue=1")] == [3, 2]


def test_the_export_holds_the_requests_the_list_shows(client: FlaskClient, login_as: Callable[..., User],
                                                      make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    late = make_request(stage=Stage.SENT, deadline_on=LONG_AGO)
    make_request(stage=Stage.SENT)
    rows = list(csv.reader(io.StringIO(client.get("/requests/export.csv?overdue=1").get_data(as_text=True))))
    assert [row[0] for row in rows[1:]] == [late.reference]
    assert _list_total(client, "overdue=1") == 1


def test_filters_from_the_url_ignore_what_they_do_not_know() -> None:
    assert read_list_filters({"stage": "nonsense", "country": "kz", "assignee": "12345678901",
                              "open": "1", "sort": "deadline"}) == ListFilters(country="KZ", open=True,
                                                                               sort="deadline")
