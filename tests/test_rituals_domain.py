"""Which ritual fits a local moment: the hour, the weekday and the chosen check-in day."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from skill.domain.clock import LocalClock
from skill.domain.rituals import (
    DAILY,
    WEEKLY,
    PartOfDay,
    Ritual,
    Topic,
    Weekday,
    part_of_day,
    todays_ritual,
)

NEW_YORK = ZoneInfo("America/New_York")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("hour", "part"),
    [
        (0, PartOfDay.EVENING),
        (3, PartOfDay.EVENING),
        (4, PartOfDay.MORNING),
        (7, PartOfDay.MORNING),
        (11, PartOfDay.MORNING),
        (12, PartOfDay.AFTERNOON),
        (16, PartOfDay.AFTERNOON),
        (17, PartOfDay.EVENING),
        (20, PartOfDay.EVENING),
        (23, PartOfDay.EVENING),
    ],
)
def test_part_of_day_by_local_hour(hour: int, part: PartOfDay) -> None:
    assert part_of_day(hour) is part


def test_morning_and_evening_rituals() -> None:
    morning = todays_ritual(at(2026, 3, 10, 7, 30), None, 2)
    evening = todays_ritual(at(2026, 3, 10, 20, 30), None, 2)
    afternoon = todays_ritual(at(2026, 3, 10, 14, 0), None, None)
    assert (morning.ritual, morning.part, morning.week) == (
        Ritual.MORNING_CHECK,
        PartOfDay.MORNING,
        2,
    )
    assert evening.ritual is Ritual.EVENING_ONE_THING
    assert afternoon.ritual is Ritual.SCREEN_FREE and afternoon.week is None


def test_the_check_in_day_brings_the_weekly_relationship_check() -> None:
    sunday = at(2026, 3, 15, 19, 0)
    assert sunday.weekday() == 6
    pick = todays_ritual(sunday, Weekday.SUNDAY, 3)
    assert pick.ritual is Ritual.RELATIONSHIP_CHECK and pick.check_in_day
    assert todays_ritual(sunday, Weekday.MONDAY, 3).ritual is Ritual.EVENING_ONE_THING


def test_after_midnight_it_is_still_the_check_in_night() -> None:
    monday_small_hours = at(2026, 3, 16, 1, 0)
    assert todays_ritual(monday_small_hours, Weekday.SUNDAY, 3).ritual is Ritual.RELATIONSHIP_CHECK
    monday_morning = at(2026, 3, 16, 7, 30)
    assert todays_ritual(monday_morning, Weekday.SUNDAY, 3).ritual is Ritual.MORNING_CHECK


def test_the_ritual_follows_the_household_zone() -> None:
    instant = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)
    new_york = LocalClock.at(instant, NEW_YORK).now  # 18:30
    tokyo = LocalClock.at(instant, ZoneInfo("Asia/Tokyo")).now  # 07:30 next day
    assert todays_ritual(new_york, None, None).ritual is Ritual.EVENING_ONE_THING
    assert todays_ritual(tokyo, None, None).ritual is Ritual.MORNING_CHECK


def test_three_daily_and_three_weekly_rituals() -> None:
    assert len(DAILY) == 3 and len(WEEKLY) == 3 and not set(DAILY) & set(WEEKLY)
    assert set(DAILY) | set(WEEKLY) == set(Ritual)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("sunday", Weekday.SUNDAY),
        ("Sundays", Weekday.SUNDAY),
        ("sun", Weekday.SUNDAY),
        ("thursday", Weekday.THURSDAY),
        ("Wednesdays", Weekday.WEDNESDAY),
        (None, None),
        ("", None),
        ("tu", None),
        ("someday", None),
    ],
)
def test_weekday_parsing(text: str | None, day: Weekday | None) -> None:
    assert Weekday.parse(text) is day


def test_weekdays_follow_the_calendar() -> None:
    assert Weekday.of(at(2026, 3, 9, 12).date()) is Weekday.MONDAY
    days = [Weekday.of(at(2026, 3, 9 + n, 12).date()) for n in range(7)]
    assert days == list(Weekday)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("ground_rules", Topic.GROUND_RULES),
        ("ground rules", Topic.GROUND_RULES),
        ("soft start-up", Topic.SOFT_START_UP),
        ("Pause Word", Topic.PAUSE_WORD),
        ("outside_help", Topic.OUTSIDE_HELP),
        ("something else", None),
        (None, None),
    ],
)
def test_topic_parsing(text: str | None, topic: Topic | None) -> None:
    assert Topic.parse(text) is topic
