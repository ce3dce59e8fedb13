"""Time as the household lives it: the request's instant seen in the household's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NIGHT_ENDS_HOUR = 4
"""A night runs until 4 a.m. local time: at 03:30 it is still last night."""


def system_now() -> datetime:
    """The server's clock. The only place the skill asks the machine for the time."""
    return datetime.now(UTC)


def read_instant(value: Any) -> datetime | None:
    """An ISO 8601 timestamp with a zone (``2026-03-10T21:00:00Z``), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            return None
        moment.astimezone(UTC)  # an instant at the very edge of the calendar cannot be used
    except (ValueError, OverflowError):
        return None
    return moment


def read_date(value: Any) -> date | None:
    """An ISO 8601 calendar date (``2026-03-10``), else None."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECOND = timedelta(milliseconds=1)
EARLIEST_STAMP, LATEST_STAMP = 0, 253_402_300_799_000  # 1970 to the end of year 9999


def stamp(moment: datetime) -> int:
    """An instant as it is stored: milliseconds since the Unix epoch (13 digits, where an
    ISO 8601 string takes 29 characters of a household item that must stay under 1 KB)."""
    return (moment - EPOCH) // MILLISECOND


def read_stamp(value: Any) -> datetime | None:
    """A stored instant: milliseconds since the epoch (as ``stamp`` writes), or the ISO 8601
    form items held before; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not EARLIEST_STAMP <= value <= LATEST_STAMP:
            return None
        return EPOCH + value * MILLISECOND
    return read_instant(value)


def zone_or_none(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True)
class LocalClock:
    """One instant in one household's zone."""

    now: datetime  # timezone-aware, in the household's zone

    @classmethod
    def at(cls, instant: datetime, zone: ZoneInfo) -> LocalClock:
        if instant.tzinfo is None:
            raise ValueError("instant must be timezone-aware")
        return cls(instant.astimezone(zone))

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def hour(self) -> int:
        return self.now.hour

    def night(self) -> date:
        """The calendar date on which tonight began."""
        return night_of(self.now)


def night_of(local: datetime) -> date:
    """The date a night started, for a local wall-clock time (DST-safe: uses wall time)."""
    if local.hour < NIGHT_ENDS_HOUR:
        return local.date() - timedelta(days=1)
    return local.date()


class Daypart(Enum):
    """The time of day a line is worded for (a morning check-in says "today", not "tonight")."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    LATE = "late"


NOON = 12
EVENING_FROM_HOUR = 17
LATE_FROM_HOUR = 22
"""From 10 p.m. to the night's end at 4 a.m., lines are worded for late at night."""


def daypart(local: datetime) -> Daypart:
    """Morning from 4 a.m. to noon, afternoon to 5 p.m., evening to 10 p.m., then late."""
    hour = local.hour
    if NIGHT_ENDS_HOUR <= hour < NOON:
        return Daypart.MORNING
    if NOON <= hour < EVENING_FROM_HOUR:
        return Daypart.AFTERNOON
    if EVENING_FROM_HOUR <= hour < LATE_FROM_HOUR:
        return Daypart.EVENING
    return Daypart.LATE
