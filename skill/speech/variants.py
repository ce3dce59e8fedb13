"""Which wording of a line a household hears: one per household and night, new each night.

A line with several variations is said the same way on every device of a household all
night (so a second speaker agrees with the first), and differently from the night before:
the variation is ``(hash(household, key) + night) mod n``, which moves on by one each
night whenever there are two or more. The night is the one tonight's question uses (it
runs until 4 a.m. local time).

Some lines are worded for the time of day: ``TIME_OF_DAY`` names, for a line, the line
said instead in the morning, the afternoon or late at night (a morning check-in does not
say "tonight"; a decline at 9 p.m. does not wish a good day).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from skill.domain.clock import Daypart, daypart, night_of

TIME_OF_DAY: Mapping[str, Mapping[Daypart, str]] = {
    "goodbye": {
        Daypart.MORNING: "goodbye_morning",
        Daypart.AFTERNOON: "goodbye_afternoon",
        Daypart.LATE: "goodbye_late",
    },
    "launch.returning": {
        Daypart.MORNING: "launch.returning_morning",
        Daypart.AFTERNOON: "launch.returning_afternoon",
        Daypart.LATE: "launch.returning_late",
    },
    "check_in.intro": {
        Daypart.MORNING: "check_in.intro_day",
        Daypart.AFTERNOON: "check_in.intro_day",
    },
    "check_in.intro_short": {
        Daypart.MORNING: "check_in.intro_short_day",
        Daypart.AFTERNOON: "check_in.intro_short_day",
    },
    "check_in.goodbye": {
        Daypart.MORNING: "check_in.goodbye_day",
        Daypart.AFTERNOON: "check_in.goodbye_day",
        Daypart.LATE: "check_in.goodbye_late",
    },
    "rituals.declined": {
        Daypart.MORNING: "rituals.declined_day",
        Daypart.AFTERNOON: "rituals.declined_day",
        Daypart.LATE: "rituals.declined_late",
    },
}


@dataclass(frozen=True)
class Nightly:
    """Chooses the variation of each line for one household at one local moment."""

    household: str
    local: datetime
    """The request's instant in the household's zone."""

    @property
    def night(self) -> date:
        return night_of(self.local)

    def index(self, key: str, count: int) -> int:
        """Which of ``count`` variations of ``key`` this household hears tonight."""
        digest = hashlib.sha256(f"{self.household}\n{key}".encode()).digest()
        return (int.from_bytes(digest[:8], "big") + self.night.toordinal()) % max(count, 1)

    def key(self, key: str) -> str:
        """The line to say for ``key`` at this time of day."""
        return TIME_OF_DAY.get(key, {}).get(daypart(self.local), key)
