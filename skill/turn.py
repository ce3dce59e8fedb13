"""What a use case sees of one request: the household, the local clock, the words, the session.

A Turn is built by the handler once the household is loaded and its time zone known; a
service reads it, may ``update`` the household, and returns a Reply. It never sees the
request envelope, the store or the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skill.content.catalog import LocaleCatalog
from skill.domain.clock import LocalClock
from skill.domain.household import Household
from skill.reply import ASKED, PENDING, Ask, Question


@dataclass
class Turn:
    household: Household
    clock: LocalClock
    catalog: LocaleCatalog
    session: Mapping[str, Any]
    """This session's attributes as they arrived (a Reply says how they change)."""
    person: str | None = None
    """The recognised speaker's voice digest, when Alexa recognised a voice profile."""

    @property
    def now(self) -> datetime:
        """The request's instant, in the household's zone."""
        return self.clock.now

    @property
    def pending(self) -> Ask | None:
        """The yes/no question the household was just asked, if any."""
        return Ask.read(self.session.get(PENDING))

    @property
    def asked(self) -> Question | None:
        """The open question the household was just asked, if any."""
        return Question.read(self.session.get(ASKED))

    def update(self, household: Household) -> None:
        """Replace the household state; it is written once, after the reply, if it changed."""
        self.household = household
