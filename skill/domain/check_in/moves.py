"""Moving through the table: where a household is inside a response's audio, and one event.

Nothing runs between requests, so where a couple is inside a response's audio is worked
out from the next request's time: each response remembers when its audio began
(``Progress.since``) and which stretches of which phases it scheduled (``Slot``), and
``locate`` finds the phase and the time already spent in it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from skill.domain.check_in.cues import TALKING
from skill.domain.check_in.phases import (
    EXTRA_MS,
    KEEPS_HELD,
    KIND,
    TIMED,
    Event,
    Jump,
    Phase,
    Target,
)
from skill.domain.check_in.state import CheckInSettings, Progress, Spot
from skill.domain.check_in.table import target


def start(morning: bool, starter: int, at: datetime, appreciation: bool = False) -> Progress:
    """A fresh check-in (or appreciation round), waiting for "ready"."""
    setup = Phase.MORNING_SETUP if morning else Phase.SETUP
    return Progress(
        phase=Phase.APPRECIATION_SETUP if appreciation else setup,
        since=at,
        until=at,
        morning=morning and not appreciation,
        appreciation=appreciation,
        starter=starter,
    )


def locate(progress: Progress, at: datetime) -> Spot | None:
    """Where in the latest response's audio the household is at ``at``.

    A Spot inside a timed phase while its audio is still playing; None once the
    audio is over (the household is then in ``progress.phase``).
    """
    elapsed = int((at - progress.since).total_seconds() * 1000)
    for slot in progress.slots:
        if elapsed < slot.begin_ms + (slot.stop_ms - slot.start_ms):
            position = slot.start_ms + max(0, elapsed - slot.begin_ms)
            return Spot(slot.phase, position, slot.length_ms, slot.extra_ms)
    return None


def here(progress: Progress, at: datetime) -> Phase:
    """The phase the household is in at ``at``: inside the audio, or waiting after it."""
    spot = locate(progress, at)
    return spot.phase if spot else progress.phase


def between_parts(progress: Progress, at: datetime) -> bool:
    """Whether the household waits between two parts of one person's turn (it was too long
    for one response) with the audio over: the speaker is most likely still talking."""
    held = progress.held
    if progress.phase is not Phase.HOLD or held is None or locate(progress, at) is not None:
        return False
    return held.at_ms > 0 and KIND.get(held.phase) in TALKING


@dataclass(frozen=True)
class Move:
    """The outcome of one event: where it happened, where it leads, what to play from."""

    event: Event
    here: Phase
    spot: Spot | None
    """The position inside a timed phase the event interrupted, if any."""
    goal: Phase | None
    """The phase the event leads to; None when it does not fit ``here``."""
    play: Spot | None
    """The timed phase to play from, when the goal is timed."""
    progress: Progress
    """The progress after the move, before any audio is composed."""

    @property
    def valid(self) -> bool:
        return self.goal is not None


def apply(progress: Progress, event: Event, at: datetime, settings: CheckInSettings) -> Move:
    """Apply an event at an instant: the pure core of every check-in turn."""
    spot = locate(progress, at)
    now_in = spot.phase if spot else progress.phase
    raw = target(now_in, event)
    resolved = None if raw is None else _resolve(raw, event, now_in, spot, progress.held)
    if resolved is None:
        return Move(event, now_in, spot, None, spot, progress)
    goal, play = resolved
    interrupted = progress.held if now_in in KEEPS_HELD else spot or Spot(now_in)
    after = replace(
        progress,
        phase=progress.phase if goal in TIMED else goal,
        held=interrupted if goal in KEEPS_HELD else None,
        slots=(),
        since=at,
        until=at,
    )
    return Move(event, now_in, spot, goal, _timed(goal, play, settings), after)


def _resolve(
    raw: Target, event: Event, now_in: Phase, spot: Spot | None, held: Spot | None
) -> tuple[Phase, Spot] | None:
    """The goal phase and where to play it from; None when a jump has nowhere to go."""
    if isinstance(raw, Phase):
        return raw, _play_from(raw, event, now_in, spot)
    if held is None:
        return None
    if raw is Jump.BACK:
        return held.phase, held
    past = target(held.phase, Event.SKIP)
    return (past, Spot(past)) if isinstance(past, Phase) else None


def _play_from(goal: Phase, event: Event, now_in: Phase, spot: Spot | None) -> Spot:
    if event is Event.MORE_TIME and spot is not None:
        return replace(spot, length_ms=spot.length_ms + EXTRA_MS, extra_ms=spot.extra_ms + EXTRA_MS)
    if event is Event.MORE_TIME:
        return Spot(goal, 0, EXTRA_MS)
    if goal is now_in and spot is not None:
        return spot
    return Spot(goal)


def _timed(goal: Phase, play: Spot, settings: CheckInSettings) -> Spot | None:
    """Only timed goals play; a spot without a length gets the phase's own."""
    if goal not in TIMED:
        return None
    return play if play.length_ms else replace(play, length_ms=settings.length_ms(goal))
