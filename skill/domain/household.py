"""The household: everything Closer Together remembers for one Alexa account."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from skill.domain.check_in import CheckInRecord
from skill.domain.closeness import Closeness
from skill.domain.habits import HabitsState
from skill.domain.plan import PlanState
from skill.domain.questions import QuestionProgress
from skill.domain.voices import Voices

MAX_NAMES = 2
SSML_HOSTILE = frozenset('<>&"\\{}')


def speakable(text: str) -> str:
    """``text`` fit to speak and to store: control and format characters, line separators and
    SSML-hostile characters are dropped, and runs of spaces become one."""
    kept = (
        " " if char.isspace() else char
        for char in text
        if char not in SSML_HOSTILE
        and (char.isspace() or unicodedata.category(char)[0] != "C")
        and unicodedata.category(char) not in ("Zl", "Zp")
    )
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class Household:
    """A household's state. Small and bounded: counters and the last few records only.

    Its stored form is ``skill.codec``'s business.
    """

    visits: int = 0
    first_seen: date | None = None
    last_seen: date | None = None
    timezone: str | None = None
    timezone_checked: date | None = None
    names: tuple[str, ...] = ()
    questions: QuestionProgress = field(default_factory=QuestionProgress)
    check_in: CheckInRecord = field(default_factory=CheckInRecord)
    plan: PlanState = field(default_factory=PlanState)
    closeness: Closeness = field(default_factory=Closeness)
    voices: Voices = ()
    """Recognised voices (digests of Alexa person ids), each matched to one of ``names``."""
    habits: HabitsState = field(default_factory=HabitsState)
    names_invited: bool = False
    """An unnamed couple has been invited once to give their first names."""

    @property
    def is_new(self) -> bool:
        """Never opened the skill and never used any feature (a looked-up zone aside)."""
        return replace(self, timezone=None, timezone_checked=None) == Household()
