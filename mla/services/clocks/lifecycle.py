"""Clocks of requests: applying the rules of mla/domain/deadlines.py when a request is created,
edited or moved (start, pause, resume, meet, cancel), following the requester's own deadline, and
recording clocks whose due date passed. A clock is open while `stopped_on` is empty."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from sqlalchemy import CompoundSelect, and_, false, or_, select, union
from sqlalchemy.orm import Session

from mla.domain.access import may_see
from mla.domain.calendar import WorkingCalendar
from mla.domain.clock_settings import ClockSetting, clock_settings
from mla.domain.deadlines import (
    ENDED,
    Action,
    DeadlineClock,
    DeadlineStep,
    OpenClock,
    Side,
    Verb,
    days_left,
    follow_requester_deadline,
    next_enquiry_days,
    pause_shift,
    plan,
    rule_for,
)
from mla.domain.enums import ClockKind, ClockState, Counting, Role
from mla.domain.workflow import machine_for
from mla.models import AssistanceRequest, Clock, StageChange, User
from mla.services.audit import record_event
from mla.services.clocks.calendars import calendar_for, load_calendars
from mla.services.clocks.next_due import store_next_due, store_next_due_of

MOVE_DATES = ("transmitted_on", "acknowledged_on", "received_on", "returned_on", "answered_on")


def clock_name(clock: Clock) -> str:
    return f"{clock.kind.value}#{clock.sequence}"


@dataclass
class _Run:
    """One application of the rules to one request: its calendars, the day things happen, a log."""

    session: Session
    item: AssistanceRequest
    today: date
    event_on: date
    home: str
    calendars: dict[str, WorkingCalendar] = field(default_factory=dict)
    log: dict[str, str] = field(default_factory=dict)

    def calendar(self, iso2: str) -> WorkingCalendar:
        if iso2 not in self.calendars:
            self.calendars[iso2] = calendar_for(self.session, iso2)
        return self.calendars[iso2]

    def note(self, clock: Clock, what: str) -> None:
        self.log[clock_name(clock)] = what


def _event_on(change: StageChange | None, item: AssistanceRequest, today: date) -> date:
    """The day a move happened: the date it recorded (transmission, acknowledgement, receipt,
    return), else today; on creation, the date of receipt of an incoming request."""
    recorded = [change.details.get(name) for name in MOVE_DATES] if change else [item.received_on]
    day = next((value for value in recorded if value), None)
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return min(day, today) if isinstance(day, date) else today


def _setting(item: AssistanceRequest, kind: ClockKind) -> ClockSetting | None:
    return clock_settings().setting_for(machine_for(item.direction, item.kind).key, kind, item.country_iso2,
                                        item.urgency)


def _start(run: _Run, kind: ClockKind, sequence: int = 1, started_on: date | None = None,
           days: int | None = None) -> Clock | None:
    """Start clock `kind` (no. `sequence` of its series) on `started_on`, due after the days its setting
    gives, or after `days` when told."""
    item = run.item
    rule, setting = rule_for(item.direction, item.kind, kind), _setting(item, kind)
    if rule is None or setting is None or sequence > len(setting.days):
        return None
    iso2 = item.country_iso2 if rule.side == Side.PARTNER else run.home
    started_on = started_on or run.event_on
    length = setting.days[sequence - 1] if days is None else days
    due = run.calendar(iso2).add(started_on, length, setting.counting)
    clock = Clock(request_id=item.id, kind=kind, sequence=sequence, state=ClockState.RUNNING,
                  counting=setting.counting, calendar_iso2=iso2, started_on=started_on, due_on=due,
                  paused_days=0, revision=0)
    run.session.add(clock)
    run.note(clock, f"started, due {due.isoformat()}")
    return clock


def _restart(run: _Run, clock: Clock) -> None:
    """News from or to the partner: the open status enquiry counts again from it, as the first of its
    series."""
    setting = _setting(run.item, clock.kind)
    if setting is None:
        return
    clock.sequence = 1
    clock.started_on = run.event_on
    clock.state = ClockState.RUNNING
    clock.due_on = run.calendar(clock.calendar_iso2).add(run.event_on, setting.days[0], setting.counting)


def _end_pause(run: _Run, clock: Clock, on: date) -> None:
    if clock.paused_on is not None:
        calendar = run.calendar(clock.calendar_iso2)
        clock.due_on, paused = pause_shift(calendar, clock.counting, clock.due_on, clock.paused_on, on)
        clock.paused_days += paused
        clock.paused_on = None


def _act(run: _Run, action: Action) -> None:
    if action.verb == Verb.START:
        _start(run, action.kind)
        return
    clock = cast(Clock, action.key)
    on = max(run.event_on, clock.started_on)
    clock.revision += 1
    if action.verb == Verb.RESTART:
        _restart(run, clock)
    elif action.verb == Verb.PAUSE:
        clock.state = ClockState.PAUSED
        clock.paused_on = on
    elif action.verb == Verb.RESUME:
        _end_pause(run, clock, on)
        clock.state = ClockState.RUNNING
    else:
        _end_pause(run, clock, on)
        clock.state = ClockState.MET if action.verb == Verb.MEET else ClockState.CANCELLED
        clock.stopped_on = on
    run.note(clock, f"{action.verb.value}, due {clock.due_on.isoformat()}")


def _follow_requester_deadline(run: _Run, clocks: Iterable[Clock]) -> None:
    item = run.item
    kind = ClockKind.REQUESTER_DEADLINE
    mine = [DeadlineClock(c, c.state, c.due_on, c.reason, c.stopped_on is None)
            for c in clocks if c.kind == kind]
    action = follow_requester_deadline(item.stage, item.deadline_on, item.deadline_reason, mine, run.today)
    if action is None:
        return
    if action.step == DeadlineStep.CANCEL:
        _act(run, Action(Verb.CANCEL, kind, action.key))
    elif action.step == DeadlineStep.CHANGE:
        current = cast(Clock, action.key)
        current.due_on = action.due_on
        current.reason = action.reason
        current.revision += 1
        if action.is_reopened:
            current.state = ClockState.RUNNING
        run.note(current, f"changed, due {current.due_on.isoformat()}")
    elif action.started_on is not None:
        rule = rule_for(item.direction, item.kind, kind)
        iso2 = item.country_iso2 if rule is not None and rule.side == Side.PARTNER else run.home
        clock = Clock(request_id=item.id, kind=kind, sequence=action.sequence, state=ClockState.RUNNING,
                      counting=Counting.CALENDAR_DAYS, calendar_iso2=iso2, started_on=action.started_on,
                      due_on=action.due_on, reason=action.reason, paused_days=0, revision=0)
        run.session.add(clock)
        run.note(clock, f"started, due {action.due_on.isoformat()}")


def sync_clocks(session: Session, *, actor: User | None, now: datetime, item: AssistanceRequest,
                home_iso2: str, change: StageChange | None = None) -> None:
    """Bring the request's clocks in line with it: after a stage move (`change`) meet, pause,
    resume, cancel and start what the rules say; after creating or editing it, start what its
    stage calls for and follow the requester's deadline. Flushes; the caller commits."""
    session.flush()
    today = calendar_for(session, home_iso2).today(now)
    run = _Run(session, item, today, _event_on(change, item, today), home_iso2)
    clocks = list(session.scalars(select(Clock).where(Clock.request_id == item.id).order_by(Clock.id)))
    open_clocks = [OpenClock(c, c.kind, c.paused_on is not None) for c in clocks if c.stopped_on is None]
    target = change.to_stage if change is not None else item.stage
    for action in plan(item.direction, item.kind, target, open_clocks, frozenset(c.kind for c in clocks),
                       is_move=change is not None):
        _act(run, action)
    _follow_requester_deadline(run, clocks)
    session.flush()
    store_next_due(session, item)
    if run.log:
        record_event(session, actor=actor, now=now, action="request.clocks", object_type="request",
                     object_id=item.id, request_id=item.id, changes=run.log)


def start_execute_by(session: Session, *, actor: User, now: datetime, item: AssistanceRequest,
                     home_iso2: str, due_on: date) -> Clock:
    """Assigning a request gives its assignee a date to execute it by: a clock of its own, due on that
    date and answered for by the assignee. Assigning again replaces the open one. Flushes."""
    today = calendar_for(session, home_iso2).today(now)
    run = _Run(session, item, today, today, home_iso2)
    kind = ClockKind.EXECUTE_BY
    earlier = list(session.scalars(select(Clock).where(Clock.request_id == item.id, Clock.kind == kind)))
    for clock in earlier:
        if clock.stopped_on is None:
            _act(run, Action(Verb.CANCEL, kind, clock))
    clock = Clock(request_id=item.id, kind=kind, sequence=len(earlier) + 1, state=ClockState.RUNNING,
                  counting=Counting.CALENDAR_DAYS, calendar_iso2=home_iso2, started_on=min(today, due_on),
                  due_on=due_on, responsible_id=item.assignee_id, paused_days=0, revision=0)
    session.add(clock)
    run.note(clock, f"started, due {due_on.isoformat()}")
    session.flush()
    store_next_due(session, item)
    record_event(session, actor=actor, now=now, action="request.clocks", object_type="request",
                 object_id=item.id, request_id=item.id, changes=run.log)
    return clock


def _next_in_series(session: Session, clock: Clock, calendars: dict[str, WorkingCalendar],
                    today: date, home_iso2: str) -> Clock | None:
    """After a status enquiry passed without news, the next one of the series, counted from the
    same last news."""
    item = session.get(AssistanceRequest, clock.request_id)
    if item is None or item.stage in ENDED:
        return None
    run = _Run(session, item, today, clock.started_on, home_iso2, calendars)
    return _start(run, clock.kind, clock.sequence + 1, clock.started_on)


def follow_enquiry_sent(session: Session, *, actor: User | None, now: datetime, item: AssistanceRequest,
                        home_iso2: str, sent_on: date) -> Clock | None:
    """A status enquiry went to the partner on `sent_on`: the open one of the series is met that day, and
    the next one starts from it (None after the last of the series, or when none was open)."""
    run = _Run(session, item, calendar_for(session, home_iso2).today(now), sent_on, home_iso2)
    current = open_enquiry(session, item)
    setting = _setting(item, ClockKind.STATUS_ENQUIRY)
    if current is None or setting is None:
        return None
    current.state = ClockState.MET
    current.stopped_on = sent_on
    current.revision += 1
    run.note(current, f"met, due {current.due_on.isoformat()}")
    days = next_enquiry_days(setting.days, current.sequence)
    following = None if days is None else _start(run, current.kind, current.sequence + 1, sent_on, days)
    session.flush()
    store_next_due(session, item)
    record_event(session, actor=actor, now=now, action="request.clocks", object_type="request",
                 object_id=item.id, request_id=item.id, changes=run.log)
    return following


def open_enquiry(session: Session, item: AssistanceRequest) -> Clock | None:
    """The status enquiry of the request now running, if any."""
    return session.scalar(select(Clock).where(Clock.request_id == item.id, Clock.stopped_on.is_(None),
                                              Clock.kind == ClockKind.STATUS_ENQUIRY))


def mark_missed_clocks(session: Session, *, now: datetime, home_iso2: str) -> list[Clock]:
    """Record every running clock whose due date has passed in its own country as missed. It stays
    open until the stage that satisfies it is reached (then met, late), except a status enquiry:
    that one closes and the next of its series starts. Safe to run any number of times."""
    calendars = load_calendars(session)
    todays = {iso2: calendar.today(now) for iso2, calendar in calendars.items()}
    passed = or_(false(), *(and_(Clock.calendar_iso2 == iso2, Clock.due_on < today)
                            for iso2, today in todays.items()))
    missed: list[Clock] = []
    queue = list(session.scalars(select(Clock).where(Clock.state == ClockState.RUNNING, passed)
                                 .order_by(Clock.id)))
    while queue:
        clock = queue.pop(0)
        # the due date stays, so the revision (the calendar SEQUENCE, part of reminder keys) does too
        clock.state = ClockState.MISSED
        missed.append(clock)
        if clock.kind == ClockKind.STATUS_ENQUIRY:
            clock.stopped_on = todays[clock.calendar_iso2]
            following = _next_in_series(session, clock, calendars, clock.stopped_on, home_iso2)
            if following is not None and following.due_on < todays[following.calendar_iso2]:
                queue.append(following)
    session.flush()
    store_next_due_of(session, (c.request_id for c in missed))
    for request_id in sorted({c.request_id for c in missed}):
        changes = {clock_name(c): f"missed, due {c.due_on.isoformat()}" for c in missed
                   if c.request_id == request_id}
        record_event(session, actor=None, now=now, action="request.clocks.missed", object_type="request",
                     object_id=request_id, request_id=request_id, changes=changes)
    return missed


@dataclass(frozen=True)
class ClockLine:
    """A clock as a page shows it: `today` is the date in the clock's country, `days_left` counts
    in the clock's own counting (negative: calendar days overdue; None: paused or stopped)."""

    clock: Clock
    item: AssistanceRequest
    today: date
    days_left: int | None

    @property
    def is_open(self) -> bool:
        return self.clock.stopped_on is None

    @property
    def paused_so_far(self) -> int:
        """Calendar days of the pause under way, for "paused since ..."."""
        paused_on = self.clock.paused_on
        return max((self.today - paused_on).days, 0) if paused_on else 0

    @property
    def days_late(self) -> int:
        """For a stopped clock: how many days after its due date it stopped (0 when in time)."""
        stopped = self.clock.stopped_on
        return max((stopped - self.clock.due_on).days, 0) if stopped else 0


def _lines(session: Session, pairs: Iterable[tuple[Clock, AssistanceRequest]],
           now: datetime) -> list[ClockLine]:
    calendars: dict[str, tuple[WorkingCalendar, date]] = {}
    lines = []
    for clock, item in pairs:
        if clock.calendar_iso2 not in calendars:
            calendar = calendar_for(session, clock.calendar_iso2)
            calendars[clock.calendar_iso2] = calendar, calendar.today(now)
        calendar, today = calendars[clock.calendar_iso2]
        counting = clock.stopped_on is None and clock.paused_on is None
        left = days_left(calendar, clock.counting, today, clock.due_on) if counting else None
        lines.append(ClockLine(clock, item, today, left))
    return lines


def clocks_of(session: Session, item: AssistanceRequest, *, now: datetime) -> list[ClockLine]:
    """Every clock of a request: open ones by due date, then stopped ones, latest first."""
    clocks = session.scalars(select(Clock).where(Clock.request_id == item.id))
    ordered = sorted(clocks, key=lambda c: (c.stopped_on is not None, c.due_on, c.id))
    closed = sorted((c for c in ordered if c.stopped_on is not None), key=lambda c: (c.stopped_on, c.id),
                    reverse=True)
    return _lines(session, [(c, item) for c in ordered if c.stopped_on is None] + [(c, item) for c in closed],
                  now)


def responsible_clock_ids(user: User) -> CompoundSelect:
    """The ids of the open clocks `user` answers for: those naming them as responsible; if a clock
    names nobody (or someone no longer active), those of requests assigned to them; and for a desk
    officer, those of requests assigned to nobody active either (the desk transmits requests, chases
    partners and registers incoming ones). Two indexed branches, not one OR over every clock."""
    inactive = select(User.id).where(User.is_active.is_(False))
    nobody_named = or_(Clock.responsible_id.is_(None), Clock.responsible_id.in_(inactive))
    assignees = [AssistanceRequest.assignee_id == user.id]
    if user.role == Role.DESK:
        assignees += [AssistanceRequest.assignee_id.is_(None), AssistanceRequest.assignee_id.in_(inactive)]
    named = select(Clock.id).where(Clock.responsible_id == user.id, Clock.stopped_on.is_(None))
    through_request = (select(Clock.id).join(AssistanceRequest, AssistanceRequest.id == Clock.request_id)
                       .where(or_(*assignees), nobody_named, Clock.stopped_on.is_(None)))
    return union(named, through_request)


def my_deadlines(session: Session, user: User, *, now: datetime) -> list[ClockLine]:
    """The open clocks `user` answers for, on requests they may see, by due date."""
    # two steps: planners mishandle the ids as a subquery joined with the visibility filter
    ids = list(session.scalars(responsible_clock_ids(user)))
    if not ids:
        return []
    rows = session.execute(select(Clock, AssistanceRequest)
                           .join(AssistanceRequest, AssistanceRequest.id == Clock.request_id)
                           .where(Clock.id.in_(ids)))
    pairs = sorted(((clock, item) for clock, item in rows
                    if may_see(user, item)),
                   key=lambda pair: (pair[0].due_on, pair[1].reference, pair[0].id))
    return _lines(session, pairs, now)
