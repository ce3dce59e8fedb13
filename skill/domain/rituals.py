"""Pure logic for the daily and weekly rituals: which one fits this moment of the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from skill.domain.clock import NIGHT_ENDS_HOUR, night_of

MORNING_ENDS_HOUR = 12
AFTERNOON_ENDS_HOUR = 17


class Weekday(Enum):
    """Days of the week, in ``date.weekday()`` order."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @classmethod
    def of(cls, day: date) -> Weekday:
        return list(cls)[day.weekday()]

    @classmethod
    def parse(cls, text: str | None) -> Weekday | None:
        """A weekday from a slot id or a spoken word ("sunday", "Sundays", "sun"), else None."""
        if not text:
            return None
        word = "".join(c for c in text.strip().lower() if c.isalpha())
        if len(word) < 3:
            return None
        for day in cls:
            if word == day.value or word == day.value + "s" or day.value.startswith(word):
                return day
        return None


class PartOfDay(Enum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class Ritual(Enum):
    MORNING_CHECK = "morning_check"
    EVENING_ONE_THING = "evening_one_thing"
    SCREEN_FREE = "screen_free"
    RELATIONSHIP_CHECK = "relationship_check"
    SHARED_JOY = "shared_joy"
    APPRECIATION_ROUND = "appreciation_round"


DAILY: tuple[Ritual, ...] = (Ritual.MORNING_CHECK, Ritual.EVENING_ONE_THING, Ritual.SCREEN_FREE)
WEEKLY: tuple[Ritual, ...] = (
    Ritual.RELATIONSHIP_CHECK,
    Ritual.SHARED_JOY,
    Ritual.APPRECIATION_ROUND,
)
BY_PART: dict[PartOfDay, Ritual] = {
    PartOfDay.MORNING: Ritual.MORNING_CHECK,
    PartOfDay.AFTERNOON: Ritual.SCREEN_FREE,
    PartOfDay.EVENING: Ritual.EVENING_ONE_THING,
}


def part_of_day(hour: int) -> PartOfDay:
    """Morning from 4 a.m. to noon, afternoon until 5 p.m., evening until 4 a.m."""
    if NIGHT_ENDS_HOUR <= hour < MORNING_ENDS_HOUR:
        return PartOfDay.MORNING
    if MORNING_ENDS_HOUR <= hour < AFTERNOON_ENDS_HOUR:
        return PartOfDay.AFTERNOON
    return PartOfDay.EVENING


def ritual_day(local: datetime) -> date:
    """The day a ritual belongs to: before 4 a.m. it is still the day the night began."""
    return night_of(local)


@dataclass(frozen=True)
class RitualPick:
    """Today's ritual for one local moment, and the plan week whose tip goes with it."""

    ritual: Ritual
    part: PartOfDay
    check_in_day: bool
    week: int | None
    """The plan week (1-8, or 9 and above for maintenance); None before the plan starts."""


def todays_ritual(local: datetime, check_in_day: Weekday | None, week: int | None) -> RitualPick:
    """The weekly relationship check on the chosen day, otherwise the daily ritual for the hour."""
    part = part_of_day(local.hour)
    if check_in_day is not None and Weekday.of(ritual_day(local)) is check_in_day:
        return RitualPick(Ritual.RELATIONSHIP_CHECK, part, True, week)
    return RitualPick(BY_PART[part], part, False, week)


class Topic(Enum):
    """Short guidance the skill can give on hard conversations."""

    SOFT_START_UP = "soft_start_up"
    REPAIR_ATTEMPTS = "repair_attempts"
    GROUND_RULES = "ground_rules"
    PAUSE_WORD = "pause_word"
    OUTSIDE_HELP = "outside_help"
    GROUNDING = "grounding"
    NON_DEFENSIVE = "non_defensive"
    OWNING_YOUR_PART = "owning_your_part"
    RELUCTANT_PARTNER = "reluctant_partner"
    SLOW_PROGRESS = "slow_progress"
    STRUGGLING_PARTNER = "struggling_partner"
    BETRAYAL = "betrayal"
    UNSURE = "unsure"

    @classmethod
    def parse(cls, text: str | None) -> Topic | None:
        """A topic from a slot id ("ground_rules") or its words ("ground rules"), else None."""
        if not text:
            return None
        words = "_".join(text.strip().lower().replace("-", " ").split())
        for topic in cls:
            if words == topic.value:
                return topic
        return None
