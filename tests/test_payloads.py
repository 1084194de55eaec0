"""Every form field and listed URL parameter tried with XSS, SQL-injection, template-injection and
path-traversal payloads: none works and none gives a 500; every POST route refuses a missing CSRF
token."""

import csv
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.enums import PersonRole, Role, Stage
from mla.models import AssistanceRequest, AuditEvent, Measure, Person, User
from tests.conftest import sign_in_as

PAYLOADS = [
    '<script>alert("xss-7")</script>',
    '"><img src=x onerror=alert(7)>',
    "' OR '1'='1' --",
    "1; DROP TABLE user_account; --",
    # evaluated, it prints "ssti-1337"; a bare 1337 could be a row id on a long-running database
    '{{ "ssti-" ~ 7*191 }}{% for x in [1] %}{% endfor %}',
    "../../../../etc/passwd",
    "\u202e\u0000%00",
]
QUERY_PARAMS = [
    "q",
    "country",
    "stage",
    "kind",
    "direction",
    "page",
    "sort",
    "assignee",
    "office",
    "overdue",
    "next",
    "lang",
    "user",
    "reference",
    "action",
    "date_from",
    "date_to",
]


def worked(body: str) -> list[str]:
    """Signs that a payload was executed or echoed unescaped."""
    signs = ['<script>alert("xss-7")', "<img src=x onerror", "ssti-1337", "root:x:0:0"]
    return [sign for sign in signs if sign in body]


class Forms(HTMLParser):
    """The POST forms of a page: action and each field's name with its default value."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": a.get("method", "get").lower(), "fields": {}}
            )
        elif not self.forms or a.get("name") in (None, "csrf_token"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "file", "checkbox"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1]["fields"][a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            self.forms[-1]["fields"].setdefault(a["name"], "")
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or not self.forms[-1]["fields"][self._select])
        ):
            self.forms[-1]["fields"][self._select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None


def forms_of(client: FlaskClient, path: str) -> list[dict]:
    parser = Forms()
    parser.feed(client.get(path).get_data(as_text=True))
    for form in parser.forms:
        form["action"] = form["action"] or path
    return [f for f in parser.forms if f["method"] == "post" and f["action"] != "/sign-out"]


@pytest.fixture
def world(
    login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest], db_session: Session
) -> dict[str, int]:
    user = login_as(Role.DESK)
    draft = make_request(office=user.office, stage=Stage.DRAFT)
    sent = make_request(office=user.office, stage=Stage.SENT)
    person = Person(
        request_id=draft.id,
        role=PersonRole.VICTIM,
        name_original="Қодирова",
        is_protected=True,
        pseudonym="P-1",
    )
    measure = Measure(request_id=sent.id, assistance_type_code="statement")
    db_session.add_all([person, measure])
    db_session.commit()
    return {"draft": draft.id, "sent": sent.id, "person": person.id, "measure": measure.id, "user": user.id}


DESK_PAGES = [
    "/requests/new?direction=outgoing&kind=mla&country=KZ",
    "/requests/new?direction=incoming&kind=mla&country=AF",
    "/requests/{draft}",
    "/requests/{draft}/edit",
    "/requests/{draft}/persons/new",
    "/requests/{draft}/persons/{person}",
    "/requests/{draft}/measures/new",
    "/requests/{sent}/moves/record_acknowledgement",
    "/requests/{sent}/moves/record_refusal",
    "/requests/{sent}/measures/{measure}/result",
]


def test_every_form_field_resists_every_payload(
    client: FlaskClient, world: dict[str, int], db_session: Session
) -> None:
    tried = 0
    for page in DESK_PAGES:
        for form in forms_of(client, page.format(**world)):
            for name in form["fields"]:
                for payload in PAYLOADS:
                    data = {**form["fields"], name: payload}
                    response = client.post(form["action"], data=data)
                    tried += 1
                    assert response.status_code < 500, (form["action"], name, payload)
                    assert worked(response.get_data(as_text=True)) == [], (form["action"], name, payload)
    assert tried > 300
    for page in ["/requests/", "/requests/{draft}", "/requests/{sent}", "/"]:
        body = client.get(page.format(**world)).get_data(as_text=True)
        assert worked(body) == [], page  # nothing stored above comes back unescaped
    assert db_session.scalar(select(func.count()).select_from(User)) >= 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_url_parameter_resists_every_payload(
    app: Flask, client: FlaskClient, world: dict[str, int], make_user: Callable[..., User], payload: str,
    db_session: Session,
) -> None:
    manager = app.test_client()
    sign_in_as(manager, make_user(Role.MANAGER), db_session)
    for param in QUERY_PARAMS:
        for browser, path in [
            (client, "/"),
            (client, "/requests/"),
            (client, "/requests/{draft}"),
            (manager, "/audit/"),
            (manager, "/audit/export.csv"),
        ]:
            response = browser.get(path.format(**world), query_string={param: payload})
            assert response.status_code < 500, (path, param)
            if response.mimetype == "text/html":  # a CSV download is data, not a page
                assert worked(response.get_data(as_text=True)) == [], (path, param)


def test_sql_injection_in_the_search_finds_nothing(client: FlaskClient, world: dict[str, int]) -> None:
    body = client.get("/requests/", query_string={"q": "' OR '1'='1"}, headers={"Accept-Language": "en"})
    assert "No request matches these filters." in body.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../config.py",
        "/static/..%2f..%2fconfig.py",
        "/static/vendor/../../../config.py",
        "/requests/1/attachments/..%2f..%2f1",
    ],
)
def test_path_traversal_reaches_nothing(client: FlaskClient, world: dict[str, int], path: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 308)
    assert b"SECRET_KEY" not in response.get_data()


def test_every_post_route_refuses_a_missing_csrf_token(
    app: Flask,
    client: FlaskClient,
    world: dict[str, int],
    db_session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = db_session.scalar(select(func.count()).select_from(AuditEvent))
    values = {
        "request_id": world["draft"],
        "person_id": world["person"],
        "measure_id": world["measure"],
        "user_id": world["user"],
        "attachment_id": 1,
        "move_name": "submit",
    }
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(posts) > 15
    for rule in posts:
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        path = re.sub(r"<int:\w+>", "1", re.sub(r"<(?:string:)?\w+>", "x", path))
        response = client.post(path, data={"note": "x", "password": "a new password here"})
        assert response.status_code == 400, rule.rule
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_exports_do_not_let_a_spreadsheet_run_formulas(
    app: Flask, make_user: Callable[..., User], db_session: Session, now
) -> None:
    from mla.services.audit import record_event

    formula = '=HYPERLINK("http://evil.example","x")'
    author = make_user(Role.DESK)
    author.full_name = formula
    record_event(db_session, actor=author, now=now, action="test.named", object_type="x")
    db_session.commit()
    manager = app.test_client()
    sign_in_as(manager, make_user(Role.MANAGER), db_session)
    rows = list(csv.reader(io.StringIO(manager.get("/audit/export.csv").get_data(as_text=True))))
    names = [row[2] for row in rows[1:]]
    assert "'" + formula in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
