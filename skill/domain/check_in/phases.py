"""The check-in's vocabulary: its phases, the events that move it, and what each timed phase is.

A check-in moves through ``Phase``s by the transition table in ``table.py``. Timed phases
(someone sharing, the listener reflecting back, a breathing minute) are played as
APL-for-audio timelines; waiting phases ask a question and keep the session open.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType

SECOND = 1000
MINUTE = 60 * SECOND
BUDGET_MS = 235 * SECOND
"""Audio one response may hold: Alexa allows 240 s; five are kept for estimate error."""
MIN_PART_MS = 20 * SECOND
EXTRA_MS = MINUTE
"""What "more time" adds."""
MARK_GAP_MS = 5 * SECOND
"""A cue this close after a (re)start is left out: the start cue has just spoken."""
PAUSE_WAIT_MS = 200 * SECOND
"""The quiet wait a pause holds before asking gently whether to go on."""
TURN_MINUTES = (1, 5)
RESUME_WINDOW = timedelta(minutes=30)
RECENT = 5
"""Completed check-ins remembered in detail (the counters cover the rest)."""


class Phase(StrEnum):
    IDLE = "idle"
    SETUP = "setup"
    MORNING_SETUP = "morning_setup"
    SPEAK_1 = "speak_1"
    REFLECT_1 = "reflect_1"
    CONFIRM_1 = "confirm_1"
    CLARIFY_1 = "clarify_1"
    REFLECT_AGAIN_1 = "reflect_again_1"
    SPEAK_2 = "speak_2"
    REFLECT_2 = "reflect_2"
    CONFIRM_2 = "confirm_2"
    CLARIFY_2 = "clarify_2"
    REFLECT_AGAIN_2 = "reflect_again_2"
    APPRECIATE = "appreciate"
    MORNING_1 = "morning_1"
    MORNING_2 = "morning_2"
    APPRECIATION_SETUP = "appreciation_setup"
    """The weekly appreciation round: waiting for "ready"."""
    APPRECIATION_1 = "appreciation_1"
    APPRECIATION_2 = "appreciation_2"
    HOLD = "hold"
    """Waiting for the go-ahead to play the next timed part (it did not fit the last response)."""
    PAUSED = "paused"
    BREATHING = "breathing"
    AFTER_BREATH = "after_breath"
    ENDED = "ended"
    """Stopped early; can be continued within the resume window."""
    DONE = "done"


class Event(StrEnum):
    START = "start"
    START_MORNING = "start_morning"
    START_APPRECIATION = "start_appreciation"
    READY = "ready"
    YES = "yes"
    NO = "no"
    ELAPSED = "elapsed"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    CONTINUE = "continue"
    """Picking the check-in up again in a new session."""
    MORE_TIME = "more_time"
    TIME_OUT = "time_out"
    STOP = "stop"
    REPEAT = "repeat"
    HELP = "help"


class Jump(StrEnum):
    BACK = "back"
    """Return to the held step, with the time it had left."""
    PAST = "past"
    """Skip the held step."""


Target = Phase | Jump


class Kind(StrEnum):
    """What happens in a timed phase."""

    SHARE = "share"
    REFLECT = "reflect"
    CLARIFY = "clarify"
    REFLECT_AGAIN = "reflect_again"
    MORNING = "morning"
    APPRECIATE = "appreciate"
    APPRECIATION_ROUND = "appreciation_round"
    """A turn of the weekly appreciation round: what one noticed and valued this week."""
    BREATHE = "breathe"


KIND: Mapping[Phase, Kind] = MappingProxyType(
    {
        Phase.SPEAK_1: Kind.SHARE,
        Phase.SPEAK_2: Kind.SHARE,
        Phase.REFLECT_1: Kind.REFLECT,
        Phase.REFLECT_2: Kind.REFLECT,
        Phase.CLARIFY_1: Kind.CLARIFY,
        Phase.CLARIFY_2: Kind.CLARIFY,
        Phase.REFLECT_AGAIN_1: Kind.REFLECT_AGAIN,
        Phase.REFLECT_AGAIN_2: Kind.REFLECT_AGAIN,
        Phase.MORNING_1: Kind.MORNING,
        Phase.MORNING_2: Kind.MORNING,
        Phase.APPRECIATE: Kind.APPRECIATE,
        Phase.APPRECIATION_1: Kind.APPRECIATION_ROUND,
        Phase.APPRECIATION_2: Kind.APPRECIATION_ROUND,
        Phase.BREATHING: Kind.BREATHE,
    }
)
TIMED: frozenset[Phase] = frozenset(KIND)
WAITING: frozenset[Phase] = frozenset(
    {
        Phase.SETUP,
        Phase.MORNING_SETUP,
        Phase.APPRECIATION_SETUP,
        Phase.CONFIRM_1,
        Phase.CONFIRM_2,
        Phase.HOLD,
        Phase.PAUSED,
        Phase.AFTER_BREATH,
    }
)
ACTIVE: frozenset[Phase] = TIMED | WAITING
HOLDING: frozenset[Phase] = frozenset({Phase.HOLD, Phase.PAUSED, Phase.AFTER_BREATH})
"""Waiting phases that remember a step to go back to."""
KEEPS_HELD: frozenset[Phase] = HOLDING | {Phase.BREATHING, Phase.ENDED}
"""Phases that keep the step they interrupted, to return to it."""
SECOND_ROUND: frozenset[Phase] = frozenset(
    {
        Phase.SPEAK_2,
        Phase.REFLECT_2,
        Phase.CONFIRM_2,
        Phase.CLARIFY_2,
        Phase.REFLECT_AGAIN_2,
        Phase.MORNING_2,
        Phase.APPRECIATION_2,
    }
)
SETUPS: frozenset[Phase] = frozenset({Phase.SETUP, Phase.MORNING_SETUP, Phase.APPRECIATION_SETUP})
CONFIRMS: frozenset[Phase] = frozenset({Phase.CONFIRM_1, Phase.CONFIRM_2})

NEXT: Mapping[Phase, Phase] = MappingProxyType(
    {
        Phase.SPEAK_1: Phase.REFLECT_1,
        Phase.REFLECT_1: Phase.CONFIRM_1,
        Phase.CLARIFY_1: Phase.REFLECT_AGAIN_1,
        Phase.REFLECT_AGAIN_1: Phase.SPEAK_2,
        Phase.SPEAK_2: Phase.REFLECT_2,
        Phase.REFLECT_2: Phase.CONFIRM_2,
        Phase.CLARIFY_2: Phase.REFLECT_AGAIN_2,
        Phase.REFLECT_AGAIN_2: Phase.APPRECIATE,
        Phase.APPRECIATE: Phase.DONE,
        Phase.MORNING_1: Phase.MORNING_2,
        Phase.MORNING_2: Phase.DONE,
        Phase.APPRECIATION_1: Phase.APPRECIATION_2,
        Phase.APPRECIATION_2: Phase.DONE,
        Phase.BREATHING: Phase.AFTER_BREATH,
    }
)
"""What follows a timed phase when its time is up."""
