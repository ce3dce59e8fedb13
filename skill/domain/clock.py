"""Time as the household lives it: the request's instant seen in the household's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NIGHT_ENDS_HOUR = 4
"""A night runs until 4 a.m. local time: at 03:30 it is still last night."""


def system_now() -> datetime:
    """The server's clock. The only place the skill asks the machine for the time."""
    return datetime.now(UTC)


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
    def zone(self) -> str:
        return str(self.now.tzinfo)

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
