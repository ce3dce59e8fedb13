"""The hands-free timed check-in, as pure logic.

- ``phases``: the phases, events and kinds of timed phase, and what follows what;
- ``table``: the transition table, phase x event -> phase, written out as data;
- ``state``: settings, the household's record and a check-in under way;
- ``moves``: where a household is inside a response's audio, and applying one event;
- ``cues``: what is said to open, resume and close each step;
- ``compose``: one response's timed audio within Alexa's audio budget.
"""

from skill.domain.check_in.compose import Part, Performance, minutes_between, part, perform
from skill.domain.check_in.cues import Prompt, Voice, prompt, roles
from skill.domain.check_in.moves import Move, apply, between_parts, here, locate, start
from skill.domain.check_in.phases import (
    ACTIVE,
    BUDGET_MS,
    CONFIRMS,
    EXTRA_MS,
    HOLDING,
    KIND,
    MINUTE,
    NEXT,
    RECENT,
    RESUME_WINDOW,
    SECOND,
    SETUPS,
    TIMED,
    TURN_MINUTES,
    WAITING,
    Event,
    Jump,
    Kind,
    Phase,
    Target,
)
from skill.domain.check_in.state import (
    CheckInRecord,
    CheckInSettings,
    Completed,
    Progress,
    Slot,
    Spot,
    turn_minutes_allowed,
)
from skill.domain.check_in.table import ROWS, TABLE, target

__all__ = [
    "ACTIVE",
    "BUDGET_MS",
    "CONFIRMS",
    "EXTRA_MS",
    "HOLDING",
    "KIND",
    "MINUTE",
    "NEXT",
    "RECENT",
    "RESUME_WINDOW",
    "ROWS",
    "SECOND",
    "SETUPS",
    "TABLE",
    "TIMED",
    "TURN_MINUTES",
    "WAITING",
    "CheckInRecord",
    "CheckInSettings",
    "Completed",
    "Event",
    "Jump",
    "Kind",
    "Move",
    "Part",
    "Performance",
    "Phase",
    "Progress",
    "Prompt",
    "Slot",
    "Spot",
    "Target",
    "Voice",
    "apply",
    "between_parts",
    "here",
    "locate",
    "minutes_between",
    "part",
    "perform",
    "prompt",
    "roles",
    "start",
    "target",
    "turn_minutes_allowed",
]
