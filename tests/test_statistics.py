"""Partner statistics on a small data set with known working-day durations, the page, the annual report
as .xlsx and .docx (English and Russian), office scoping, and bad periods, years and languages."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from babel.support import Translations
from docx import Document
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from mla.demo.seed import seed_demo
from mla.documents.annual_report import TITLE, AnnualReport
from mla.domain.enums import Direction, RequestKind, Role, Stage
from mla.domain.statistics import AGE_BUCKETS, DurationSummary, Period, default_period
from mla.i18n import TRANSLATIONS_DIR
from mla.models import AssistanceRequest, AuditEvent, NationalCase, Office, StageChange, User
from mla.reference.loader import load_reference
from mla.services.oversight.statistics import partner_statistics
from mla.web.oversight.statistics_workbook import annual_workbook
from tests.test_payloads import PAYLOADS, worked
from tests.test_statistics_domain import age_bucket

HOME = load_reference().home_iso2

APRIL_MAY = Period(date(2026, 4, 1), date(2026, 5, 31))
QUERY = "from=2026-04-01&to=2026-05-31"


@dataclass
class DataSet:
    """Office A sends to Afghanistan (Friday weekend, 28 April a holiday); office B to Kazakhstan and
    receives from Iran; the desk, the manager and B's drafter look at it."""

    office_a: Office
    office_b: Office
    open_recent: AssistanceRequest


def _change(db: Session, item: AssistanceRequest, stage: Stage, at: datetime) -> None:
    db.add(StageChange(request_id=item.id, move="test", from_stage=item.stage, to_stage=stage, at=at))
    item.stage = stage


@pytest.fixture
def data(db_session: Session, make_request: Callable[..., AssistanceRequest]) -> DataSet:
    a, b = Office(code="OFA", name="Office A"), Office(code="OFB", name="Office B")
    db_session.add_all([a, b])
    db_session.commit()
    case = NationalCase(office_id=a.id, case_number="2026/1", stage="pre_trial",
                        offence_category_code="smuggling_of_migrants")
    db_session.add(case)
    db_session.commit()
    # AF: Thu 23 Apr -> Wed 29 Apr = 4 (Fri off, Tue 28 holiday); executed Wed 6 May = 10
    executed = make_request(office=a, country="AF", stage=Stage.ACKNOWLEDGED, national_case_id=case.id,
                            transmitted_on=date(2026, 4, 23), acknowledged_on=date(2026, 4, 29))
    _change(db_session, executed, Stage.EXECUTED, datetime(2026, 5, 6, 8, 0, tzinfo=UTC))
    # AF: Mon 6 -> Wed 8 Apr = 2, then refused
    refused = make_request(office=a, country="AF", stage=Stage.ACKNOWLEDGED,
                           refusal_ground_code="essential_interests",
                           transmitted_on=date(2026, 4, 6), acknowledged_on=date(2026, 4, 8))
    _change(db_session, refused, Stage.REFUSED, datetime(2026, 4, 20, 6, 0, tzinfo=UTC))
    # AF: Mon 13 -> Mon 20 Apr = 6 (Fri 17 off), still waiting
    make_request(office=a, country="AF", stage=Stage.ACKNOWLEDGED, transmitted_on=date(2026, 4, 13),
                 acknowledged_on=date(2026, 4, 20))
    # KZ (Sat-Sun weekend): Fri 3 -> Tue 7 Apr = 2; a police request answered Fri 10 -> Tue 14 Apr = 2
    make_request(office=b, country="KZ", stage=Stage.ACKNOWLEDGED, transmitted_on=date(2026, 4, 3),
                 acknowledged_on=date(2026, 4, 7))
    answered = make_request(office=b, country="KZ", kind=RequestKind.POLICE, stage=Stage.SENT,
                            transmitted_on=date(2026, 4, 10))
    _change(db_session, answered, Stage.ANSWERED, datetime(2026, 4, 14, 5, 0, tzinfo=UTC))
    # outside the period, and one never sent: neither counts
    make_request(office=b, country="KZ", stage=Stage.SENT, transmitted_on=date(2026, 3, 15))
    make_request(office=b, country="KZ", stage=Stage.DRAFT)
    # IR incoming, on Tajikistan's calendar: Thu 30 Apr -> Mon 4 May = 2 (on Iran's it would be 3)
    make_request(office=b, country="IR", direction=Direction.INCOMING, stage=Stage.ACKNOWLEDGED,
                 received_on=date(2026, 4, 30), acknowledged_on=date(2026, 5, 4))
    recent = make_request(office=b, country="KZ", stage=Stage.SENT,
                          transmitted_on=datetime.now(UTC).date() - timedelta(days=10))
    db_session.commit()
    return DataSet(a, b, recent)


def _rows(user: User, db: Session, period: Period = APRIL_MAY) -> dict[tuple[str, str], object]:
    stats = partner_statistics(db, home_iso2=HOME, user=user, period=period, today=datetime.now(UTC).date())
    return {(row.country_iso2, row.direction.value): row for row in stats.rows}


def test_counts_times_and_refusals_per_partner(data: DataSet, db_session: Session,
                                               make_user: Callable[..., User]) -> None:
    rows = _rows(make_user(Role.MANAGER), db_session)
    assert set(rows) == {("AF", "outgoing"), ("KZ", "outgoing"), ("IR", "incoming")}
    af = rows[("AF", "outgoing")]
    assert af.count == 3
    assert af.acknowledgement == DurationSummary(3, 4, 6)     # [2, 4, 6]: median 4, p90 6
    assert af.execution == DurationSummary(1, 10, 10)
    assert (af.refused, af.refusal_rate) == (1, pytest.approx(1 / 3))
    kz = rows[("KZ", "outgoing")]
    assert (kz.count, kz.acknowledgement, kz.execution, kz.refused) == (
        2, DurationSummary(1, 2, 2), DurationSummary(1, 2, 2), 0)
    assert rows[("IR", "incoming")].acknowledgement == DurationSummary(1, 2, 2)


def test_the_stage_changes_are_aggregated_once(data: DataSet, db_session: Session,
                                               make_user: Callable[..., User]) -> None:
    """Counts, refusals and times come from one pass over the stage changes: on 100,000 requests each
    pass costs about 150 ms, and the page used to make two."""
    seen: list[str] = []

    def listen(*args: object) -> None:
        seen.append(str(args[2]))

    engine = db_session.get_bind()
    event.listen(engine, "before_cursor_execute", listen)
    try:
        rows = _rows(make_user(Role.MANAGER), db_session)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert rows[("AF", "outgoing")].count == 3
    assert len([statement for statement in seen if "FROM stage_change" in statement]) == 1, seen


def test_refusal_grounds_and_backlog_by_age(data: DataSet, db_session: Session,
                                            make_user: Callable[..., User]) -> None:
    today = datetime.now(UTC).date()
    stats = partner_statistics(db_session, home_iso2=HOME,
                               user=make_user(Role.DESK), period=APRIL_MAY, today=today)
    assert stats.grounds == [("essential_interests", 1)]
    backlog = {(row.country_iso2, row.direction.value): row.counts for row in stats.backlog}
    # executed, answered and refused requests and drafts are not backlog; the rest by age today
    assert set(backlog) == {("AF", "outgoing"), ("KZ", "outgoing"), ("IR", "incoming")}
    assert sum(backlog[("AF", "outgoing")]) == 1 and sum(backlog[("KZ", "outgoing")]) == 3
    keys = [bucket.key for bucket in AGE_BUCKETS]
    assert backlog[("AF", "outgoing")][keys.index(age_bucket((today - date(2026, 4, 13)).days).key)] == 1
    assert backlog[("KZ", "outgoing")][0] == 1  # the one sent ten days ago


def test_a_drafter_sees_only_the_figures_of_their_own_office(data: DataSet, db_session: Session,
                                                             make_user: Callable[..., User]) -> None:
    rows = _rows(make_user(Role.DRAFTER, office=data.office_b), db_session)
    assert set(rows) == {("KZ", "outgoing"), ("IR", "incoming")}


def test_the_page_shows_tables_and_charts(data: DataSet, client: FlaskClient,
                                          login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    body = client.get(f"/statistics/?{QUERY}&lang=en").get_data(as_text=True)
    assert "Afghanistan" in body and "Iran" in body
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" class="stat-chart"') == 3
    assert "<title>Working days to acknowledgement</title>" in body
    assert "style=" not in body and "<script>" not in body
    filtered = client.get(f"/statistics/?{QUERY}&lang=en&country=IR").get_data(as_text=True)
    assert "Afghanistan</td>" not in filtered and "Iran</td>" in filtered


def test_charts_stay_left_to_right_in_a_dari_page(data: DataSet, client: FlaskClient,
                                                  login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    body = client.get(f"/statistics/?{QUERY}&lang=fa_AF").get_data(as_text=True)
    assert 'dir="rtl"' in body
    assert 'direction="ltr"><title>' in body and 'direction="rtl"' in body


@pytest.mark.parametrize("query", [
    "from=2026-05-31&to=2026-04-01", "from=not-a-date", "from=1999-01-01&to=2026-01-01",
    "from=2026-01-01&to=2999-01-01", "from=2001-01-01&to=2026-01-01", "from=%00&to=2026-13-45",
])
def test_bad_periods_give_a_message_and_the_last_twelve_months(query: str, client: FlaskClient,
                                                                login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    response = client.get(f"/statistics/?{query}&lang=en")
    assert response.status_code == 200
    assert 'data-testid="statistics-notice"' in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["direction=sideways", "country=ZZ", "country=%27%3B--", "page=999999999"])
def test_unknown_filter_values_are_ignored(query: str, data: DataSet, client: FlaskClient,
                                           login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    body = client.get(f"/statistics/?{QUERY}&{query}&lang=en").get_data(as_text=True)
    assert "Afghanistan</td>" in body and "Iran</td>" in body


@pytest.mark.parametrize("url", [
    "/statistics/annual/1999.xlsx", "/statistics/annual/2999.docx", "/statistics/annual/abc.xlsx",
    "/statistics/annual/2026.docx?language=fr", "/statistics/annual/99999999999999999999.xlsx",
    "/statistics/annual/%C2%B2%E2%81%B0.xlsx", "/statistics/annual/2026.xlsx?language=%00",
])
def test_bad_years_and_languages_give_a_message(url: str, client: FlaskClient,
                                                login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    response = client.get(url)
    assert response.status_code == 400
    assert 'data-testid="statistics-notice"' in response.get_data(as_text=True)


def test_the_annual_workbook_holds_the_numbers(data: DataSet, client: FlaskClient, db_session: Session,
                                               login_as: Callable[..., User]) -> None:
    login_as(Role.MANAGER)
    response = client.get("/statistics/annual/2026.xlsx?language=en")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    by_direction = book["By direction"]
    assert by_direction["A1"].font.bold and by_direction.freeze_panes == "A2"
    counts = {row[0]: row[1] for row in by_direction.iter_rows(min_row=2, values_only=True)}
    assert counts == {"Outgoing": 7, "Incoming": 1}   # the March request counts in the year
    times = book["Times by partner"]
    af = next(row for row in times.iter_rows(min_row=2, values_only=True) if row[0] == "Afghanistan")
    assert af[2:9] == (3, 4, 6, 10, 10, 1, pytest.approx(1 / 3))
    offences = {row[0]: row[1] for row in book["By offence category"].iter_rows(min_row=2,
                                                                                        values_only=True)}
    assert offences == {"Smuggling of migrants": 1, "Not recorded": 7}
    outcomes = {row[0]: row[1] for row in book["By outcome"].iter_rows(min_row=2, values_only=True)}
    assert outcomes == {"Executed or answered": 2, "Refused or declined": 1, "Pending": 5}
    audit = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "statistics.annual_report"))
    assert audit is not None and audit.changes == {"format": "xlsx", "language": "en"}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_annual_report_docx_in_english_and_russian(language: str, data: DataSet, client: FlaskClient,
                                                        login_as: Callable[..., User]) -> None:
    login_as(Role.DESK)
    response = client.get(f"/statistics/annual/2026.docx?language={language}")
    assert response.status_code == 200
    document = Document(BytesIO(response.data))
    title = Translations.load(str(TRANSLATIONS_DIR), [language]).gettext(TITLE) % {"year": 2026}
    assert document.paragraphs[0].text == title
    assert len(document.tables) == 7
    direction = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert [row[1] for row in direction[1:]] == ["1", "7"] or [row[1] for row in direction[1:]] == ["7", "1"]
    times = [[cell.text for cell in row.cells] for row in document.tables[5].rows]
    assert any(row[2:] == ["3", "4", "6", "10", "10", "1", "33%"] for row in times)
    with client.session_transaction() as flask_session:
        assert "lang" not in flask_session  # the report's language leaves the interface's alone


def test_a_drafters_annual_report_has_only_their_office(data: DataSet, client: FlaskClient,
                                                        login_as: Callable[..., User]) -> None:
    login_as(Role.DRAFTER, office=data.office_a)
    book = load_workbook(BytesIO(client.get("/statistics/annual/2026.xlsx?language=en").data))
    countries = [row[0] for row in book["By country"].iter_rows(min_row=2, values_only=True)]
    assert countries == ["Afghanistan"]


def test_the_workbook_neutralises_cells_that_would_start_a_formula() -> None:
    report = AnnualReport(2026, date(2026, 1, 1), date(2026, 12, 31), [], [], [("AF", 1)], [], [], [], [],
                          country_names={"AF": "=HYPERLINK(\"http://x\")"})
    book = load_workbook(BytesIO(annual_workbook(report, Translations())))
    assert book["By country"]["A2"].value == "'=HYPERLINK(\"http://x\")"
    assert book["By country"]["B2"].value == 1


def test_the_demo_gives_every_part_of_the_page_something_to_show(db_session: Session, now: datetime) -> None:
    seed_demo(db_session, now=now)
    manager = db_session.scalar(select(User).where(User.role == Role.MANAGER, User.is_demo.is_(True)))
    stats = partner_statistics(db_session, home_iso2=HOME,
                               user=manager, period=default_period(now.date()), today=now.date())
    assert sum(row.acknowledgement.count for row in stats.rows) >= 5
    assert sum(row.execution.count for row in stats.rows) >= 3
    assert sum(row.refused for row in stats.rows) >= 3 and len(stats.grounds) >= 2
    assert len({bucket for row in stats.backlog for bucket, n in enumerate(row.counts) if n}) >= 2


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_statistics_parameter_resists_every_payload(client: FlaskClient, login_as: Callable[..., User],
                                                          payload: str) -> None:
    login_as(Role.MANAGER)
    for param in ("from", "to", "direction", "country", "language"):
        for path in ("/statistics/", "/statistics/annual/2026.xlsx", "/statistics/annual/2026.docx"):
            response = client.get(path, query_string={param: payload})
            assert response.status_code < 500, (path, param)
            if response.mimetype == "text/html":
                assert worked(response.get_data(as_text=True)) == [], (path, param)
    response = client.get(f"/statistics/annual/{quote(payload, safe='')}.docx")
    assert response.status_code < 500 and worked(response.get_data(as_text=True)) == []
