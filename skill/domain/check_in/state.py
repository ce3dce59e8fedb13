"""What a check-in remembers: the household's settings and record, and a check-in under way."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from skill.domain.check_in.phases import (
    ACTIVE,
    KIND,
    RECENT,
    RESUME_WINDOW,
    SECOND,
    TURN_MINUTES,
    Kind,
    Phase,
)


@dataclass(frozen=True)
class CheckInSettings:
    """Per-household timing (seconds) and preferences."""

    turn_s: int = 120
    reflect_s: int = 60
    clarify_s: int = 30
    reflect_again_s: int = 45
    appreciate_s: int = 40
    morning_s: int = 60
    round_s: int = 60
    """Each turn of the appreciation round."""
    breathe_s: int = 60
    skip_intro: bool = False
    soft_sounds: bool = False

    def length_ms(self, phase: Phase) -> int:
        seconds = {
            Kind.SHARE: self.turn_s,
            Kind.REFLECT: self.reflect_s,
            Kind.CLARIFY: self.clarify_s,
            Kind.REFLECT_AGAIN: self.reflect_again_s,
            Kind.MORNING: self.morning_s,
            Kind.APPRECIATE: self.appreciate_s,
            Kind.APPRECIATION_ROUND: self.round_s,
            Kind.BREATHE: self.breathe_s,
        }[KIND[phase]]
        return seconds * SECOND


def turn_minutes_allowed(minutes: int) -> bool:
    low, high = TURN_MINUTES
    return low <= minutes <= high


@dataclass(frozen=True)
class Spot:
    """A position inside a timed phase: ``at_ms`` of ``length_ms`` already spent.

    ``extra_ms`` is time added by "more time" (part of ``length_ms``).
    """

    phase: Phase
    at_ms: int = 0
    length_ms: int = 0
    extra_ms: int = 0

    def remaining_ms(self) -> int:
        return max(0, self.length_ms - self.at_ms)


@dataclass(frozen=True)
class Slot:
    """A stretch of a timed phase scheduled in one response's audio.

    The phase's own time runs from ``begin_ms`` (audio offset, after its start
    cue and chime) while the phase goes from ``start_ms`` to ``stop_ms`` of its
    ``length_ms``.
    """

    phase: Phase
    begin_ms: int
    start_ms: int
    stop_ms: int
    length_ms: int
    extra_ms: int = 0


@dataclass(frozen=True)
class Progress:
    """A check-in under way: kept in the session and mirrored in the household."""

    phase: Phase
    since: datetime
    """When the latest response's audio began (the request's instant)."""
    until: datetime
    """When that audio ends: the waiting phase began then."""
    morning: bool = False
    appreciation: bool = False
    """The weekly appreciation round rather than a check-in."""
    starter: int = 0
    """Which of the household's names speaks first (0 or 1)."""
    began: datetime | None = None
    slots: tuple[Slot, ...] = ()
    held: Spot | None = None
    """The step to go back to from a hold, a pause, a breathing minute or a stop."""

    @property
    def active(self) -> bool:
        return self.phase in ACTIVE

    def resumable(self, at: datetime) -> bool:
        """Whether "continue our check-in" picks this up at ``at`` (else it starts fresh)."""
        return self.phase in ACTIVE | {Phase.ENDED} and at - self.until <= RESUME_WINDOW


@dataclass(frozen=True)
class Completed:
    """One finished check-in."""

    day: date
    minutes: int
    morning: bool = False


@dataclass(frozen=True)
class CheckInRecord:
    """What the household keeps for this feature: settings, counters, the last few, and the
    check-in under way (so it can be continued from another session)."""

    settings: CheckInSettings = field(default_factory=CheckInSettings)
    next_starter: int = 0
    count: int = 0
    morning_count: int = 0
    total_minutes: int = 0
    last_date: date | None = None
    recent: tuple[Completed, ...] = ()
    active: Progress | None = None
    rounds: int = 0
    """Appreciation rounds completed (they are not counted as check-ins)."""

    def completed(self, day: date, minutes: int, morning: bool) -> CheckInRecord:
        """The record after a check-in finished (the under-way mirror is cleared)."""
        return replace(
            self,
            count=self.count + 1,
            morning_count=self.morning_count + (1 if morning else 0),
            total_minutes=self.total_minutes + minutes,
            last_date=day,
            recent=(*self.recent, Completed(day, minutes, morning))[-RECENT:],
            active=None,
        )

    def appreciated(self) -> CheckInRecord:
        """The record after an appreciation round finished."""
        return replace(self, rounds=self.rounds + 1, active=None)
