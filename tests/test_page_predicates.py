"""What a page shows depends on named predicates of the domain, never on role names in a template; a link
shown is a page its reader may open, a link hidden is one they may not."""
from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from mla.domain.access import (
    administers,
    handles_access_requests,
    may_ask_for_access,
    may_choose_office,
    may_export_requests,
    may_read_audit_trail,
    may_search_persons,
    may_see_figures,
    sees_every_office,
)
from mla.domain.editing import may_create_request
from mla.domain.enums import Direction, Role

CASE_WORKERS = {Role.DRAFTER, Role.DESK, Role.MANAGER}


class Someone:
    def __init__(self, role: Role) -> None:
        self.role = role
        self.office_id = 1


@pytest.mark.parametrize(("predicate", "roles"), [
    (administers, {Role.ADMIN}),
    (may_see_figures, CASE_WORKERS),
    (may_search_persons, CASE_WORKERS),
    (may_export_requests, CASE_WORKERS),
    (may_read_audit_trail, {Role.MANAGER, Role.ADMIN}),
    (may_ask_for_access, {Role.DRAFTER}),
    (handles_access_requests, {Role.DESK, Role.MANAGER}),
    (sees_every_office, {Role.DESK, Role.MANAGER}),
    (may_choose_office, set(Role) - {Role.DRAFTER}),
])
def test_each_page_predicate_names_who_it_lets_in(predicate: Callable[[Someone], bool],
                                                  roles: set[Role]) -> None:
    assert {role for role in Role if predicate(Someone(role))} == roles


def test_the_drafter_opens_outgoing_requests_and_the_desk_registers_incoming_ones() -> None:
    assert {role for role in Role if may_create_request(role, Direction.OUTGOING)} == CASE_WORKERS
    registrars = {role for role in Role if may_create_request(role, Direction.INCOMING)}
    assert registrars == {Role.DESK, Role.MANAGER}


NAV_PAGES = {"/dashboard": "Dashboard", "/statistics/": "Statistics", "/audit/": "Audit trail"}


@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_links_only_pages_the_reader_may_open(
        client: FlaskClient, login_as: Callable[..., object], role: Role) -> None:
    login_as(role)
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    nav = home.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]
    for path in NAV_PAGES:
        shown = re.search(rf'href="{re.escape(path)}"', nav) is not None
        status = client.get(path).status_code
        assert shown == (status == 200), (path, status)


@pytest.mark.parametrize("role", [Role.DRAFTER, Role.DESK, Role.MANAGER, Role.TRANSLATOR])
def test_the_request_list_offers_what_the_reader_may_start_and_export(
        client: FlaskClient, login_as: Callable[..., object], role: Role) -> None:
    login_as(role)
    page = client.get("/requests/").get_data(as_text=True)
    for direction in Direction:
        offered = f"direction={direction.value}" in page
        opened = client.get(f"/requests/new?direction={direction.value}&kind=mla").status_code == 200
        assert offered == opened, direction
    exported = client.get("/requests/export.csv").status_code == 200
    assert ("export.csv" in page) == exported
