"""The requester's own deadline as a clock: when it starts, follows the request's fields, reopens and ends
(domain.deadlines.follow_requester_deadline, no app needed)."""
from datetime import date

import pytest

from mla.domain.deadlines import DeadlineAction, DeadlineClock, DeadlineStep, follow_requester_deadline
from mla.domain.enums import ClockState, Stage

TODAY = date(2026, 11, 20)
DUE = date(2026, 12, 1)
LATER = date(2026, 12, 15)
PAST = date(2026, 11, 10)
RUNNING = DeadlineClock("open", ClockState.RUNNING, DUE, "Trial", is_open=True)
MISSED = DeadlineClock("open", ClockState.MISSED, PAST, "Trial", is_open=True)
MET = DeadlineClock("met", ClockState.MET, DUE, "Trial", is_open=False)
CANCELLED = DeadlineClock("gone", ClockState.CANCELLED, DUE, "Trial", is_open=False)
START, CHANGE, CANCEL = DeadlineStep.START, DeadlineStep.CHANGE, DeadlineStep.CANCEL


@pytest.mark.parametrize(("stage", "deadline_on", "reason", "clocks", "expected"), [
    pytest.param(Stage.DRAFT, None, "", [], None, id="no deadline, no clock"),
    pytest.param(Stage.DRAFT, DUE, " Trial ", [],
                 DeadlineAction(START, None, DUE, "Trial", sequence=1, started_on=TODAY), id="set: starts"),
    pytest.param(Stage.DRAFT, PAST, "Trial", [],
                 DeadlineAction(START, None, PAST, "Trial", sequence=1, started_on=PAST),
                 id="set in the past: starts on its date"),
    pytest.param(Stage.SENT, DUE, "Trial", [CANCELLED],
                 DeadlineAction(START, None, DUE, "Trial", sequence=2, started_on=TODAY),
                 id="set again after a cancellation: the next of its kind"),
    pytest.param(Stage.SENT, DUE, "Trial", [MET], None, id="once met, never again"),
    pytest.param(Stage.SENT, DUE, "Trial", [RUNNING], None, id="unchanged"),
    pytest.param(Stage.SENT, LATER, "Trial", [RUNNING],
                 DeadlineAction(CHANGE, "open", LATER, "Trial"), id="moved"),
    pytest.param(Stage.SENT, DUE, "Hearing", [RUNNING],
                 DeadlineAction(CHANGE, "open", DUE, "Hearing"), id="new reason"),
    pytest.param(Stage.SENT, LATER, "Trial", [MISSED],
                 DeadlineAction(CHANGE, "open", LATER, "Trial", is_reopened=True),
                 id="a missed one moved to the future runs again"),
    pytest.param(Stage.SENT, date(2026, 11, 15), "Trial", [MISSED],
                 DeadlineAction(CHANGE, "open", date(2026, 11, 15), "Trial"),
                 id="a missed one moved but still past stays missed"),
    pytest.param(Stage.SENT, None, "", [RUNNING], DeadlineAction(CANCEL, "open", DUE), id="removed"),
    pytest.param(Stage.WITHDRAWN, DUE, "Trial", [RUNNING], DeadlineAction(CANCEL, "open", DUE),
                 id="request ended"),
    pytest.param(Stage.CLOSED, DUE, "Trial", [], None, id="an ended request starts none"),
])
def test_the_requester_deadline_follows_the_request(stage, deadline_on, reason, clocks, expected):
    assert follow_requester_deadline(stage, deadline_on, reason, clocks, TODAY) == expected
