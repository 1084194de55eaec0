"""The arithmetic of partner statistics: percentiles, working-day durations, backlog age buckets,
refusal rates, outcomes, and which reporting periods make sense.

Pure: no flask, no database, no clock (today comes in as an argument).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mla.domain.calendar import WorkingCalendar
from mla.domain.enums import Direction, Stage
from mla.domain.errors import N_

# The stage that means "the partner (or we) delivered what was asked", one per stage machine:
# outgoing MLA executed, incoming MLA results returned, police requests answered either way.
EXECUTION_STAGES = frozenset({Stage.EXECUTED, Stage.RETURNED, Stage.ANSWERED})
REFUSAL_STAGES = frozenset({Stage.REFUSED, Stage.DECLINED})

# Outcomes, strongest first: a police request answered and then converted to MLA counts as executed.
OUTCOME_EXECUTED = "executed"
OUTCOME_REFUSED = "refused"
OUTCOME_CONVERTED = "converted"
OUTCOME_WITHDRAWN = "withdrawn"
OUTCOME_PENDING = "pending"
OUTCOME_RANKS: tuple[tuple[str, frozenset[Stage]], ...] = (
    (OUTCOME_EXECUTED, EXECUTION_STAGES),
    (OUTCOME_REFUSED, REFUSAL_STAGES),
    (OUTCOME_CONVERTED, frozenset({Stage.CONVERTED_TO_MLA})),
    (OUTCOME_WITHDRAWN, frozenset({Stage.WITHDRAWN})),
)
# The rank SQL gives each outcome stage (the highest rank a request reached decides its outcome).
STAGE_RANKS = {stage: len(OUTCOME_RANKS) - index
               for index, (_outcome, stages) in enumerate(OUTCOME_RANKS) for stage in stages}
OUTCOME_LABELS = {
    OUTCOME_EXECUTED: N_("Executed or answered"),
    OUTCOME_REFUSED: N_("Refused or declined"),
    OUTCOME_CONVERTED: N_("Converted to an MLA request"),
    OUTCOME_WITHDRAWN: N_("Withdrawn"),
    OUTCOME_PENDING: N_("Pending"),
}

FIRST_YEAR = 2000
MAX_SPAN_YEARS = 20
DEFAULT_SPAN_DAYS = 365


def percentile(values: Iterable[int], share: float) -> int | None:
    """The nearest-rank percentile: sort the n values and take the ceil(share * n)-th (1-based),
    at least the first. No interpolation, so the answer is always one of the observed values
    (a whole number of working days). None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share}")
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def median(values: Iterable[int]) -> int | None:
    """The 50th nearest-rank percentile: for an even count, the lower of the two middle values."""
    return percentile(values, 0.5)


def p90(values: Iterable[int]) -> int | None:
    """The 90th nearest-rank percentile."""
    return percentile(values, 0.9)


@dataclass(frozen=True)
class DurationSummary:
    """How many durations were measured, and their median and 90th percentile in working days."""

    count: int = 0
    median: int | None = None
    p90: int | None = None


def summarise(values: Sequence[int]) -> DurationSummary:
    return DurationSummary(len(values), median(values), p90(values))


def refusal_rate(refused: int, total: int) -> float | None:
    """Refused as a share of `total` (0..1); None when nothing was counted."""
    if total <= 0:
        return None
    return refused / total


def outcome_for_rank(rank: int | None) -> str:
    """The outcome of a request from the highest STAGE_RANKS rank of the stages it reached
    (0 or None: none of them)."""
    if not rank or rank <= 0:
        return OUTCOME_PENDING
    return OUTCOME_RANKS[len(OUTCOME_RANKS) - rank][0]


def calendar_country(direction: Direction, partner_iso2: str, home_iso2: str) -> str:
    """Whose working days a duration is counted in: the partner's for our outgoing requests
    (they do the work), ours for incoming ones."""
    return partner_iso2 if Direction(direction) == Direction.OUTGOING else home_iso2


class WorkingDayCounter:
    """Working days between many pairs of dates on one calendar, in constant time per pair:
    a running count over whole years, built once (calendar.working_days_between walks every day)."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._first = date.max
        self._running: list[int] = []

    def _cover(self, low: date, high: date) -> None:
        last = self._first + timedelta(days=len(self._running) - 1) if self._running else date.min
        if self._running and self._first <= low and high <= last:
            return
        first = date(min(low, self._first).year, 1, 1)
        end = date(max(high, last).year, 12, 31)
        running = [0]
        total = 0
        for offset in range(1, (end - first).days + 1):
            total += self.calendar.is_working_day(first + timedelta(days=offset))
            running.append(total)
        self._first = first
        self._running = running

    def between(self, start: date, end: date) -> int:
        """Working days in (start, end], as WorkingCalendar.working_days_between counts them."""
        self._cover(min(start, end), max(start, end))
        return self._running[(end - self._first).days] - self._running[(start - self._first).days]


@dataclass(frozen=True)
class AgeBucket:
    """Open requests whose age in calendar days lies in [low, high] (high None: no upper end)."""

    key: str
    label: str
    low: int
    high: int | None


AGE_BUCKETS = (
    AgeBucket("0-30", N_("0–30 days"), 0, 30),
    AgeBucket("31-90", N_("31–90 days"), 31, 90),
    AgeBucket("91-180", N_("91–180 days"), 91, 180),
    AgeBucket("181-365", N_("181–365 days"), 181, 365),
    AgeBucket("366+", N_("Over 365 days"), 366, None),
)


def bucket_floors(today: date) -> tuple[tuple[AgeBucket, date], ...]:
    """For each bucket but the last, the earliest start date still inside it (for SQL: a start
    on or after this date is at most `high` days old)."""
    return tuple((b, today - timedelta(days=b.high)) for b in AGE_BUCKETS if b.high is not None)


@dataclass(frozen=True)
class Period:
    """A reporting period, both ends included."""

    start: date
    end: date


def default_period(today: date) -> Period:
    return Period(today - timedelta(days=DEFAULT_SPAN_DAYS - 1), today)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def _parse(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _period_problem(period: Period, today: date) -> str | None:
    if period.end < period.start:
        return N_("The period ends before it starts; showing the last 12 months instead.")
    latest = today + timedelta(days=366)
    if period.start.year < FIRST_YEAR or period.end > latest:
        return N_("Choose dates from the year 2000 up to one year from today; showing the last 12 "
                  "months instead.")
    if period.end.year - period.start.year > MAX_SPAN_YEARS:
        return N_("A period may span at most 20 years; showing the last 12 months instead.")
    return None


def parse_period(start_text: str | None, end_text: str | None, today: date) -> tuple[Period, str | None]:
    """The period the user asked for, or the last 12 months with a message saying why not.
    Both ends missing is not a mistake: it asks for the default."""
    if not start_text and not end_text:
        return default_period(today), None
    start = _parse(start_text)
    end = _parse(end_text)
    if (start_text and start is None) or (end_text and end is None):
        return default_period(today), N_("Enter dates as YYYY-MM-DD; showing the last 12 months instead.")
    fallback = default_period(today)
    period = Period(start or fallback.start, end or today)
    problem = _period_problem(period, today)
    return (fallback, problem) if problem else (period, None)


def valid_year(year: int, today: date) -> bool:
    """A year an annual report can be made for."""
    return FIRST_YEAR <= year <= today.year
