"""Where a yes or a no leads, and what a returning household hears on launch.

The service that asks a yes/no question names it (``Reply(pending=Ask.X)``); this table,
in the routing layer, names the use cases its answers hand off to. Services return; the
router hands off. The welcome notes are tried in the order listed: the first one that
has something to say is spoken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from skill.reply import Ask, Reply
from skill.services import check_in, plan, privacy, questions, rituals
from skill.services.session import WelcomeNote
from skill.turn import Turn

UseCase = Callable[[Turn], Reply]


@dataclass(frozen=True)
class FollowUp:
    yes: UseCase
    no: UseCase


FOLLOW_UPS: Mapping[Ask, FollowUp] = MappingProxyType(
    {
        Ask.START_PLAN: FollowUp(yes=plan.start, no=plan.declined),
        Ask.PLAN_PRACTICES: FollowUp(yes=plan.practices, no=plan.declined),
        Ask.RESTART_PLAN: FollowUp(yes=plan.restarted, no=plan.kept),
        Ask.GO_BACK: FollowUp(yes=plan.went_back, no=plan.stayed),
        Ask.WEEKLY_RITUALS: FollowUp(yes=rituals.weekly, no=plan.declined),
        Ask.MORNING_CHECK_IN: FollowUp(yes=check_in.start_morning, no=rituals.declined),
        Ask.TONIGHTS_QUESTION: FollowUp(yes=questions.tonight, no=rituals.declined),
        Ask.START_QUESTIONS_OVER: FollowUp(yes=questions.started_over, no=questions.kept_place),
        Ask.FORGET: FollowUp(yes=privacy.forget, no=privacy.keep),
    }
)
"""Every question the skill asks, and the use case each answer hands off to."""

WELCOME_NOTES: tuple[WelcomeNote, ...] = (
    check_in.welcome_note,
    plan.welcome_note,
)
"""A check-in that can still be continued comes before this week's plan."""
