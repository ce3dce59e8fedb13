"""The check-in's transition table: phase x event -> phase, written out in full.

A pair missing from a phase's row is an event that does not fit that phase (the skill
stays with the current step). ``Jump.BACK`` returns to the step that a hold, pause,
breathing minute or stop interrupted, with the time it had left; ``Jump.PAST`` skips that
step. At a step that waits for "ready", "not yet" (NO) and "give us a minute" (PAUSE, at
the set-up) lead back to the same step: a kind wait, still listening; at a pause, "not
yet" and "pause" start another quiet wait; "go on" and
"continue" (READY, RESUME) move on wherever a step waits, the reflection's yes included.
``closer check-in-table`` prints this table as a grid.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from skill.domain.check_in.phases import Event, Jump, Phase, Target

ROWS: Mapping[Phase, Mapping[Event, Target]] = MappingProxyType({
    Phase.IDLE: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.CONTINUE: Phase.SETUP,
    },
    Phase.SETUP: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.READY: Phase.SPEAK_1, Event.YES: Phase.SPEAK_1, Event.SKIP: Phase.SPEAK_1,
        Event.RESUME: Phase.SPEAK_1, Event.NO: Phase.SETUP, Event.PAUSE: Phase.SETUP,
        Event.CONTINUE: Phase.SETUP, Event.TIME_OUT: Phase.BREATHING,
        Event.STOP: Phase.ENDED, Event.REPEAT: Phase.SETUP, Event.HELP: Phase.SETUP,
    },
    Phase.MORNING_SETUP: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.READY: Phase.MORNING_1, Event.YES: Phase.MORNING_1, Event.SKIP: Phase.MORNING_1,
        Event.RESUME: Phase.MORNING_1, Event.NO: Phase.MORNING_SETUP,
        Event.PAUSE: Phase.MORNING_SETUP, Event.CONTINUE: Phase.MORNING_SETUP,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED,
        Event.REPEAT: Phase.MORNING_SETUP, Event.HELP: Phase.MORNING_SETUP,
    },
    Phase.SPEAK_1: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.REFLECT_1, Event.SKIP: Phase.REFLECT_1, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.SPEAK_1, Event.MORE_TIME: Phase.SPEAK_1,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.SPEAK_1,
        Event.HELP: Phase.SPEAK_1,
    },
    Phase.REFLECT_1: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.CONFIRM_1, Event.SKIP: Phase.CONFIRM_1, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.REFLECT_1, Event.MORE_TIME: Phase.REFLECT_1,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.REFLECT_1,
        Event.HELP: Phase.REFLECT_1,
    },
    Phase.CONFIRM_1: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.YES: Phase.SPEAK_2, Event.NO: Phase.CLARIFY_1, Event.SKIP: Phase.SPEAK_2,
        Event.READY: Phase.SPEAK_2, Event.RESUME: Phase.SPEAK_2,
        Event.PAUSE: Phase.PAUSED, Event.CONTINUE: Phase.CONFIRM_1,
        Event.MORE_TIME: Phase.SPEAK_1, Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED,
        Event.REPEAT: Phase.CONFIRM_1, Event.HELP: Phase.CONFIRM_1,
    },
    Phase.CLARIFY_1: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.REFLECT_AGAIN_1, Event.SKIP: Phase.REFLECT_AGAIN_1,
        Event.PAUSE: Phase.PAUSED, Event.CONTINUE: Phase.CLARIFY_1,
        Event.MORE_TIME: Phase.CLARIFY_1, Event.TIME_OUT: Phase.BREATHING,
        Event.STOP: Phase.ENDED, Event.REPEAT: Phase.CLARIFY_1, Event.HELP: Phase.CLARIFY_1,
    },
    Phase.REFLECT_AGAIN_1: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.SPEAK_2, Event.SKIP: Phase.SPEAK_2, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.REFLECT_AGAIN_1, Event.MORE_TIME: Phase.REFLECT_AGAIN_1,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED,
        Event.REPEAT: Phase.REFLECT_AGAIN_1, Event.HELP: Phase.REFLECT_AGAIN_1,
    },
    Phase.SPEAK_2: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.REFLECT_2, Event.SKIP: Phase.REFLECT_2, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.SPEAK_2, Event.MORE_TIME: Phase.SPEAK_2,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.SPEAK_2,
        Event.HELP: Phase.SPEAK_2,
    },
    Phase.REFLECT_2: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.CONFIRM_2, Event.SKIP: Phase.CONFIRM_2, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.REFLECT_2, Event.MORE_TIME: Phase.REFLECT_2,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.REFLECT_2,
        Event.HELP: Phase.REFLECT_2,
    },
    Phase.CONFIRM_2: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.YES: Phase.APPRECIATE, Event.NO: Phase.CLARIFY_2, Event.SKIP: Phase.APPRECIATE,
        Event.READY: Phase.APPRECIATE, Event.RESUME: Phase.APPRECIATE,
        Event.PAUSE: Phase.PAUSED, Event.CONTINUE: Phase.CONFIRM_2,
        Event.MORE_TIME: Phase.SPEAK_2, Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED,
        Event.REPEAT: Phase.CONFIRM_2, Event.HELP: Phase.CONFIRM_2,
    },
    Phase.CLARIFY_2: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.REFLECT_AGAIN_2, Event.SKIP: Phase.REFLECT_AGAIN_2,
        Event.PAUSE: Phase.PAUSED, Event.CONTINUE: Phase.CLARIFY_2,
        Event.MORE_TIME: Phase.CLARIFY_2, Event.TIME_OUT: Phase.BREATHING,
        Event.STOP: Phase.ENDED, Event.REPEAT: Phase.CLARIFY_2, Event.HELP: Phase.CLARIFY_2,
    },
    Phase.REFLECT_AGAIN_2: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.APPRECIATE, Event.SKIP: Phase.APPRECIATE, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.REFLECT_AGAIN_2, Event.MORE_TIME: Phase.REFLECT_AGAIN_2,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED,
        Event.REPEAT: Phase.REFLECT_AGAIN_2, Event.HELP: Phase.REFLECT_AGAIN_2,
    },
    Phase.APPRECIATE: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.DONE, Event.SKIP: Phase.DONE, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.APPRECIATE, Event.MORE_TIME: Phase.APPRECIATE,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.APPRECIATE,
        Event.HELP: Phase.APPRECIATE,
    },
    Phase.MORNING_1: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.MORNING_2, Event.SKIP: Phase.MORNING_2, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.MORNING_1, Event.MORE_TIME: Phase.MORNING_1,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.MORNING_1,
        Event.HELP: Phase.MORNING_1,
    },
    Phase.MORNING_2: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.DONE, Event.SKIP: Phase.DONE, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.MORNING_2, Event.MORE_TIME: Phase.MORNING_2,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.MORNING_2,
        Event.HELP: Phase.MORNING_2,
    },
    Phase.APPRECIATION_SETUP: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.READY: Phase.APPRECIATION_1, Event.YES: Phase.APPRECIATION_1,
        Event.SKIP: Phase.APPRECIATION_1, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.APPRECIATION_SETUP, Event.TIME_OUT: Phase.BREATHING,
        Event.STOP: Phase.ENDED, Event.REPEAT: Phase.APPRECIATION_SETUP,
        Event.HELP: Phase.APPRECIATION_SETUP,
    },
    Phase.APPRECIATION_1: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.APPRECIATION_2, Event.SKIP: Phase.APPRECIATION_2,
        Event.PAUSE: Phase.PAUSED, Event.CONTINUE: Phase.APPRECIATION_1,
        Event.MORE_TIME: Phase.APPRECIATION_1, Event.TIME_OUT: Phase.BREATHING,
        Event.STOP: Phase.ENDED, Event.REPEAT: Phase.APPRECIATION_1,
        Event.HELP: Phase.APPRECIATION_1,
    },
    Phase.APPRECIATION_2: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.DONE, Event.SKIP: Phase.DONE, Event.PAUSE: Phase.PAUSED,
        Event.CONTINUE: Phase.APPRECIATION_2, Event.MORE_TIME: Phase.APPRECIATION_2,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED,
        Event.REPEAT: Phase.APPRECIATION_2, Event.HELP: Phase.APPRECIATION_2,
    },
    Phase.HOLD: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.READY: Jump.BACK, Event.YES: Jump.BACK, Event.NO: Phase.HOLD, Event.SKIP: Jump.PAST,
        Event.PAUSE: Phase.PAUSED, Event.RESUME: Jump.BACK, Event.CONTINUE: Jump.BACK,
        Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.HOLD,
        Event.HELP: Phase.HOLD,
    },
    Phase.PAUSED: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.READY: Jump.BACK, Event.YES: Jump.BACK, Event.NO: Phase.PAUSED,
        Event.SKIP: Jump.PAST, Event.PAUSE: Phase.PAUSED, Event.RESUME: Jump.BACK,
        Event.CONTINUE: Jump.BACK, Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED,
        Event.REPEAT: Phase.PAUSED, Event.HELP: Phase.PAUSED,
    },
    Phase.BREATHING: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.ELAPSED: Phase.AFTER_BREATH, Event.SKIP: Phase.AFTER_BREATH,
        Event.PAUSE: Phase.PAUSED, Event.CONTINUE: Phase.BREATHING,
        Event.MORE_TIME: Phase.BREATHING, Event.STOP: Phase.ENDED, Event.REPEAT: Phase.BREATHING,
        Event.HELP: Phase.BREATHING,
    },
    Phase.AFTER_BREATH: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.READY: Jump.BACK, Event.YES: Jump.BACK, Event.NO: Phase.ENDED,
        Event.SKIP: Jump.PAST, Event.PAUSE: Phase.PAUSED, Event.RESUME: Jump.BACK,
        Event.CONTINUE: Jump.BACK, Event.TIME_OUT: Phase.BREATHING, Event.STOP: Phase.ENDED,
        Event.REPEAT: Phase.AFTER_BREATH, Event.HELP: Phase.AFTER_BREATH,
    },
    Phase.ENDED: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.RESUME: Jump.BACK, Event.CONTINUE: Jump.BACK,
    },
    Phase.DONE: {
        Event.START: Phase.SETUP, Event.START_MORNING: Phase.MORNING_SETUP,
        Event.START_APPRECIATION: Phase.APPRECIATION_SETUP,
        Event.CONTINUE: Phase.SETUP,
    },
})
"""Every valid move, by the phase the household is in."""

TABLE: Mapping[tuple[Phase, Event], Target] = MappingProxyType(
    {(phase, event): goal for phase, row in ROWS.items() for event, goal in row.items()}
)


def target(phase: Phase, event: Event) -> Target | None:
    """Where ``event`` leads from ``phase``; None when it does not fit."""
    return TABLE.get((phase, event))
