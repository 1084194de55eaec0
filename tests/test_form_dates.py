"""Dates typed into forms have bounds suited to their kind (an event: 1950 to tomorrow; a birth: 1900
to today; a deadline: up to five years ahead; a search period: 1900 to five years ahead): a date
outside them is a message beside the field, the typed text stays, and nothing is stored."""
from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mla.domain.enums import Role, Stage
from mla.models import AssistanceRequest, StageChange, User
from tests.test_requests import request_form

EN = {"Accept-Language": "en"}
INCOMING = "/requests/new?direction=incoming&kind=mla"
OUTGOING = "/requests/new?direction=outgoing&kind=mla"


def requests_stored(db_session: Session) -> int:
    return db_session.scalar(select(func.count()).select_from(AssistanceRequest))


@pytest.mark.parametrize(("url", "field", "typed", "first"), [
    (INCOMING, "received_on", "0001-01-01", "Jan 1, 1950"),
    (INCOMING, "received_on", "1949-12-31", "Jan 1, 1950"),
    (INCOMING, "received_on", "9999-12-31", "Jan 1, 1950"),
    (OUTGOING, "deadline_on", "9999-12-31", "Jan 1, 1950"),
    (OUTGOING, "deadline_on", "0001-01-01", "Jan 1, 1950"),
])
def test_a_request_date_out_of_bounds_is_refused_on_the_form(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session,
    url: str, field: str, typed: str, first: str,
) -> None:
    login_as(Role.DESK)
    before = requests_stored(db_session)
    response = client.post(url, data=request_form(**{field: typed, "deadline_reason": "Trial",
                                                      "partner_reference": "AGO/1", "office": "TST"}),
                           headers=EN)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert f"Enter a date from {first} to " in page
    assert f'value="{typed}"' in page
    assert requests_stored(db_session) == before


def test_a_date_within_bounds_is_taken(client: FlaskClient, login_as: Callable[..., User],
                                       db_session: Session) -> None:
    login_as(Role.DESK)
    response = client.post(INCOMING, data=request_form(received_on="1950-01-01", partner_reference="AGO/2",
                                                       office="TST"), headers=EN)
    assert response.status_code == 302
    item = db_session.scalar(select(AssistanceRequest).where(AssistanceRequest.partner_reference == "AGO/2"))
    assert item.received_on == date(1950, 1, 1)


def test_a_transmission_dated_in_the_year_one_moves_nothing(
    client: FlaskClient, login_as: Callable[..., User], db_session: Session,
    make_request: Callable[..., AssistanceRequest],
) -> None:
    login_as(Role.DESK)
    item = make_request(stage=Stage.READY_TO_SEND)
    response = client.post(f"/requests/{item.id}/moves/transmit", headers=EN, data={
        "version": str(item.version), "transmitted_on": "0001-01-01", "channel": "central_authority",
        "outgoing_number": "1"})
    assert response.status_code == 400
    assert "Enter a date from Jan 1, 1950 to " in html.unescape(response.get_data(as_text=True))
    db_session.refresh(item)
    assert item.stage == Stage.READY_TO_SEND
    assert db_session.scalar(select(func.count()).select_from(StageChange)
                             .where(StageChange.request_id == item.id)) == 0


def test_an_audit_period_ending_in_9999_is_a_message(client: FlaskClient,
                                                     login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    for path in ("/audit/?date_to=9999-12-31", "/audit/export.csv?date_to=9999-12-31"):
        response = client.get(path, headers=EN)
        assert response.status_code == 400
        assert "Enter a date from Jan 1, 1900 to " in html.unescape(response.get_data(as_text=True))
