"""The arithmetic of partner statistics, table by table: percentiles, working days, buckets, periods."""
from datetime import date, timedelta

import pytest

from mla.domain.calendar import WorkingCalendar
from mla.domain.enums import Direction, Stage
from mla.domain.statistics import (
    AGE_BUCKETS,
    EXECUTION_STAGES,
    STAGE_RANKS,
    AgeBucket,
    Period,
    WorkingDayCounter,
    bucket_floors,
    calendar_country,
    median,
    outcome_for_rank,
    p90,
    parse_period,
    percentile,
    refusal_rate,
    summarise,
    valid_year,
)
from mla.domain.workflow import MACHINES
from tests.test_calendar import fixed_calendar

TODAY = date(2026, 11, 23)


def age_bucket(age_days: int) -> AgeBucket:
    """The bucket of an age, as the statistics' SQL counts it; below 0 counts as 0 days."""
    return next(bucket for bucket in AGE_BUCKETS if bucket.high is None or age_days <= bucket.high)


DEFAULT = Period(date(2025, 11, 24), TODAY)
# Kabul works Saturday to Thursday; 2026-03-21 (Saturday) is Nowruz in this test calendar.
AF = fixed_calendar("AF", [5], {date(2026, 3, 21): "Nowruz"})
TJ = fixed_calendar("TJ", [6, 7], {date(2026, 3, 23): "Navruz"})


@pytest.mark.parametrize(("values", "share", "expected"), [
    ([], 0.5, None),
    ([7], 0.5, 7),
    ([7], 0.9, 7),
    ([4, 1, 3, 2], 0.5, 2),          # even count: the lower middle value, no averaging
    ([5, 1, 4, 2, 3], 0.5, 3),
    (list(range(1, 11)), 0.9, 9),    # ceil(0.9 * 10) = 9th value
    (list(range(1, 12)), 0.9, 10),   # ceil(9.9) = 10th value
    ([10, 20], 0.9, 20),
    ([3, 1, 2], 1.0, 3),
    ([2, 2, 9], 0.5, 2),
])
def test_nearest_rank_percentile(values: list[int], share: float, expected: int | None) -> None:
    assert percentile(values, share) == expected


@pytest.mark.parametrize("share", [0, -0.1, 1.5])
def test_percentile_refuses_shares_outside_zero_to_one(share: float) -> None:
    with pytest.raises(ValueError, match="share"):
        percentile([1, 2], share)


def test_median_p90_and_summary_agree() -> None:
    values = [12, 3, 7, 30, 5]
    assert (median(values), p90(values)) == (7, 30)
    assert summarise(values).count == 5 and summarise(values).median == 7 and summarise([]).median is None


@pytest.mark.parametrize(("calendar", "start", "end", "expected"), [
    (AF, date(2026, 3, 19), date(2026, 3, 22), 1),   # Thu -> Sun: Fri weekend, Sat Nowruz, Sun counts
    (AF, date(2026, 3, 18), date(2026, 3, 25), 5),   # Wed -> Wed: Thu, Sun, Mon, Tue, Wed
    (TJ, date(2026, 3, 20), date(2026, 3, 24), 1),   # Fri -> Tue: weekend, Monday Navruz, Tuesday
    (TJ, date(2026, 3, 20), date(2026, 3, 20), 0),
    (TJ, date(2026, 3, 24), date(2026, 3, 20), -1),  # backwards counts negative, as the calendar does
    (TJ, date(2025, 12, 30), date(2026, 1, 2), 3),   # across a year end
])
def test_working_day_counter_counts_like_the_calendar(calendar: WorkingCalendar, start: date, end: date,
                                                      expected: int) -> None:
    counter = WorkingDayCounter(calendar)
    assert counter.between(start, end) == expected == calendar.working_days_between(start, end)


def test_working_day_counter_extends_its_range_on_demand() -> None:
    counter = WorkingDayCounter(AF)
    assert counter.between(date(2026, 3, 19), date(2026, 3, 22)) == 1
    far = (date(2019, 5, 2), date(2031, 7, 9))
    assert counter.between(*far) == AF.working_days_between(*far)
    assert counter.between(date(2026, 3, 19), date(2026, 3, 22)) == 1


@pytest.mark.parametrize(("age", "key"), [
    (-3, "0-30"), (0, "0-30"), (30, "0-30"), (31, "31-90"), (90, "31-90"), (91, "91-180"),
    (180, "91-180"), (181, "181-365"), (365, "181-365"), (366, "366+"), (5000, "366+"),
])
def test_age_buckets(age: int, key: str) -> None:
    """The buckets are in order and the last has no upper end, so an age falls in the first that holds it."""
    assert age_bucket(age).key == key


def test_bucket_floors_are_the_earliest_start_inside_each_bucket() -> None:
    floors = {bucket.key: floor for bucket, floor in bucket_floors(TODAY)}
    assert floors == {"0-30": TODAY - timedelta(days=30), "31-90": TODAY - timedelta(days=90),
                      "91-180": TODAY - timedelta(days=180), "181-365": TODAY - timedelta(days=365)}


@pytest.mark.parametrize(("refused", "total", "expected"),
                         [(0, 0, None), (0, 5, 0.0), (1, 4, 0.25), (3, 3, 1.0)])
def test_refusal_rate(refused: int, total: int, expected: float | None) -> None:
    assert refusal_rate(refused, total) == expected


@pytest.mark.parametrize(("stage", "outcome"), [
    (None, "pending"), (Stage.EXECUTED, "executed"), (Stage.RETURNED, "executed"),
    (Stage.ANSWERED, "executed"),
    (Stage.REFUSED, "refused"), (Stage.DECLINED, "refused"), (Stage.CONVERTED_TO_MLA, "converted"),
    (Stage.WITHDRAWN, "withdrawn"),
])
def test_outcome_of_the_strongest_stage_reached(stage: Stage | None, outcome: str) -> None:
    assert outcome_for_rank(STAGE_RANKS[stage] if stage else None) == outcome


def test_answered_then_converted_counts_as_executed() -> None:
    rank = max(STAGE_RANKS[Stage.ANSWERED], STAGE_RANKS[Stage.CONVERTED_TO_MLA])
    assert outcome_for_rank(rank) == "executed"


def test_every_stage_machine_has_exactly_one_execution_stage() -> None:
    for machine in MACHINES.values():
        assert len(machine.stages() & EXECUTION_STAGES) == 1, machine.key


@pytest.mark.parametrize(("direction", "expected"), [(Direction.OUTGOING, "AF"), (Direction.INCOMING, "TJ")])
def test_durations_run_on_the_partners_calendar_for_outgoing(direction: Direction, expected: str) -> None:
    assert calendar_country(direction, "AF", "TJ") == expected


@pytest.mark.parametrize(("start", "end", "period", "has_message"), [
    (None, None, DEFAULT, False),
    ("", "", DEFAULT, False),
    ("2026-01-01", "2026-06-30", Period(date(2026, 1, 1), date(2026, 6, 30)), False),
    ("2026-01-01", None, Period(date(2026, 1, 1), TODAY), False),
    (None, "2026-06-30", Period(DEFAULT.start, date(2026, 6, 30)), False),
    ("2026-06-30", "2026-01-01", DEFAULT, True),      # reversed: not swapped
    ("31/12/2025", None, DEFAULT, True),              # unparsable
    ("2026-02-30", None, DEFAULT, True),
    ("1999-12-31", "2026-01-01", DEFAULT, True),      # before 2000
    ("2026-01-01", "2028-01-01", DEFAULT, True),      # after a year from today
    ("2001-01-01", "2026-01-01", DEFAULT, True),      # over twenty years
    ("9999-01-01", "9999-12-31", DEFAULT, True),
])
def test_parse_period(start: str | None, end: str | None, period: Period, has_message: bool) -> None:
    found, message = parse_period(start, end, TODAY)
    assert found == period
    assert (message is not None) is has_message


@pytest.mark.parametrize(("year", "valid"), [(1999, False), (2000, True), (2026, True), (2027, False)])
def test_valid_year(year: int, valid: bool) -> None:
    assert valid_year(year, TODAY) is valid
