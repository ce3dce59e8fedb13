"""A use case that needs Alexa's alerts APIs answers with an ``AlertStep``: the call to make
and what to do with its outcome. The handler layer makes the call (``skill.alerts``), with a
short timeout, and hands the outcome back; nothing here touches the network."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from skill.domain.alerts import AlertCall, AlertOutcome
from skill.reply import Reply
from skill.turn import Turn

MAX_CALLS = 2
"""Calls one turn may make: one, and at most one follow-up (a vanished reminder made anew)."""


@dataclass(frozen=True)
class AlertStep:
    call: AlertCall
    then: Callable[[Turn, AlertOutcome], Step]
    """What the outcome leads to: a Reply, or (at most once more) another call."""


Step = Reply | AlertStep
"""What a use case that may call the alerts APIs returns."""
