"""Out-of-range values in any URL answer 404 or 400, never 500: ids past what an id column holds
(PostgreSQL's integer is 32-bit; at 2^63 SQLite overflows and PostgreSQL's bigint is out of range),
huge page numbers and far dates, in every path and query parameter of every GET route, as each role."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from mla.domain.enums import Role
from mla.models import User

BAD_VALUES = ("2147483648", "9223372036854775807", "9223372036854775808", "18446744073709551616",
              "1" + "0" * 30, "9" * 5000, "-9223372036854775809", "9999-12-31", "0001-01-01")
# In the query, where any text is taken, the values that reach a number or a date.
BAD_QUERY_VALUES = ("9223372036854775808", "9999-12-31", "0001-01-01")
# Every number or date a GET page reads from its query, by its own name or through a GET form.
QUERY_NAMES = ("page", "year", "from", "to", "date_from", "date_to", "unacknowledged", "assignee", "user",
               "version", "full")
# Path parameters that are not ids get a value that reaches the view.
PATH_DEFAULTS = {"kind": "mla_request", "language": "ru", "move_name": "submit", "year": "2026"}
PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def get_rules(app: Flask) -> list[Rule]:
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "GET" in (rule.methods or ()) and rule.endpoint != "static"), key=lambda r: r.rule)


def fill(rule: Rule, wanted: str, value: str) -> str:
    """The rule's path with `value` in the parameter named `wanted` and ordinary values in the others."""
    return PLACEHOLDER.sub(lambda m: value if m.group(1) == wanted else PATH_DEFAULTS.get(m.group(1), "1"),
                           rule.rule)


def bad_urls(app: Flask) -> Iterator[str]:
    """Each bad value alone in each path parameter, then alone in each query parameter."""
    for rule in get_rules(app):
        for value in BAD_VALUES:
            for name in sorted(rule.arguments):
                yield fill(rule, name, value)
        for value in BAD_QUERY_VALUES:
            for name in QUERY_NAMES:
                yield f"{fill(rule, '', '')}?{name}={value}"


def test_the_walk_covers_every_route_and_parameter(app: Flask) -> None:
    urls = set(bad_urls(app))
    assert len(get_rules(app)) >= 40
    assert "/requests/9223372036854775808/persons/1" in urls
    assert "/requests/1/persons/9223372036854775808" in urls
    assert "/audit/?date_to=9999-12-31" in urls
    assert "/admin/letter-templates/mla_request/ru.docx?version=9223372036854775808" in urls


@pytest.mark.parametrize("role", list(Role))
def test_no_url_value_makes_a_server_error(app: Flask, client: FlaskClient, login_as: Callable[..., User],
                                           role: Role) -> None:
    login_as(role)
    failures = [f"{status} {url}" for url in bad_urls(app) if (status := client.get(url).status_code) >= 500]
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(("role", "url"), [
    (Role.MANAGER, "/requests/9223372036854775808"),
    (Role.MANAGER, "/requests/2147483648/edit"),
    (Role.DRAFTER, "/requests/1/persons/99999999999999999999"),
    (Role.ADMIN, "/admin/users/9223372036854775808"),
])
def test_a_huge_id_is_not_found(client: FlaskClient, login_as: Callable[..., User], role: Role,
                                url: str) -> None:
    login_as(role)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("version", ["2147483648", "9" * 5000])
def test_a_huge_template_version_is_no_server_error(client: FlaskClient, login_as: Callable[..., User],
                                                    version: str) -> None:
    login_as(Role.ADMIN)
    assert client.get(f"/admin/letter-templates/mla_request/ru.docx?version={version}").status_code < 500
    chosen = client.post("/admin/letter-templates/activate", headers={"Accept-Language": "en"},
                         data={"kind": "mla_request", "language": "ru", "version": version},
                         follow_redirects=True)
    assert chosen.status_code == 200 and "Choose a version from the list." in chosen.get_data(as_text=True)
