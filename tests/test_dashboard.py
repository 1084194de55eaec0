"""The managers' dashboard: its figures on a small data set, every figure's link giving a list of
exactly that many requests, a drafter's office-only view, refused roles and bad input."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mla.demo.seed import seed_demo
from mla.domain.enums import ClockKind, ClockState, Counting, Direction, RequestKind, Role, Stage
from mla.models import AssistanceRequest, Clock, Office, User
from mla.reference.loader import load_reference
from mla.services.clocks.calendars import calendar_for
from mla.services.clocks.next_due import store_next_due
from mla.services.oversight.dashboard import build_dashboard, parse_days, unacknowledged_since
from mla.services.requests.queries import (
    due_soon_clause,
    overdue_clause,
    unacknowledged_cutoff,
    waiting_clause,
)

HOME = load_reference().home_iso2

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
TODAY = NOW.date()
EN = {"Accept-Language": "en"}
# Each line of a figure table starts with its row header (the country, stage, office or person).
ROW_HEADER = '<tr><th scope="row" class="fw-normal">'
FIGURE = re.compile(r'href="(/requests/\?[^"]*)" data-figure="(\d+)"')
TOTAL = re.compile(r'<p class="text-body-secondary[^"]*">(\d+) requests?</p>')
MakeRequest = Callable[..., AssistanceRequest]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("mla.web.oversight.dashboard", "mla.web.requests.views"):
        monkeypatch.setattr(f"{module}.now_utc", lambda: NOW)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def add_clock(db: Session, item: AssistanceRequest, due_in: int, state: ClockState = ClockState.RUNNING,
              paused_in: int | None = None, stopped: bool = False) -> Clock:
    clock = Clock(request_id=item.id, kind=ClockKind.EXECUTION_EXPECTED, sequence=1, state=state,
                  counting=Counting.CALENDAR_DAYS, calendar_iso2="TJ", started_on=days(-60),
                  due_on=days(due_in), paused_on=days(paused_in) if paused_in is not None else None,
                  stopped_on=days(-1) if stopped else None, paused_days=0, revision=0)
    db.add(clock)
    db.flush()
    store_next_due(db, item)  # what the clocks service does after every change of a clock
    db.commit()
    return clock


@pytest.fixture
def cases(db_session: Session, make_request: MakeRequest, make_user: Callable[..., User],
          office: Office) -> dict[str, AssistanceRequest]:
    """One request per rule; names say what each one is."""
    other = Office(code="OTH", name="Other office")
    db_session.add(other)
    db_session.commit()
    drafter = make_user(Role.DRAFTER)
    made = {
        "late_deadline": make_request(stage=Stage.SENT, country="KZ", deadline_on=days(-1),
                                      assignee_id=drafter.id, transmitted_on=days(-2)),
        "late_clock": make_request(stage=Stage.IN_EXECUTION, direction=Direction.INCOMING, country="RU"),
        "closed_late": make_request(stage=Stage.CLOSED, country="KZ", deadline_on=days(-10)),
        "refused_late": make_request(stage=Stage.REFUSED, country="KZ", deadline_on=days(-10)),
        "soon_deadline": make_request(stage=Stage.DRAFT, country="UZ", deadline_on=days(3),
                                      assignee_id=drafter.id),
        "soon_clock": make_request(stage=Stage.ACKNOWLEDGED, country="UZ", office=other),
        "later": make_request(stage=Stage.DRAFT, country="UZ", deadline_on=days(8)),
        "paused_in_time": make_request(stage=Stage.ADDITIONAL_INFO_REQUESTED, direction=Direction.INCOMING,
                                       country="AF"),
        "paused_late": make_request(stage=Stage.ADDITIONAL_INFO_REQUESTED, country="AF", office=other),
        "old_enquiry": make_request(stage=Stage.SENT, country="TR", transmitted_on=days(-3)),
        "police_sent": make_request(stage=Stage.SENT, kind=RequestKind.POLICE, country="UZ",
                                    transmitted_on=days(-30)),
    }
    add_clock(db_session, made["late_clock"], -3)
    add_clock(db_session, made["closed_late"], -5, ClockState.MISSED)
    add_clock(db_session, made["soon_clock"], 7)
    add_clock(db_session, made["paused_in_time"], -2, ClockState.PAUSED, paused_in=-5)
    add_clock(db_session, made["paused_late"], -10, ClockState.PAUSED, paused_in=-4)
    add_clock(db_session, made["old_enquiry"], -20, ClockState.MISSED, stopped=True)
    add_clock(db_session, made["old_enquiry"], 20)
    return made


def names(db: Session, cases: dict[str, AssistanceRequest], clause: object) -> set[str]:
    ids = set(db.scalars(select(AssistanceRequest.id).where(clause)))
    return {name for name, item in cases.items() if item.id in ids}


def test_overdue_and_due_soon_follow_deadlines_and_open_clocks(
    db_session: Session, cases: dict[str, AssistanceRequest],
) -> None:
    assert names(db_session, cases, overdue_clause(TODAY)) == {"late_deadline", "late_clock", "paused_late"}
    assert names(db_session, cases, due_soon_clause(TODAY)) == {"soon_deadline", "soon_clock"}
    # the day the deadline passes, due soon becomes overdue; never both
    assert "soon_deadline" in names(db_session, cases, overdue_clause(days(4)))
    assert "soon_deadline" not in names(db_session, cases, due_soon_clause(days(4)))


def test_waiting_on_us_and_on_the_partner_split_the_open_requests(
    db_session: Session, cases: dict[str, AssistanceRequest],
) -> None:
    partner = names(db_session, cases, waiting_clause(on_partner=True))
    us = names(db_session, cases, waiting_clause(on_partner=False))
    assert partner == {"late_deadline", "soon_clock", "paused_in_time", "old_enquiry", "police_sent"}
    # an incoming request in execution, an outgoing one asked for more information: our move
    assert us == {"late_clock", "soon_deadline", "later", "paused_late"}
    assert not {"closed_late", "refused_late"} & (us | partner)


def test_the_dashboard_figures(db_session: Session, cases: dict[str, AssistanceRequest],
                               make_user: Callable[..., User]) -> None:
    board = build_dashboard(db_session, make_user(Role.MANAGER), TODAY, home_iso2=HOME)
    assert (board.overdue, board.due_soon) == (3, 2)
    assert (board.open, board.waits_on_us, board.waits_on_partner) == (9, 4, 5)
    by_country = {f.key: (f.overdue, f.due_soon) for f in board.breakdowns["country"]}
    assert by_country == {"KZ": (1, 0), "RU": (1, 0), "AF": (1, 0), "UZ": (0, 2)}
    by_stage = {f.key: (f.overdue, f.due_soon) for f in board.breakdowns["stage"]}
    assert by_stage["additional_info_requested"] == (1, 0) and by_stage["acknowledged"] == (0, 1)
    assignee = cases["late_deadline"].assignee_id
    by_assignee = {f.key: (f.overdue, f.due_soon) for f in board.breakdowns["assignee"]}
    assert by_assignee == {str(assignee): (1, 1), None: (2, 1)}
    assert board.people[assignee] == "Test drafter"
    assert {code for code, _name in board.offices.values()} == {"TST", "OTH"}
    assert board.unacknowledged == 1  # the police request sent 30 days ago; the others are recent
    assert [old.item.id for old in board.oldest][:1] == [cases["late_deadline"].id]


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2026, 11, 22), date(2026, 3, 25),
                                   date(2026, 3, 22), date(2026, 1, 2)])
@pytest.mark.parametrize("n", [1, 2, 5, 10])
def test_the_acknowledgement_cutoff_counts_working_days_on_tajikistans_calendar(
    db_session: Session, today: date, n: int,
) -> None:
    calendar = calendar_for(db_session, "TJ")
    cutoff = unacknowledged_cutoff(calendar, today, n)
    for back in range(0, 40):
        sent = today - timedelta(days=back)
        assert (sent < cutoff) is (calendar.working_days_between(sent, today) > n), (today, n, sent)


def test_no_acknowledgement_after_n_working_days(db_session: Session, make_request: MakeRequest,
                                                 make_user: Callable[..., User]) -> None:
    manager = make_user(Role.MANAGER)
    cutoff = unacknowledged_since(db_session, TODAY, 10, home_iso2=HOME)
    assert cutoff == date(2026, 11, 9)  # ten working days before Monday 23 November: Monday the 9th
    make_request(stage=Stage.SENT, transmitted_on=date(2026, 11, 6))
    make_request(stage=Stage.SENT, transmitted_on=date(2026, 11, 9))  # exactly ten: not yet
    make_request(stage=Stage.SENT, transmitted_on=date(2026, 11, 2), acknowledged_on=date(2026, 11, 5))
    make_request(stage=Stage.ADDITIONAL_INFO_REQUESTED, transmitted_on=date(2026, 10, 1))  # partner answered
    make_request(stage=Stage.REGISTERED, direction=Direction.INCOMING, received_on=date(2026, 10, 1))
    assert build_dashboard(db_session, manager, TODAY, home_iso2=HOME).unacknowledged == 1
    assert build_dashboard(db_session, manager, TODAY, home_iso2=HOME,
                           unacknowledged_days=5).unacknowledged == 2


def figures(page: str) -> list[tuple[str, int]]:
    return [(html.unescape(url), int(value)) for url, value in FIGURE.findall(page)]


def list_total(client: FlaskClient, url: str) -> int:
    page = client.get(url, headers=EN)
    assert page.status_code == 200, url
    found = TOTAL.search(page.get_data(as_text=True))
    assert found, url
    return int(found.group(1))


def test_every_figure_links_to_a_list_of_exactly_that_many_requests(
    client: FlaskClient, login_as: Callable[..., User], cases: dict[str, AssistanceRequest],
) -> None:
    login_as(Role.MANAGER)
    page = client.get("/dashboard?unacknowledged=5", headers=EN).get_data(as_text=True)
    links = figures(page)
    assert len(links) > 20
    assert ("/requests/?overdue=1", 3) in links and ("/requests/?assignee=none&overdue=1", 2) in links
    assert any(url.startswith("/requests/?office=OTH") for url, _value in links)
    for url, value in links:
        assert list_total(client, url) == value, url


def test_a_drafter_sees_her_own_offices_figures(
    client: FlaskClient, login_as: Callable[..., User], cases: dict[str, AssistanceRequest],
    db_session: Session,
) -> None:
    drafter = login_as(Role.DRAFTER)
    board = build_dashboard(db_session, drafter, TODAY, home_iso2=HOME)
    assert (board.overdue, board.due_soon) == (2, 1)  # paused_late and soon_clock are another office's
    assert {code for code, _name in board.offices.values()} == {"TST"}
    page = client.get("/dashboard", headers=EN).get_data(as_text=True)
    assert "Other office" not in page
    for url, value in figures(page):
        assert list_total(client, url) == value, url


@pytest.mark.parametrize("role", [Role.TRANSLATOR, Role.ADMIN])
def test_translators_and_admins_are_refused(client: FlaskClient, login_as: Callable[..., User],
                                            role: Role) -> None:
    login_as(role)
    assert client.get("/dashboard").status_code == 403


@pytest.mark.parametrize("raw", ["abc", "999999", "0", "-3", "1e3", "١٠", "10.5", ""])
def test_a_bad_number_of_working_days_gives_the_default_and_a_message(
    client: FlaskClient, login_as: Callable[..., User], raw: str,
) -> None:
    login_as(Role.MANAGER)
    page = client.get("/dashboard", query_string={"unacknowledged": raw}, headers=EN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "must be a whole number from 1 to 365; showing 10" in text
    assert "no acknowledgement after 10 working days" in text


def test_parse_days() -> None:
    assert [parse_days(raw) for raw in ("1", "365", " 10 ", "366", "0", "abc", None)] == [
        1, 365, 10, None, None, None, None]


def test_unknown_list_filters_are_ignored_never_an_error(
    client: FlaskClient, login_as: Callable[..., User], cases: dict[str, AssistanceRequest],
) -> None:
    login_as(Role.MANAGER)
    everything = list_total(client, "/requests/")
    for query in ("unacknowledged=abc", "unacknowledged=999999", "waiting=nobody", "due_soon=yes",
                  "open=maybe", "assignee=nobody", "assignee=99999999999999", "stage=nowhere",
                  "country=%00%00"):
        assert list_total(client, f"/requests/?{query}") == everything, query
    assert list_total(client, "/requests/?office=" + "X" * 500) == 0
    assert list_total(client, "/requests/?overdue=1&due_soon=1") == 0  # exclusive by definition


def test_the_list_filters_the_dashboard_links_to(
    client: FlaskClient, login_as: Callable[..., User], cases: dict[str, AssistanceRequest],
) -> None:
    login_as(Role.MANAGER)
    assert list_total(client, "/requests/?open=1") == 9
    assert list_total(client, "/requests/?waiting=partner") == 5
    assert list_total(client, "/requests/?assignee=none&open=1") == 7
    page = client.get("/requests/?unacknowledged=10", headers=EN).get_data(as_text=True)
    assert cases["police_sent"].reference in page and cases["old_enquiry"].reference not in page


def test_the_demo_manager_sees_a_backlog(db_session: Session, make_user: Callable[..., User]) -> None:
    seed_demo(db_session, now=NOW)
    manager = db_session.scalar(select(User).where(User.email == "manager@demo.mla.tj"))
    board = build_dashboard(db_session, manager, TODAY, home_iso2=HOME)
    assert board.overdue >= 5 and board.due_soon >= 2
    assert board.waits_on_us and board.waits_on_partner and board.unacknowledged
    assert len({f.key for f in board.breakdowns["country"] if f.overdue}) >= 3
    drafter = db_session.scalar(select(User).where(User.email == "drafter@demo.mla.tj"))
    assert 0 < build_dashboard(db_session, drafter, TODAY, home_iso2=HOME).overdue < board.overdue


@pytest.mark.parametrize(("role", "shown"),
                         [(Role.MANAGER, True), (Role.DRAFTER, True), (Role.TRANSLATOR, False)])
def test_the_home_page_and_the_menu_lead_to_the_dashboard(client: FlaskClient, login_as: Callable[..., User],
                                                          role: Role, shown: bool) -> None:
    login_as(role)
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert ('data-testid="dashboard-link"' in home) is shown
    assert ('href="/dashboard"' in home) is shown


def test_a_long_breakdown_shows_the_ten_most_overdue_and_a_link_to_all(
    client: FlaskClient, login_as: Callable[..., User], make_user: Callable[..., User],
    make_request: MakeRequest, db_session: Session,
) -> None:
    """On a full register the assignee table has a row per person (175 in bench/): the page shows the ten
    with the most overdue and links to all of them; the totals still count everyone."""
    login_as(Role.MANAGER)
    people = [make_user(Role.DRAFTER) for _ in range(17)]
    for n, person in enumerate(people):
        person.full_name = f"Person {n:02d}"
        for _ in range(1 + n // 4):  # the later people have more overdue requests
            make_request(stage=Stage.SENT, deadline_on=days(-1), assignee_id=person.id)
    overdue = sum(1 + n // 4 for n in range(17))

    page = client.get("/dashboard?unacknowledged=5", headers=EN).get_data(as_text=True)
    by_assignee = page.split('id="by-assignee"')[1].split("</section>")[0]
    assert by_assignee.count(ROW_HEADER) == 10
    assert "Person 16" in by_assignee and "Person 00" not in by_assignee
    assert f'data-figure="{overdue}"' in by_assignee  # the total row
    assert "Show all (17)" in by_assignee
    assert 'href="/dashboard?unacknowledged=5&amp;full=assignee#by-assignee"' in by_assignee

    page = client.get("/dashboard?unacknowledged=5&full=assignee", headers=EN).get_data(as_text=True)
    by_assignee = page.split('id="by-assignee"')[1].split("</section>")[0]
    assert by_assignee.count(ROW_HEADER) == 17 and "Person 00" in by_assignee
    assert "Show fewer" in by_assignee and "Show all" not in by_assignee
    by_country = page.split('id="by-country"')[1].split("</section>")[0]
    assert "Show all" not in by_country  # one row: nothing to hide

    for bad in ("nothing", "country", "<script>", "x" * 3000):
        response = client.get("/dashboard", query_string={"full": bad}, headers=EN)
        assert response.status_code == 200
        assert "Show all (17)" in response.get_data(as_text=True)


def test_russian_dates_are_not_followed_by_a_second_full_stop(
    client: FlaskClient, login_as: Callable[..., User], cases: dict[str, AssistanceRequest],
) -> None:
    """A medium Russian date ends with «г.»: the sentences that end on one take no full stop of their own."""
    login_as(Role.MANAGER)
    for path in ("/dashboard?lang=ru", "/statistics/?lang=ru"):
        text = client.get(path).get_data(as_text=True)
        assert "2026\u202fг." in text, path
        assert "г.." not in text, path
