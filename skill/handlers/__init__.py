"""The routing table: ask-sdk tries handlers in this order and the first that can handle wins.

Safety comes first of all (it answers in every state), then the flow-gated handlers
(a check-in in progress) before the general ones, and the catch-alls last.
"""

from __future__ import annotations

from skill.handlers import (
    answers,
    check_in,
    core,
    decks,
    habits,
    plan,
    privacy,
    progress,
    questions,
    safety,
)
from skill.handlers.base import Matcher

REQUEST_HANDLERS: tuple[Matcher, ...] = (
    *safety.HANDLERS,
    *progress.FLOW_HANDLERS,
    *check_in.HANDLERS,
    *questions.HANDLERS,
    *decks.HANDLERS,
    *progress.HANDLERS,
    *plan.HANDLERS,
    *privacy.HANDLERS,
    *habits.HANDLERS,
    *answers.HANDLERS,
    *core.HANDLERS,
    *core.CATCH_ALL,
)
