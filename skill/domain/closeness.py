"""How close each partner felt this week, from one to five, and how that moves over the weeks.

Pure logic: a short, bounded history of weekly ratings (one pair of scores per week, 0 for a
partner who did not rate) and the trend read back from it. A week begins on Monday, and the
day is the household's (before 4 a.m. it is still the day before).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum

LOWEST = 1
HIGHEST = 5
HISTORY = 8
"""How many weeks of ratings are kept (the latest ones)."""
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


@dataclass(frozen=True)
class WeekRating:
    """One week's ratings: ``scores[i]`` is partner i's, 0 when that partner did not rate."""

    week: date
    scores: tuple[int, int] = (0, 0)

    @property
    def given(self) -> tuple[int, ...]:
        return tuple(score for score in self.scores if score)

    @property
    def complete(self) -> bool:
        return all(self.scores)

    @property
    def mean(self) -> float:
        given = self.given
        return sum(given) / len(given) if given else 0.0


@dataclass(frozen=True)
class Closeness:
    """What the household item keeps: the latest weeks that were rated, oldest first."""

    weeks: tuple[WeekRating, ...] = ()
    declined: date | None = None
    """The week (its Monday) whose offer to rate was turned down: not offered again."""

    def week(self, week: date) -> WeekRating | None:
        return next((rated for rated in self.weeks if rated.week == week), None)


class Direction(Enum):
    FIRST = "first"
    """Only one week rated so far."""
    CLOSER = "closer"
    STEADY = "steady"
    HARDER = "harder"


@dataclass(frozen=True)
class Trend:
    """The latest week against the earliest kept, and against the week before it."""

    latest: WeekRating
    earlier: WeekRating | None
    weeks_apart: int
    direction: Direction
    small_win: bool
    """The latest week is up on the rated week before it."""


def week_of(day: date) -> date:
    """The Monday the week of ``day`` began."""
    return day - timedelta(days=day.weekday())


def score(spoken: str | None) -> int | None:
    """A rating from a slot value ("3", "three"), or None unless it is a whole 1 to 5."""
    if spoken is None:
        return None
    word = spoken.strip().lower()
    value = WORDS.get(word) if not word.isdigit() else int(word)
    return value if value is not None and LOWEST <= value <= HIGHEST else None


def rate(record: Closeness, week: date, partner: int, value: int) -> Closeness:
    """Record one partner's rating for a week (a second rating the same week replaces it)."""
    if not LOWEST <= value <= HIGHEST or partner not in (0, 1):
        raise ValueError("a rating is a whole number from 1 to 5 for partner 0 or 1")
    rated = record.week(week) or WeekRating(week)
    scores = (value, rated.scores[1]) if partner == 0 else (rated.scores[0], value)
    others = [kept for kept in record.weeks if kept.week != week]
    weeks = sorted([*others, replace(rated, scores=scores)], key=lambda kept: kept.week)
    return Closeness(tuple(weeks[-HISTORY:]))


def trend(record: Closeness) -> Trend | None:
    """How the latest rated week compares with the earliest kept; None before any rating."""
    if not record.weeks:
        return None
    latest = record.weeks[-1]
    if len(record.weeks) == 1:
        return Trend(latest, None, 0, Direction.FIRST, small_win=False)
    earlier, before = record.weeks[0], record.weeks[-2]
    return Trend(
        latest,
        earlier,
        (latest.week - earlier.week).days // 7,
        _direction(earlier.mean, latest.mean),
        small_win=latest.mean > before.mean,
    )


def _direction(then: float, now: float) -> Direction:
    if now > then:
        return Direction.CLOSER
    if now < then:
        return Direction.HARDER
    return Direction.STEADY
