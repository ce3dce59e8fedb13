"""The habits that bring a couple back each evening, as pure logic: the nightly reminder's
time, the screen-free timer's length, the time capsule's dates and when to offer what."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, time

SCREEN_FREE_MINUTES = 20
TIMER_MINUTES = (1, 120)
"""A screen-free timer lasts one minute to two hours (Alexa's limit for timers)."""
CAPSULE_MONTHS = 3
OFFER_AFTER_VISITS = 2
"""The nightly reminder is offered from the second day the household opens the skill."""
CAPSULE_REMINDER_AT = time(19, 0)
"""When the capsule's one reminder goes off on its opening day, without a nightly reminder."""

ALEXA_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
PARTS_OF_DAY = {"EV": time(19, 0), "NI": time(21, 0)}
"""AMAZON.TIME values for "in the evening" and "at night"."""
DURATION = re.compile(r"^P(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)$")


@dataclass(frozen=True)
class Reminder:
    """The nightly reminder Alexa keeps for the household: its token and its time."""

    token: str
    at: time


@dataclass(frozen=True)
class Capsule:
    """A sealed time capsule: only its date is kept, never what was written."""

    sealed: date
    told: bool = False
    """The launch has said it is ready."""
    alert: str | None = None
    """The token of the one reminder set for its opening day, if any."""

    @property
    def opens(self) -> date:
        return add_months(self.sealed, CAPSULE_MONTHS)

    def ready(self, today: date) -> bool:
        return today >= self.opens


@dataclass(frozen=True)
class HabitsState:
    reminder: Reminder | None = None
    offered: bool = False
    """The nightly reminder was offered once; it is never offered again."""
    tip: bool = False
    """The tip about Alexa routines was given."""
    screen_free: int = SCREEN_FREE_MINUTES
    capsule: Capsule | None = None
    round_offered: date | None = None
    """The last weekly check-in day on which the appreciation round was offered."""


def evening_time(value: str | None) -> time | None:
    """The time an AMAZON.TIME value names, read as an evening time.

    A nightly reminder belongs to the evening, so an hour from 1 to 11 without more is
    taken as p.m. ("nine" is 21:00); "in the evening" and "at night" have fixed times.
    """
    if not value:
        return None
    value = value.strip().upper()
    if value in PARTS_OF_DAY:
        return PARTS_OF_DAY[value]
    at = clock_time(value)
    if at is None or not 1 <= at.hour <= 11:
        return at
    return at.replace(hour=at.hour + 12)


def clock_time(value: str | None) -> time | None:
    """A 24-hour ``HH:MM`` time, else None."""
    found = ALEXA_TIME.match((value or "").strip())
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    return time(hour, minute) if hour <= 23 and minute <= 59 else None


def duration_minutes(value: str | None) -> int | None:
    """Whole minutes in an ISO 8601 duration (AMAZON.DURATION: ``PT20M``, ``PT1H30M``)."""
    found = DURATION.match((value or "").strip().upper())
    if not found or not any(found.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return hours * 60 + minutes + round(seconds / 60)


def timer_length_allowed(minutes: int) -> bool:
    low, high = TIMER_MINUTES
    return low <= minutes <= high


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def offer_reminder(state: HabitsState, visits: int) -> bool:
    """Offer the nightly reminder once, from the second day on, unless one is set."""
    return not state.offered and state.reminder is None and visits >= OFFER_AFTER_VISITS


def capsule_reminder_time(state: HabitsState) -> time:
    """The capsule's reminder comes at the nightly reminder's time, if there is one."""
    return state.reminder.at if state.reminder else CAPSULE_REMINDER_AT
