"""Issue 15's attacks tried against a running instance: a real HTTP server on 127.0.0.1 over a
database of its own (SQLite, or PostgreSQL when MLA_TEST_DATABASE_URL is set), attacked by someone
who holds one valid account and whatever their browser keeps, cookies included."""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import Cookie, CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pyotp
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from mla.app import create_app
from mla.db import get_database, make_engine
from mla.demo.seed import DEMO_PASSWORD, seed_demo
from mla.domain.enums import Direction, Role, Stage
from mla.migrations import upgrade
from mla.models import AssistanceRequest, Office
from mla.reference.loader import load_reference
from mla.services.accounts.users import create_user
from mla.services.operations.reference import load_reference_data
from tests.conftest import FIXED_NOW, POSTGRES_URL, TEST_PASSWORD

PASSPORT = "ZX4417093"
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class _Keep3xx(HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


@dataclass
class Answer:
    status: int
    location: str
    body: str


class Visitor:
    """A browser without script: it keeps cookies, reads CSRF tokens from pages and follows no
    redirect, so every answer can be looked at."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar), _Keep3xx)

    def _send(self, request: Request) -> Answer:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers.get("Location", ""),
                              response.read().decode("utf-8", "replace"))
        except HTTPError as error:
            return Answer(error.code, error.headers.get("Location", ""),
                          error.read().decode("utf-8", "replace"))

    def get(self, path: str) -> Answer:
        return self._send(Request(self.base + path, headers={"Accept-Language": "en"}))

    def post(self, path: str, data: dict[str, str], form_page: str | None = None) -> Answer:
        page = self.get(form_page or path).body
        token = CSRF.search(page)
        fields = {**data, "csrf_token": token.group(1) if token else ""}
        return self._send(Request(self.base + path, data=urlencode(fields).encode(),
                                  headers={"Accept-Language": "en"}))

    def cookies(self) -> list[Cookie]:
        return list(self.jar)

    def adopt(self, cookies: list[Cookie]) -> None:
        """What an attacker does with a copied cookie: put it in their own browser."""
        for cookie in cookies:
            self.jar.set_cookie(cookie)

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> Answer:
        return self.post("/sign-in", {"email": email, "password": password})


def _fresh_database(tmp: Path) -> tuple[str, object]:
    if not POSTGRES_URL:
        return f"sqlite:///{tmp / 'live.sqlite3'}", None
    base = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"mla_live_{os.getpid()}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return base.set(database=name).render_as_string(hide_password=False), (admin, name)


@dataclass
class Live:
    base: str
    keys: dict[str, str]  # e-mail: second-factor key, of the managers made for these attacks
    draft_id: int  # a draft of the Khujand office, which its drafter and the desk may edit

    def visitor(self) -> Visitor:
        return Visitor(self.base)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("live")
    url, cleanup = _fresh_database(tmp)
    upgrade(url)
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": url, "DEMO_MODE": True, "INSTANCE_PATH": tmp,
                      "REQUIRE_TOTP_ROLES": ("manager",)})
    keys = {f"manager.{name}@example.org": pyotp.random_base32() for name in ("enrol", "guess")}
    with get_database(app).session_factory() as session:
        load_reference_data(session, load_reference())
        seed_demo(session, now=FIXED_NOW)
        dushanbe = session.scalar(select(Office).where(Office.code == "DUS"))
        for email, key in keys.items():
            manager = create_user(session, actor=None, now=FIXED_NOW, email=email, full_name="Manager",
                                  role=Role.MANAGER, password=TEST_PASSWORD, office=dushanbe)
            manager.totp_secret = key
        draft_id = session.scalar(select(AssistanceRequest.id).join(Office).where(
            Office.code == "KHU", AssistanceRequest.stage == Stage.DRAFT,
            AssistanceRequest.direction == Direction.OUTGOING).limit(1))
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Live(f"http://127.0.0.1:{server.server_port}", keys, draft_id)
    server.shutdown()
    get_database(app).engine.dispose()
    if cleanup is not None:
        admin, name = cleanup
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def hidden_value(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert found is not None, name
    return found.group(1)


def signed_in(live: Live, email: str) -> Visitor:
    visitor = live.visitor()
    assert visitor.sign_in(email).location.endswith("/"), email
    return visitor


def test_after_the_password_an_attacker_cannot_enrol_a_key_of_their_own(live: Live) -> None:
    email = "manager.enrol@example.org"
    attacker = live.visitor()
    assert attacker.sign_in(email, TEST_PASSWORD).location.endswith("/sign-in/code")
    key = pyotp.random_base32()
    attempt = attacker.post("/two-factor", {"secret": key, "code": pyotp.TOTP(key).now()},
                            form_page="/sign-in/code")
    assert not attempt.location.endswith("/")
    assert attacker.get("/requests/").status == 302  # still not signed in
    owner = live.visitor()
    owner.sign_in(email, TEST_PASSWORD)
    code = owner.post("/sign-in/code", {"code": pyotp.TOTP(live.keys[email]).now()})
    assert code.location.endswith("/"), "the owner's own key still signs in"
    assert owner.get("/requests/").status == 200


def test_replaying_the_password_steps_cookie_gives_no_unlimited_guesses(live: Live) -> None:
    email = "manager.guess@example.org"
    first = live.visitor()
    first.sign_in(email, TEST_PASSWORD)
    copied = first.cookies()
    right = pyotp.TOTP(live.keys[email]).now()
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    for _ in range(15):
        guesser = live.visitor()
        guesser.adopt(copied)
        assert not guesser.post("/sign-in/code", {"code": wrong}).location.endswith("/")
    guesser = live.visitor()
    guesser.adopt(copied)
    refused = guesser.post("/sign-in/code", {"code": right})
    assert not refused.location.endswith("/"), "the right code after 15 replayed guesses is refused"
    assert guesser.get("/requests/").status == 302


def test_a_session_cookie_copied_before_sign_out_is_worth_nothing_after(live: Live) -> None:
    owner = signed_in(live, "drafter@demo.mla.tj")
    thief = live.visitor()
    thief.adopt(owner.cookies())
    assert thief.get("/requests/").status == 200  # a copy works while the session lasts
    assert owner.post("/sign-out", {}, form_page="/requests/").location.endswith("/sign-in")
    refused = thief.get("/requests/")
    assert refused.status == 302 and "/sign-in" in refused.location


def test_the_admin_reads_no_case_values_in_the_audit_trail(live: Live) -> None:
    desk = signed_in(live, "desk@demo.mla.tj")
    new_person = f"/requests/{live.draft_id}/persons/new"
    added = desk.post(new_person, {"role": "witness", "name_original": "Odinaev Parviz",
                                   "id_documents": f"passport {PASSPORT}"})
    assert added.status == 302, added.body[:500]
    admin = signed_in(live, "admin@demo.mla.tj")
    page = admin.get("/audit/?action=person.")
    assert page.status == 200 and "person.add" in page.body
    export = admin.get("/audit/export.csv")
    assert export.status == 200
    for body in (page.body, export.body):
        assert PASSPORT not in body and "Odinaev" not in body


def test_the_second_of_two_saves_of_one_person_is_refused(live: Live) -> None:
    with_person = signed_in(live, "desk@demo.mla.tj")
    with_person.post(f"/requests/{live.draft_id}/persons/new",
                     {"role": "suspect", "name_original": "Saidov Bahrom"})
    request_page = with_person.get(f"/requests/{live.draft_id}").body
    person_path = re.search(rf'Saidov Bahrom.*?href="(/requests/{live.draft_id}/persons/\d+)"', request_page,
                            re.DOTALL)
    assert person_path is not None
    desk, drafter = with_person, signed_in(live, "drafter@demo.mla.tj")
    forms = [visitor.get(person_path.group(1)).body for visitor in (desk, drafter)]
    first = desk.post(person_path.group(1), {"role": "suspect", "name_original": "Saidov Bahrom",
                                             "nationality": "TJ",
                                             "version": hidden_value(forms[0], "version")})
    assert first.status == 302
    second = drafter.post(person_path.group(1), {"role": "suspect", "name_original": "Saidov Bahrom",
                                                 "address": "Khujand, 5 Lenin St.",
                                                 "version": hidden_value(forms[1], "version")})
    assert second.status == 409
    assert "Khujand, 5 Lenin St." in second.body  # what the second user typed stays on the page
    assert 'value="TJ"' in desk.get(person_path.group(1)).body  # the first save is kept


@pytest.mark.parametrize("path", [
    f"/requests/{2**63}", f"/requests/{2**64}/persons/1", "/requests/?page=99999999999999999999",
    "/statistics/?from=9999-12-31&to=9999-12-31", f"/requests/1/persons/{10**40}",
])
def test_out_of_range_values_in_urls_answer_404_or_400(live: Live, path: str) -> None:
    desk = signed_in(live, "desk@demo.mla.tj")
    assert desk.get(path).status < 500
