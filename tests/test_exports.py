"""Exports of the filtered request list (issue 6): filters and visibility of the list, formulas neutralised,
files that csv and openpyxl open, headers in the interface language, an audit record per export."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.domain.enums import ClockKind, ClockState, Counting, PersonRole, Role, Stage
from mla.models import AssistanceRequest, AuditEvent, Clock, Office, Person, User


def _csv(client: FlaskClient, query: str = "") -> list[list[str]]:
    response = client.get(f"/requests/export.csv{query}")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _xlsx(client: FlaskClient, query: str = "") -> list[tuple[object, ...]]:
    response = client.get(f"/requests/export.xlsx{query}")
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.data), read_only=True).active.iter_rows(values_only=True))


def _references(rows: list) -> set[str]:
    return {row[0] for row in rows[1:]}


def test_csv_holds_the_filtered_rows_only(client: FlaskClient, login_as: Callable[..., User],
                                          make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    russian = make_request(country="RU", stage=Stage.SENT)
    make_request(country="KZ", stage=Stage.SENT)
    make_request(country="RU", stage=Stage.DRAFT)
    assert _references(_csv(client, "?country=RU&stage=sent")) == {russian.reference}


def test_xlsx_holds_the_filtered_rows_with_their_clock(
        client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
        db_session: Session) -> None:
    login_as(Role.DESK)
    late = make_request(country="TR", stage=Stage.SENT, transmitted_on=date(2026, 1, 5))
    make_request(country="UZ", stage=Stage.SENT)
    today = datetime.now(UTC).date()
    for kind, due in ((ClockKind.STATUS_ENQUIRY, today + timedelta(days=20)),
                      (ClockKind.ACKNOWLEDGEMENT_EXPECTED, today - timedelta(days=12))):
        db_session.add(Clock(request_id=late.id, kind=kind, state=ClockState.RUNNING,
                             counting=Counting.CALENDAR_DAYS, calendar_iso2="TR",
                             started_on=today - timedelta(days=40), due_on=due))
    db_session.commit()
    rows = _xlsx(client, "?country=TR&lang=en")
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row[gettext("Reference")] == late.reference
    assert row[gettext("Transmitted")].date() == date(2026, 1, 5)
    assert row[gettext("Next due date")].date() == today - timedelta(days=12)
    assert row[gettext("Next clock")] == gettext("Acknowledgement expected")
    assert row[gettext("Days overdue")] >= 12


def test_next_due_is_the_earlier_of_the_deadline_and_the_late_clocks(
        client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
        db_session: Session) -> None:
    login_as(Role.MANAGER)
    today = datetime.now(UTC).date()
    waiting = make_request(country="RU", stage=Stage.SENT, deadline_on=today - timedelta(days=3))
    make_request(country="RU", stage=Stage.CLOSED, deadline_on=today - timedelta(days=30))
    db_session.add(Clock(request_id=waiting.id, kind=ClockKind.DECISION_EXPECTED, state=ClockState.PAUSED,
                         counting=Counting.CALENDAR_DAYS, calendar_iso2="RU",
                         started_on=today - timedelta(days=40),
                         due_on=today - timedelta(days=9), paused_on=today - timedelta(days=20)))
    db_session.commit()
    rows = _xlsx(client, "?country=RU&lang=en")
    by_reference = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    late = by_reference[waiting.reference]
    assert late[gettext("Next clock")] == gettext("Requester's own deadline")
    assert late[gettext("Days overdue")] == 3
    closed = next(row for reference, row in by_reference.items() if reference != waiting.reference)
    assert closed[gettext("Next due date")] is None
    assert closed[gettext("Days overdue")] is None


def test_a_drafter_exports_only_the_own_office(
        client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
        db_session: Session) -> None:
    drafter = login_as(Role.DRAFTER)
    other = Office(code="OTHER", name="Other office")
    db_session.add(other)
    db_session.commit()
    mine = make_request(office=drafter.office)
    make_request(office=other)
    assert _references(_csv(client)) == {mine.reference}
    assert _references(_xlsx(client, f"?office={other.code}")) == set()


def test_a_translator_may_not_export(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as(Role.TRANSLATOR)
    assert client.get("/requests/export.csv").status_code == 403
    assert client.get("/requests/export.xlsx").status_code == 403


def test_formulas_are_neutralised_in_both_formats(
        client: FlaskClient, login_as: Callable[..., User],
        make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    make_request(subject_matter='=HYPERLINK("http://evil.example","x")', partner_reference="+7-999")
    csv_row = _csv(client)[1]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in csv_row
    assert "'+7-999" in csv_row
    xlsx_row = _xlsx(client)[1]
    assert not any(isinstance(cell, str) and cell.startswith(("=", "+")) for cell in xlsx_row)


def test_protected_persons_never_appear(
        client: FlaskClient, login_as: Callable[..., User], make_request: Callable[..., AssistanceRequest],
        db_session: Session) -> None:
    login_as(Role.MANAGER)
    item = make_request()
    db_session.add(Person(request_id=item.id, role=PersonRole.VICTIM, name_original="Зарина Секретова",
                          is_protected=True, pseudonym="V-1"))
    db_session.commit()
    assert "Секретова".encode() not in client.get("/requests/export.csv").data
    assert not any("Секретова" in str(cell) for row in _xlsx(client) for cell in row)


def test_headers_follow_the_interface_language(
        app: Flask, client: FlaskClient, login_as: Callable[..., User],
        make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    make_request(country="RU")
    rows = _csv(client, "?lang=ru")
    with app.test_request_context(), force_locale("ru"):
        expected = {gettext("Reference"), gettext("Partner country"), gettext("Days overdue")}
    assert expected <= set(rows[0])
    assert rows[1][3] == "Россия"  # country names come from CLDR in the interface language


def test_bad_filters_are_ignored(client: FlaskClient, login_as: Callable[..., User],
                                 make_request: Callable[..., AssistanceRequest]) -> None:
    login_as(Role.MANAGER)
    item = make_request()
    query = "?stage=nonsense&country=12345&assignee=-1&page=99999999999&sort=drop&direction=%00"
    assert _references(_csv(client, query)) == {item.reference}
    assert _references(_xlsx(client, query)) == {item.reference}


def test_each_export_is_audited(client: FlaskClient, login_as: Callable[..., User],
                                make_request: Callable[..., AssistanceRequest], db_session: Session) -> None:
    manager = login_as(Role.MANAGER)
    make_request(country="RU")
    _csv(client, "?country=RU")
    _xlsx(client)
    events = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "requests.export")
                                .order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.changes["format"], e.changes["rows"]) for e in events] == [
        (manager.id, "csv", 1), (manager.id, "xlsx", 1)]
    assert events[0].changes["filters"] == {"country": "RU"}


def test_the_list_links_to_both_exports_with_its_filters(client: FlaskClient,
                                                         login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    page = client.get("/requests/?country=RU&overdue=1").get_data(as_text=True)
    assert "/requests/export.csv?country=RU&amp;overdue=1" in page
    assert "/requests/export.xlsx?country=RU&amp;overdue=1" in page
