"""What was approved is what is sent: while a request is in review the drafter cannot change it, and the
return comment and the question for more information stand at the top of the request's page."""
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.editing import content_closed_message, may_edit_content
from mla.domain.enums import Direction, Role, Stage
from mla.models import AssistanceRequest, Measure, Person, User
from tests.conftest import sign_in_as
from tests.test_persons_measures import measure_form, person_form
from tests.test_requests import request_form

EN = {"Accept-Language": "en"}
HOLD = "This request is with the approving official for review"


def move(client: FlaskClient, item: AssistanceRequest, name: str, db: Session, **data: str) -> None:
    db.refresh(item)
    response = client.post(f"/requests/{item.id}/moves/{name}", data={"version": str(item.version), **data},
                           headers=EN)
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "expected"), [
    (Role.DRAFTER, False), (Role.DESK, False), (Role.MANAGER, True)])
def test_in_review_only_the_approving_official_changes_the_content(role: Role, expected: bool) -> None:
    assert may_edit_content(role, Direction.OUTGOING, Stage.INTERNAL_REVIEW) is expected
    assert may_edit_content(role, Direction.OUTGOING, Stage.RETURNED_FOR_CORRECTION) is True
    message = content_closed_message(role, Direction.OUTGOING, Stage.INTERNAL_REVIEW, "stage message")
    assert (message == "stage message") is expected


def test_the_drafter_cannot_change_a_request_in_review(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest], db_session: Session,
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = complete_request()
    move(client, item, "submit", db_session)
    measure = db_session.scalar(select(Measure).where(Measure.request_id == item.id))
    person = db_session.scalar(select(Person).where(Person.request_id == item.id))

    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    assert HOLD in page
    assert f"/requests/{item.id}/edit" not in page
    assert f"/requests/{item.id}/measures/new" not in page and f"/requests/{item.id}/persons/new" not in page

    forms = {
        f"/requests/{item.id}/edit": request_form(version=str(item.version), purpose="Typed purpose"),
        f"/requests/{item.id}/measures/new": measure_form(details="Typed details"),
        f"/requests/{item.id}/measures/{measure.id}": measure_form(details="Typed details", version="1"),
        f"/requests/{item.id}/persons/new": person_form(aliases="Typed alias"),
        f"/requests/{item.id}/persons/{person.id}": person_form(aliases="Typed alias", version="1"),
    }
    for path, data in forms.items():
        opened = client.get(path, headers=EN)
        assert opened.status_code == 303, path
        assert HOLD in client.get(opened.headers["Location"], headers=EN).get_data(as_text=True), path
        saved = client.post(path, data=data, headers=EN)
        body = saved.get_data(as_text=True)
        assert saved.status_code == 409 and HOLD in body, path
        assert any(typed in body for typed in ("Typed purpose", "Typed details", "Typed alias")), path
    db_session.expire_all()
    assert db_session.get(AssistanceRequest, item.id).purpose == "Допрос потерпевшей"
    assert db_session.get(Measure, measure.id).details == "Допрос К."

    sign_in_as(client, make_user(Role.MANAGER), db_session)
    assert client.get(f"/requests/{item.id}/edit", headers=EN).status_code == 200
    assert HOLD not in client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    move(client, item, "return_for_correction", db_session, note="Уточните период вербовки.")
    sign_in_as(client, drafter, db_session)
    assert client.get(f"/requests/{item.id}/edit", headers=EN).status_code == 200


def test_the_return_comment_stands_at_the_top_until_the_request_is_resubmitted(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    complete_request: Callable[..., AssistanceRequest], db_session: Session,
) -> None:
    drafter = login_as(Role.DRAFTER)
    item = complete_request()
    move(client, item, "submit", db_session)
    sign_in_as(client, make_user(Role.MANAGER), db_session)
    move(client, item, "return_for_correction", db_session, note="Уточните период вербовки.")

    sign_in_as(client, drafter, db_session)
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    banner = page.index('data-testid="standing-note"')
    assert "Returned for correction: what to correct" in page[banner:]
    assert page.index("Уточните период вербовки.", banner) < page.index('data-testid="history"')
    move(client, item, "resubmit", db_session)
    assert 'data-testid="standing-note"' not in client.get(f"/requests/{item.id}", headers=EN).get_data(
        as_text=True)


def test_the_partners_question_stands_at_the_top_while_more_information_is_requested(
    client: FlaskClient, login_as: Callable[..., User], complete_request: Callable[..., AssistanceRequest],
    db_session: Session,
) -> None:
    login_as(Role.DESK)
    item = complete_request(stage=Stage.ACKNOWLEDGED)
    move(client, item, "record_info_request", db_session,
         info_requested="Сообщите дату рождения потерпевшей.")
    page = client.get(f"/requests/{item.id}", headers=EN).get_data(as_text=True)
    banner = page.index('data-testid="standing-note"')
    assert "The requested State asks for more information" in page[banner:]
    assert page.index("Сообщите дату рождения потерпевшей.", banner) < page.index('data-testid="history"')
