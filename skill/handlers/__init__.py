"""The routing table: ask-sdk tries handlers in this order and the first that can handle wins.

Flow-gated handlers (a check-in in progress) come before the general ones, and
the catch-alls come last.
"""

from __future__ import annotations

from skill.handlers import check_in, core, decks, habits, plan, privacy, progress, questions
from skill.handlers.base import Matcher

REQUEST_HANDLERS: tuple[Matcher, ...] = (
    *progress.FLOW_HANDLERS,
    *check_in.HANDLERS,
    *questions.HANDLERS,
    *decks.HANDLERS,
    *progress.HANDLERS,
    *plan.HANDLERS,
    *privacy.HANDLERS,
    *habits.HANDLERS,
    *core.HANDLERS,
    *core.CATCH_ALL,
)
