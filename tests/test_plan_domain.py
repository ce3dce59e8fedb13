"""The plan's pure logic: week numbers, maintenance, changes of pace, restarts and stored state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.codec import decode_plan, encode_plan
from skill.domain.clock import LocalClock
from skill.domain.plan import (
    MAX_HELD_DAYS,
    MAX_RESTARTS,
    PLAN_DAYS,
    Pace,
    PlanState,
    Stage,
    go_back,
    is_maintenance,
    position,
    restart,
    set_check_in_day,
    start,
    stay_longer,
    week_number,
)
from skill.domain.rituals import Weekday

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def local_today(instant: datetime, zone: ZoneInfo) -> date:
    return LocalClock.at(instant, zone).today


def test_the_design_example() -> None:
    assert week_number(start=date(2026, 3, 2), today=date(2026, 3, 16)) == 3


@pytest.mark.parametrize(
    ("days", "week"),
    [(0, 1), (6, 1), (7, 2), (13, 2), (14, 3), (15, 3), (55, 8), (56, 9), (60, 9), (70, 11)],
)
def test_weeks_are_seven_calendar_days(days: int, week: int) -> None:
    begin = date(2026, 3, 10)
    assert week_number(begin, begin + timedelta(days=days)) == week


@pytest.mark.parametrize(
    ("begin", "today", "week"),
    [
        (date(2026, 1, 28), date(2026, 2, 11), 3),
        (date(2026, 2, 26), date(2026, 3, 5), 2),
        (date(2028, 2, 26), date(2028, 3, 4), 2),
        (date(2028, 2, 26), date(2028, 3, 3), 1),
        (date(2026, 4, 30), date(2026, 5, 1), 1),
        (date(2026, 12, 28), date(2027, 1, 4), 2),
    ],
)
def test_week_number_across_month_and_year_ends(begin: date, today: date, week: int) -> None:
    assert week_number(begin, today) == week


def test_spring_forward_does_not_shift_the_week() -> None:
    begin = date(2026, 3, 1)
    before = datetime(2026, 3, 8, 4, 30, tzinfo=UTC)  # 23:30 on 7 March in New York
    after = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 on 8 March, clocks gone forward
    assert week_number(begin, local_today(before, NEW_YORK)) == 1
    assert week_number(begin, local_today(after, NEW_YORK)) == 2


def test_fall_back_does_not_shift_the_week() -> None:
    begin = date(2026, 10, 25)
    late = datetime(2026, 11, 1, 3, 59, tzinfo=UTC)  # 23:59 on 31 October in New York
    repeated_hour = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 the second time
    assert week_number(begin, local_today(late, NEW_YORK)) == 1
    assert week_number(begin, local_today(repeated_hour, NEW_YORK)) == 2


def test_european_clock_change_week() -> None:
    begin = date(2026, 3, 22)
    sunday = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 02:30 BST, the hour just skipped
    assert local_today(sunday, LONDON) == date(2026, 3, 29)
    assert week_number(begin, local_today(sunday, LONDON)) == 2


def test_the_same_instant_can_be_different_weeks_in_different_zones() -> None:
    begin = date(2026, 3, 1)
    instant = datetime(2026, 3, 15, 2, 0, tzinfo=UTC)
    assert week_number(begin, local_today(instant, NEW_YORK)) == 2  # 22:00 on 14 March
    assert week_number(begin, local_today(instant, LONDON)) == 3  # 02:00 on 15 March
    assert week_number(begin, local_today(instant, ZoneInfo("Pacific/Kiritimati"))) == 3


def test_a_start_in_the_future_counts_as_the_first_day() -> None:
    assert week_number(date(2026, 3, 12), date(2026, 3, 10)) == 1


def test_held_days_push_the_weeks_out() -> None:
    begin = date(2026, 3, 2)
    assert week_number(begin, date(2026, 3, 16), held_days=7) == 2
    assert week_number(begin, date(2026, 3, 16), held_days=14) == 1


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=MAX_HELD_DAYS))
def test_week_number_never_skips_or_goes_backwards(days: int, held: int) -> None:
    begin = date(2026, 1, 1)
    today = begin + timedelta(days=days)
    now, tomorrow = week_number(begin, today, held), week_number(begin, today + timedelta(1), held)
    assert now >= 1 and tomorrow - now in (0, 1)


def test_position_before_during_and_after_the_plan() -> None:
    assert position(PlanState(), date(2026, 3, 10)).stage is Stage.NOT_STARTED
    state = PlanState(started=date(2026, 3, 10))
    last = position(state, date(2026, 3, 10) + timedelta(days=PLAN_DAYS - 1))
    assert (last.stage, last.week, last.days_left) == (Stage.IN_PLAN, 8, 0)
    after = position(state, date(2026, 3, 10) + timedelta(days=PLAN_DAYS))
    assert (after.stage, after.week) == (Stage.MAINTENANCE, 9)
    assert is_maintenance(after.week) and not is_maintenance(8)
    sixty = position(state, date(2026, 5, 9))
    assert sixty.stage is Stage.MAINTENANCE


def test_staying_longer_restarts_the_current_week_today() -> None:
    begin, today = date(2026, 3, 2), date(2026, 3, 19)  # week 3, day 3
    change = stay_longer(PlanState(started=begin), today)
    assert change.pace is Pace.HELD and change.week == 3
    assert change.state.held_days == 3
    assert week_number(begin, today, change.state.held_days) == 3
    assert week_number(begin, today + timedelta(days=6), change.state.held_days) == 3
    assert week_number(begin, today + timedelta(days=7), change.state.held_days) == 4


def test_going_back_lands_on_the_start_of_the_previous_week() -> None:
    begin, today = date(2026, 3, 2), date(2026, 3, 19)
    change = go_back(PlanState(started=begin), today)
    assert (change.pace, change.week) == (Pace.WENT_BACK, 2)
    here = position(change.state, today)
    assert (here.week, here.day_in_week) == (2, 0)


def test_going_back_in_week_one_restarts_week_one() -> None:
    change = go_back(PlanState(started=date(2026, 3, 10)), date(2026, 3, 13))
    assert (change.pace, change.week, change.state.held_days) == (Pace.FIRST_WEEK, 1, 3)


def test_going_back_from_maintenance_returns_to_week_eight() -> None:
    begin = date(2026, 1, 1)
    today = begin + timedelta(days=60)
    change = go_back(PlanState(started=begin), today)
    assert (change.pace, change.week) == (Pace.WENT_BACK, 8)
    assert position(change.state, today).week == 8


def test_maintenance_cannot_be_held() -> None:
    state = PlanState(started=date(2026, 1, 1))
    change = stay_longer(state, date(2026, 4, 1))
    assert change.pace is Pace.MAINTENANCE and change.state == state


def test_nothing_to_pace_before_the_start() -> None:
    for change in (
        stay_longer(PlanState(), date(2026, 3, 10)),
        go_back(PlanState(), date(2026, 3, 10)),
    ):
        assert change.pace is Pace.NOT_STARTED and change.state == PlanState()


def test_held_days_are_bounded() -> None:
    state = PlanState(started=date(2026, 1, 1), held_days=MAX_HELD_DAYS - 2)
    today = date(2026, 1, 1) + timedelta(days=MAX_HELD_DAYS - 2 + 17)  # week 3, day 3
    change = go_back(state, today)
    assert change.pace is Pace.LIMIT and change.state == state and change.week == 3
    held = stay_longer(state, today)
    assert held.pace is Pace.LIMIT and held.state == state


def test_restart_begins_again_and_keeps_the_check_in_day() -> None:
    state = PlanState(date(2026, 1, 1), held_days=9, check_in_day=Weekday.SUNDAY, restarts=2)
    again = restart(state, date(2026, 4, 1))
    assert again == PlanState(date(2026, 4, 1), 0, Weekday.SUNDAY, 3)
    assert position(again, date(2026, 4, 1)).week == 1
    assert restart(PlanState(restarts=MAX_RESTARTS), date(2026, 4, 1)).restarts == MAX_RESTARTS


def test_start_and_check_in_day() -> None:
    state = set_check_in_day(PlanState(), Weekday.FRIDAY)
    assert start(state, date(2026, 3, 10)) == PlanState(date(2026, 3, 10), 0, Weekday.FRIDAY)


def test_state_round_trips_compactly() -> None:
    assert encode_plan(PlanState()) == {}
    state = PlanState(date(2026, 3, 10), 5, Weekday.SUNDAY, 1)
    data = encode_plan(state)
    assert data == {"start": "2026-03-10", "held": 5, "day": "sunday", "restarts": 1}
    assert decode_plan(data) == state


@pytest.mark.parametrize(
    "data",
    [
        {"start": "not a date", "held": 3},
        {"start": 20260310},
        {"held": 4},
        {"start": "2026-03-10", "held": -5, "day": "someday", "restarts": True},
        {"start": "2026-03-10", "held": "lots", "day": 7, "restarts": -1},
    ],
)
def test_malformed_state_is_tolerated(data: dict[str, object]) -> None:
    state = decode_plan(data)
    assert state.held_days == 0 and state.check_in_day is None and state.restarts == 0


def test_stored_held_days_are_clamped() -> None:
    state = decode_plan({"start": "2026-03-10", "held": 10_000, "restarts": 10_000})
    assert state.held_days == MAX_HELD_DAYS and state.restarts == MAX_RESTARTS
