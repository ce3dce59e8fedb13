"""Pure logic for the 8-week plan: which week a household is in, and changing its pace.

The plan is a start date plus a number of held days. Holding a week or going
back adds held days, which moves every later week further out; the total is
bounded so the plan stretches to at most twice its length.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from skill.domain.rituals import Weekday

PLAN_WEEKS = 8
DAYS_PER_WEEK = 7
PLAN_DAYS = PLAN_WEEKS * DAYS_PER_WEEK
MAX_HELD_DAYS = PLAN_DAYS
"""Held days never exceed the plan's own length."""
MAX_RESTARTS = 99


@dataclass(frozen=True)
class PlanState:
    """The household's plan: when it began, how many days it has been held, the check-in day."""

    started: date | None = None
    held_days: int = 0
    check_in_day: Weekday | None = None
    restarts: int = 0


class Stage(Enum):
    NOT_STARTED = "not_started"
    IN_PLAN = "in_plan"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True)
class Position:
    """Where a household stands on one day."""

    stage: Stage
    plan_day: int = 0
    """Days into the plan, held days excluded (0 on the first day)."""

    @property
    def week(self) -> int:
        """1-8 during the plan, 9 and above in maintenance, 0 before the start."""
        if self.stage is Stage.NOT_STARTED:
            return 0
        return self.plan_day // DAYS_PER_WEEK + 1

    @property
    def day_in_week(self) -> int:
        return self.plan_day % DAYS_PER_WEEK

    @property
    def days_left(self) -> int:
        """Days of the plan still to come after today (0 in maintenance)."""
        return max(0, PLAN_DAYS - self.plan_day - 1)


def plan_day(start: date, today: date, held_days: int = 0) -> int:
    """Days into the plan on ``today``; never negative (a start in the future counts as day 0)."""
    return max(0, (today - start).days - held_days)


def week_number(start: date, today: date, held_days: int = 0) -> int:
    """The plan week on ``today``, counting calendar days: 1 on the first seven days."""
    return plan_day(start, today, held_days) // DAYS_PER_WEEK + 1


def is_maintenance(week: int) -> bool:
    return week > PLAN_WEEKS


def position(state: PlanState, today: date) -> Position:
    if state.started is None:
        return Position(Stage.NOT_STARTED)
    day = plan_day(state.started, today, state.held_days)
    stage = Stage.MAINTENANCE if day >= PLAN_DAYS else Stage.IN_PLAN
    return Position(stage, day)


def start(state: PlanState, today: date) -> PlanState:
    """Begin the plan today (keeps the chosen check-in day)."""
    return replace(state, started=today, held_days=0)


def restart(state: PlanState, today: date) -> PlanState:
    """Begin again from week one today, counting the restart."""
    return replace(start(state, today), restarts=min(state.restarts + 1, MAX_RESTARTS))


def set_check_in_day(state: PlanState, day: Weekday) -> PlanState:
    return replace(state, check_in_day=day)


class Pace(Enum):
    """What a change of pace did."""

    HELD = "held"
    """The current week starts afresh today and runs seven more days."""
    WENT_BACK = "went_back"
    """The previous week starts afresh today."""
    FIRST_WEEK = "first_week"
    """Already in week one: it starts afresh today."""
    MAINTENANCE = "maintenance"
    """Maintenance has no end, so there is nothing to hold."""
    LIMIT = "limit"
    """The plan already holds as many extra days as it may; nothing changed."""
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class PaceChange:
    state: PlanState
    pace: Pace
    week: int
    """The week the household is in after the change."""


def stay_longer(state: PlanState, today: date) -> PaceChange:
    """Give the current week another seven days from today."""
    where = position(state, today)
    if where.stage is Stage.NOT_STARTED:
        return PaceChange(state, Pace.NOT_STARTED, 0)
    if where.stage is Stage.MAINTENANCE:
        return PaceChange(state, Pace.MAINTENANCE, where.week)
    return _hold(state, where.day_in_week, Pace.HELD, where.week, where.week)


def go_back(state: PlanState, today: date) -> PaceChange:
    """Return to the start of the previous week, from today (week one restarts itself)."""
    where = position(state, today)
    if where.stage is Stage.NOT_STARTED:
        return PaceChange(state, Pace.NOT_STARTED, 0)
    if where.stage is Stage.MAINTENANCE:
        extra = where.plan_day - (PLAN_WEEKS - 1) * DAYS_PER_WEEK
        return _hold(state, extra, Pace.WENT_BACK, PLAN_WEEKS, where.week)
    if where.week == 1:
        return _hold(state, where.day_in_week, Pace.FIRST_WEEK, 1, 1)
    extra = where.day_in_week + DAYS_PER_WEEK
    return _hold(state, extra, Pace.WENT_BACK, where.week - 1, where.week)


def _hold(state: PlanState, extra: int, pace: Pace, week: int, current: int) -> PaceChange:
    held = state.held_days + extra
    if held > MAX_HELD_DAYS:
        return PaceChange(state, Pace.LIMIT, current)
    return PaceChange(replace(state, held_days=held), pace, week)


@dataclass(frozen=True)
class PlanWeek:
    """One week of the plan as the content describes it."""

    number: int
    id: str
    title: str
    summary: str
    practices: tuple[str, ...]
    tip: str
