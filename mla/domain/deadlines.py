"""The clock rules: which clocks a stage move starts, pauses, resumes, meets or cancels, on whose
calendar each one counts, and the date arithmetic of due dates and pauses.

Clocks that wait on the partner (acknowledgement, decision, execution expected, status enquiries) count
on the partner country's calendar and pause while the request waits on us (workflow.waits_on_partner
is False), for example after the partner asked for more information; our own targets on incoming
requests count on the home calendar and pause while we wait on the partner. A status enquiry is not
paused: any news (any move) restarts the open one, counted from the news, while the request still waits
on the partner, and meets it when it no longer does (one clock, not one per move); when one passes
without news it is recorded as missed and the next of the series (30/60/90 days) starts; when one is
sent, it is met and the next of the series starts from the day it went (next_enquiry_days).
The requester's own deadline (AssistanceRequest.deadline_on) is a fixed date that never pauses.
How long each clock runs comes from clock_settings (mla/reference/clock_rules.toml).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from mla.domain.calendar import WorkingCalendar
from mla.domain.enums import ClockKind, ClockState, Counting, Direction, RequestKind, Stage
from mla.domain.workflow import machine_for, waits_on_partner

# Once a request reaches one of these stages, clocks it did not meet are cancelled.
ENDED = frozenset({Stage.CLOSED, Stage.WITHDRAWN, Stage.REFUSED, Stage.DECLINED, Stage.CONVERTED_TO_MLA})
# Clocks due on a date someone gave (the requester's deadline, the desk's "execute by" on assigning),
# not counted from a setting, and not moved when a calendar changes.
FIXED_DATE_KINDS = frozenset({ClockKind.REQUESTER_DEADLINE, ClockKind.EXECUTE_BY})
# A clock counts towards "overdue" and "due soon" while it has not stopped; a paused clock only when its
# date had already passed when it was paused (a pause moves the due date on when the clock resumes).
COUNTING_STATES = frozenset({ClockState.RUNNING, ClockState.PAUSED, ClockState.MISSED})


class Side(StrEnum):
    PARTNER = "partner"  # counts on the partner country's calendar
    HOME = "home"  # counts on our calendar (the home country profile)


class Verb(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    MEET = "meet"
    CANCEL = "cancel"
    RESTART = "restart"  # a status enquiry counted again from the news, as the first of its series


@dataclass(frozen=True)
class ClockRule:
    kind: ClockKind
    machine: str
    side: Side
    starts_at: frozenset[Stage]
    met_at: frozenset[Stage]
    pausable: bool = True
    is_series: bool = False  # status enquiries: met by any news, started again while waiting


def _rule(kind: ClockKind, machine: str, side: Side, starts: set[Stage], met: set[Stage],
          **options: bool) -> ClockRule:
    return ClockRule(kind, machine, side, frozenset(starts), frozenset(met), **options)


_S = Stage
_K = ClockKind
_DECIDED = {_S.CONDITIONS_PROPOSED, _S.CONDITIONS_ACCEPTED, _S.POSTPONED, _S.IN_EXECUTION,
            _S.PARTIALLY_EXECUTED, _S.EXECUTED, _S.REFUSED}
RULES: tuple[ClockRule, ...] = (
    _rule(_K.ACKNOWLEDGEMENT_EXPECTED, "outgoing_mla", Side.PARTNER, {_S.SENT},
          {_S.ACKNOWLEDGED, _S.ADDITIONAL_INFO_REQUESTED, *_DECIDED}),
    _rule(_K.DECISION_EXPECTED, "outgoing_mla", Side.PARTNER,
          {_S.ACKNOWLEDGED, _S.ADDITIONAL_INFO_SENT}, _DECIDED),
    _rule(_K.EXECUTION_EXPECTED, "outgoing_mla", Side.PARTNER,
          {_S.IN_EXECUTION, _S.CONDITIONS_ACCEPTED}, {_S.EXECUTED}),
    _rule(_K.STATUS_ENQUIRY, "outgoing_mla", Side.PARTNER,
          set(machine_for(Direction.OUTGOING, RequestKind.MLA).waiting_on_partner), set(),
          pausable=False, is_series=True),
    _rule(_K.REQUESTER_DEADLINE, "outgoing_mla", Side.HOME, set(), {_S.EXECUTED}, pausable=False),
    _rule(_K.EXECUTION_EXPECTED, "outgoing_police", Side.PARTNER, {_S.SENT}, {_S.ANSWERED}),
    _rule(_K.STATUS_ENQUIRY, "outgoing_police", Side.PARTNER,
          set(machine_for(Direction.OUTGOING, RequestKind.POLICE).waiting_on_partner), set(),
          pausable=False, is_series=True),
    _rule(_K.REQUESTER_DEADLINE, "outgoing_police", Side.HOME, set(), {_S.ANSWERED}, pausable=False),
    _rule(_K.OUR_ACKNOWLEDGEMENT, "incoming_mla", Side.HOME, {_S.RECEIVED}, {_S.ACKNOWLEDGED}),
    _rule(_K.OUR_EXECUTION, "incoming_mla", Side.HOME, {_S.REGISTERED}, {_S.RETURNED}),
    _rule(_K.EXECUTE_BY, "incoming_mla", Side.HOME, set(), {_S.EVIDENCE_CERTIFIED, _S.RETURNED},
          pausable=False),
    _rule(_K.REQUESTER_DEADLINE, "incoming_mla", Side.PARTNER, set(), {_S.RETURNED}, pausable=False),
    _rule(_K.OUR_EXECUTION, "incoming_police", Side.HOME, {_S.RECEIVED}, {_S.ANSWERED}),
    _rule(_K.REQUESTER_DEADLINE, "incoming_police", Side.PARTNER, set(), {_S.ANSWERED}, pausable=False),
)


def rules_for(direction: Direction, kind: RequestKind) -> tuple[ClockRule, ...]:
    key = machine_for(direction, kind).key
    return tuple(rule for rule in RULES if rule.machine == key)


def rule_for(direction: Direction, kind: RequestKind, clock_kind: ClockKind) -> ClockRule | None:
    return next((rule for rule in rules_for(direction, kind) if rule.kind == clock_kind), None)


@dataclass(frozen=True)
class OpenClock:
    """What planning needs to know of a clock that is still open (running, paused or missed)."""

    key: object  # the caller's handle on the clock
    kind: ClockKind
    is_paused: bool


@dataclass(frozen=True)
class Action:
    verb: Verb
    kind: ClockKind
    key: object = None  # the open clock acted on; None for START


def _should_pause(rule: ClockRule, direction: Direction, kind: RequestKind, stage: Stage) -> bool:
    partner_owes = waits_on_partner(direction, kind, stage)
    return partner_owes if rule.side == Side.HOME else not partner_owes


def _act_on_open(rule: ClockRule, clock: OpenClock, direction: Direction, kind: RequestKind,
                 target: Stage) -> Action | None:
    if target in rule.met_at:
        return Action(Verb.MEET, clock.kind, clock.key)
    if target in ENDED:
        return Action(Verb.CANCEL, clock.kind, clock.key)
    if rule.is_series:  # any other move is news from, or to, the partner
        return Action(Verb.RESTART if target in rule.starts_at else Verb.MEET, clock.kind, clock.key)
    if not rule.pausable:
        return None
    pause = _should_pause(rule, direction, kind, target)
    if pause != clock.is_paused:
        return Action(Verb.PAUSE if pause else Verb.RESUME, clock.kind, clock.key)
    return None


def plan(direction: Direction, kind: RequestKind, target: Stage, open_clocks: Sequence[OpenClock],
         started: frozenset[ClockKind], *, is_move: bool) -> tuple[Action, ...]:
    """What to do with the clocks when the request arrives at `target`. A move (`is_move`) meets,
    pauses, resumes and cancels open clocks; creating or editing a request only starts what its
    stage calls for. `started` holds the kinds that ever ran on the request: a clock other than a
    status enquiry runs at most once."""
    actions: list[Action] = []
    for rule in rules_for(direction, kind):
        still_open = False
        for clock in (c for c in open_clocks if c.kind == rule.kind):
            action = _act_on_open(rule, clock, direction, kind, target) if is_move else None
            actions += [action] if action else []
            kept = {Verb.PAUSE, Verb.RESUME, Verb.RESTART}
            still_open = still_open or action is None or action.verb in kept
        again = rule.is_series and is_move
        if target in rule.starts_at and not still_open and (again or rule.kind not in started):
            actions.append(Action(Verb.START, rule.kind))
    return tuple(actions)


def next_enquiry_days(days: Sequence[int], sequence: int) -> int | None:
    """Once status enquiry no. `sequence` was sent, the days until the next one is due, counted from the
    day it went: the gap the series sets between the two (30 after 30, 60, 90). None after the last."""
    if sequence >= len(days):
        return None
    return days[sequence] - days[sequence - 1]


class DeadlineStep(StrEnum):
    START = "start"
    CHANGE = "change"
    CANCEL = "cancel"


@dataclass(frozen=True)
class DeadlineClock:
    """What the requester's deadline needs to know of one of its clocks, open or stopped."""

    key: object  # the caller's handle on the clock
    state: ClockState
    due_on: date
    reason: str
    is_open: bool


@dataclass(frozen=True)
class DeadlineAction:
    """What to do with the requester's deadline clock: START a new one (numbered `sequence`, started
    on `started_on`), CHANGE the open one `key` (reopening it if it was missed but is no longer
    late), or CANCEL it."""

    step: DeadlineStep
    key: object
    due_on: date
    reason: str = ""
    is_reopened: bool = False
    sequence: int = 0
    started_on: date | None = None


def follow_requester_deadline(stage: Stage, deadline_on: date | None, deadline_reason: str | None,
                              clocks: Sequence[DeadlineClock], today: date) -> DeadlineAction | None:
    """The requester's own deadline is a clock of its own that follows the request's fields: it starts
    when a deadline is set (unless one was already met), follows changes of date or reason, and is
    cancelled when the deadline is removed or the request ends."""
    current = next((c for c in clocks if c.is_open), None)
    wanted = deadline_on if stage not in ENDED else None
    reason = (deadline_reason or "").strip()
    if current is not None and wanted is None:
        return DeadlineAction(DeadlineStep.CANCEL, current.key, current.due_on)
    if current is not None and wanted is not None and (current.due_on, current.reason) != (wanted, reason):
        return DeadlineAction(DeadlineStep.CHANGE, current.key, wanted, reason,
                              is_reopened=current.state == ClockState.MISSED and wanted >= today)
    if current is None and wanted and all(c.state != ClockState.MET for c in clocks):
        return DeadlineAction(DeadlineStep.START, None, wanted, reason, sequence=len(clocks) + 1,
                              started_on=min(today, wanted))
    return None


def pause_shift(calendar: WorkingCalendar, counting: Counting, due_on: date, paused_on: date,
                resumed_on: date) -> tuple[date, int]:
    """The due date after a pause from `paused_on` to `resumed_on`, and the pause's length in
    calendar days: the clock keeps what it had left (in its own counting) when it stopped."""
    paused = max((resumed_on - paused_on).days, 0)
    if counting == Counting.WORKING_DAYS:
        left = calendar.working_days_between(paused_on, due_on)
        return calendar.add_working_days(resumed_on, left), paused
    return calendar.next_working_day(due_on + timedelta(days=(resumed_on - paused_on).days)), paused


def days_left(calendar: WorkingCalendar, counting: Counting, today: date, due_on: date) -> int:
    """Days from today to the due date in the clock's counting; for an overdue clock, minus the
    calendar days since the due date (a weekend after it still counts as time lost)."""
    if due_on < today:
        return -(today - due_on).days
    return calendar.between(today, due_on, counting)


@dataclass(frozen=True)
class ClockDates:
    """What of a clock decides a request's next due date."""

    state: ClockState
    due_on: date
    paused_on: date | None
    stopped_on: date | None


def next_due_on(stage: Stage, deadline_on: date | None, clocks: Iterable[ClockDates]) -> date | None:
    """The date by which the open request next owes something: the earlier of its own deadline and
    the due dates of its counting clocks (a paused clock's only if it was already late when paused).
    None once the request has ended. An open request is overdue when this is before today."""
    if stage in ENDED:
        return None
    dates = [deadline_on] if deadline_on is not None else []
    dates += [c.due_on for c in clocks if c.state in COUNTING_STATES and c.stopped_on is None
              and (c.paused_on is None or c.due_on < c.paused_on)]
    return min(dates, default=None)
