"""The life of one generated request for bench/generate.py: a random walk through its real stage machine
(mla/domain/workflow.py) from its creation day until it closes or the walk reaches today, and the clocks that
the clock rules (mla/domain/deadlines.py, lengths from clock_rules.toml) start, meet and cancel on the way."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from mla.domain.clock_settings import clock_settings
from mla.domain.deadlines import ENDED, rule_for, rules_for
from mla.domain.enums import ClockKind, ClockState, Counting, Direction, RequestKind, Stage, Urgency
from mla.domain.workflow import Move, machine_for, waits_on_partner

# How likely each move is beside the others open from the same stage (1 when not named), and its mean delay
# in days: side exits and detours are rarer than the main line, executions take months.
WEIGHTS = {
    "withdraw": 0.03, "record_withdrawal": 0.03, "record_refusal": 0.07, "record_decline": 0.1,
    "decline": 0.1,
    "return_for_correction": 1.3, "record_info_request": 1.4, "request_additional_info": 1.0,
    "record_conditions": 0.4, "record_postponement": 0.2, "postpone": 0.08, "record_cannot_keep_confidential":
    0.03, "open_consultation": 0.2, "convert_to_mla": 0.15, "record_partial_execution": 0.8,
    "record_partial_answer": 0.4, "send_partial_answer": 0.4, "send_to_translation": 3.0,
}
DELAYS = {
    "transmit": 12, "record_acknowledgement": 18, "send_acknowledgement": 6, "record_execution": 110,
    "record_execution_start": 35, "certify_evidence": 70, "send_answer": 25, "record_answer": 45,
    "close": 14, "approve": 4, "submit": 6, "record_info_request": 40, "send_additional_info": 20,
}
STALL = 0.02  # chance, at each step, that a request stops moving (the backlog of forgotten requests)


@dataclass
class ClockRow:
    kind: ClockKind
    sequence: int
    started_on: date
    due_on: date
    calendar_iso2: str
    counting: Counting
    state: ClockState = ClockState.RUNNING
    stopped_on: date | None = None


@dataclass
class History:
    """The stage changes (move, from, to, day), the final stage, the dates the request carries, its clocks."""

    direction: Direction
    kind: RequestKind
    country: str
    urgency: Urgency
    created_on: date
    deadline_on: date | None
    changes: list[tuple[str, Stage | None, Stage, date]] = field(default_factory=list)
    dates: dict[str, date] = field(default_factory=dict)
    clocks: list[ClockRow] = field(default_factory=list)
    refused: bool = False

    @property
    def stage(self) -> Stage:
        return self.changes[-1][2]


def _length(history: History, kind: ClockKind, sequence: int) -> tuple[int, Counting]:
    machine = machine_for(history.direction, history.kind).key
    setting = clock_settings().setting_for(machine, kind, history.country, history.urgency)
    days = setting.days[min(sequence, len(setting.days)) - 1]
    if setting.counting == Counting.WORKING_DAYS:
        return days * 7 // 5, setting.counting
    return days, setting.counting


def _start(history: History, kind: ClockKind, on: date, home: str, due: date | None = None) -> None:
    rule = rule_for(history.direction, history.kind, kind)
    sequence = 1 + sum(1 for c in history.clocks if c.kind == kind)
    counting = Counting.CALENDAR_DAYS
    if due is None:
        days, counting = _length(history, kind, sequence)
        due = on + timedelta(days=days)
    calendar = history.country if rule.side == "partner" else home
    history.clocks.append(ClockRow(kind, sequence, on, due, calendar, counting))


def _apply_clocks(history: History, target: Stage, on: date, home: str) -> None:
    """What the clock rules do on a move to `target`: meet, cancel, restart a status enquiry, start."""
    waiting = waits_on_partner(history.direction, history.kind, target)
    for clock in history.clocks:
        if clock.state != ClockState.RUNNING:
            continue
        rule = rule_for(history.direction, history.kind, clock.kind)
        if rule.is_series and waiting and target not in ENDED:  # news: the same enquiry counts again
            clock.sequence, clock.started_on = 1, on
            clock.due_on = on + timedelta(days=_length(history, clock.kind, 1)[0])
        elif target in rule.met_at or rule.is_series:
            clock.state, clock.stopped_on = ClockState.MET, on
        elif target in ENDED:
            clock.state, clock.stopped_on = ClockState.CANCELLED, on
    running = {c.kind for c in history.clocks if c.state == ClockState.RUNNING}
    for rule in rules_for(history.direction, history.kind):
        starts = target in rule.starts_at or (rule.is_series and waiting)
        if starts and rule.kind not in running and target not in ENDED:
            _start(history, rule.kind, on, home)


def _pick(rng: random.Random, moves: tuple[Move, ...]) -> Move:
    return rng.choices(moves, weights=[WEIGHTS.get(move.name, 1.0) for move in moves])[0]


def _record(history: History, move: Move, on: date) -> None:
    names = {"transmit": "transmitted_on", "record_acknowledgement": "acknowledged_on",
             "send_acknowledgement": "acknowledged_on", "register": "received_on"}
    if move.name in names:
        history.dates.setdefault(names[move.name], on)
    if move.target == Stage.CLOSED:
        history.dates["closed_on"] = on
    if move.target == Stage.REFUSED:
        history.refused = True


def walk(rng: random.Random, history: History, today: date, home: str) -> History:
    """Move the request from its initial stage, one move at a time, until it ends, stalls or reaches today."""
    machine = machine_for(history.direction, history.kind)
    on, stage = history.created_on, machine.initial
    history.changes.append(("create", None, stage, on))
    if history.deadline_on:
        _start(history, ClockKind.REQUESTER_DEADLINE, on, home, due=history.deadline_on)
    _apply_clocks(history, stage, on, home)
    while machine.moves_from(stage) and rng.random() > STALL:
        move = _pick(rng, machine.moves_from(stage))
        on = on + timedelta(days=1 + int(rng.expovariate(1 / DELAYS.get(move.name, 9))))
        if on > today:
            break
        history.changes.append((move.name, stage, move.target, on))
        _record(history, move, on)
        _apply_clocks(history, move.target, on, home)
        stage = move.target
    for clock in history.clocks:
        if clock.state == ClockState.RUNNING and clock.due_on < today:
            clock.state = ClockState.MISSED  # what the daily sweep (mark_missed_clocks) would have recorded
    return history
