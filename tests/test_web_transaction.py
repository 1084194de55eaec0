"""The one transaction every web write runs in (mla.web.helpers.transaction): committed once, a refusal
rolled back with its message on the page, and mail sent only after the commit."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from email.message import EmailMessage

import pytest
from flask import Flask, get_flashed_messages
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from wtforms import StringField

from mla.db import db_session as request_session
from mla.domain.enums import Role
from mla.domain.errors import DomainError, SignInRefused, StaleEdit
from mla.models import Office, User
from mla.notify.mail import OutboxMailer
from mla.web.helpers import save_form, transaction


class CodeForm(FlaskForm):
    code = StringField()


@pytest.fixture
def page(app: Flask, connection: Connection) -> Iterator[None]:
    """A POST being handled, on the test's database."""
    with app.test_request_context("/", method="POST"):
        yield


def _mail(sent: list[EmailMessage]) -> OutboxMailer:
    return OutboxMailer(sent.append, sender="mla@example.org")


def _send(mailer: OutboxMailer) -> None:
    message = EmailMessage()
    message["To"] = "desk@example.org"
    message["Subject"] = "Office opened"
    with mailer.connect() as connection:
        connection.send(message)


def _offices(code: str) -> int:
    return request_session().scalar(select(func.count()).select_from(Office).where(Office.code == code)) or 0


def test_a_refused_write_leaves_no_half_written_row_and_says_why(page: None) -> None:
    with transaction() as work:
        request_session().add(Office(code="HALF", name="Half written", city="Dushanbe"))
        request_session().flush()
        raise DomainError("The office may not be opened.")
    assert work.failed
    assert _offices("HALF") == 0
    assert get_flashed_messages(with_categories=True) == [("danger", "The office may not be opened.")]


def test_the_message_goes_beside_its_field_on_the_form(page: None) -> None:
    form = CodeForm(meta={"csrf": False})
    with transaction(form) as work:
        raise DomainError("This code is not valid.", field="code")
    assert work.failed
    assert form.code.errors == ["This code is not valid."]
    assert get_flashed_messages() == []


def test_a_write_is_committed_and_its_mail_sent_after_the_commit(page: None) -> None:
    sent: list[EmailMessage] = []
    pending_at_send: list[bool] = []
    with transaction() as work:
        request_session().add(Office(code="DONE", name="Opened", city="Dushanbe"))
        work.after_commit(lambda: pending_at_send.append(request_session().in_transaction()))
        work.after_commit(lambda: _send(_mail(sent)))
        assert sent == []
    assert not work.failed
    assert pending_at_send == [False]
    assert [m["Subject"] for m in sent] == ["Office opened"]
    request_session().expunge_all()
    assert _offices("DONE") == 1


def test_no_mail_when_the_write_is_refused(page: None) -> None:
    sent: list[EmailMessage] = []
    with transaction() as work:
        work.after_commit(lambda: _send(_mail(sent)))
        raise DomainError("The office may not be opened.")
    assert work.failed
    assert sent == []


def test_no_mail_and_no_row_when_the_commit_fails(page: None, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[EmailMessage] = []
    session = request_session()

    def failing_commit() -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(session, "commit", failing_commit)
    with pytest.raises(RuntimeError), transaction() as work:
        session.add(Office(code="LOST", name="Never saved", city="Dushanbe"))
        work.after_commit(lambda: _send(_mail(sent)))
    monkeypatch.undo()
    assert sent == []
    assert _offices("LOST") == 0


def test_a_kept_refusal_is_committed(page: None) -> None:
    with transaction(keep=SignInRefused, quiet=SignInRefused) as work:
        request_session().add(Office(code="KEPT", name="Counted failure", city="Dushanbe"))
        raise SignInRefused("The e-mail or password is wrong.")
    assert isinstance(work.error, SignInRefused)
    assert get_flashed_messages() == []  # quiet: the view shows it itself
    request_session().expunge_all()
    assert _offices("KEPT") == 1


def test_a_transaction_inside_another_commits_with_it(page: None) -> None:
    sent: list[EmailMessage] = []
    with transaction() as outer:
        with transaction() as inner:
            request_session().add(Office(code="INNR", name="Inner write", city="Dushanbe"))
            inner.after_commit(lambda: _send(_mail(sent)))
        assert sent == []
        raise DomainError("The outer write was refused.")
    assert outer.failed
    assert sent == []
    assert _offices("INNR") == 0


def test_save_form_gives_the_status_of_the_refusal(page: None) -> None:
    form = CodeForm(meta={"csrf": False})

    def stale() -> None:
        raise StaleEdit("Someone else saved this meanwhile.")

    assert save_form(form, stale) == 409
    assert save_form(form, lambda: None) is None


def test_a_refused_account_is_not_half_created_and_the_form_says_why(
        client: FlaskClient, login_as: Callable[..., User], db_session: Session) -> None:
    admin = login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "email": admin.email, "full_name": "Second Holder", "role": Role.DRAFTER.value,
        "password": "another long password", "office": ""})
    assert response.status_code == 400
    assert b"An account with this e-mail address exists already." in response.data
    assert b"Second Holder" in response.data  # what was typed is kept
    assert db_session.scalar(select(func.count()).select_from(User).where(
        User.full_name == "Second Holder")) == 0
