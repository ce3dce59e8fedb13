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

from skill.reply import Ask
from skill.services import (
    check_in,
    closeness,
    habits,
    plan,
    privacy,
    questions,
    rituals,
    session,
)
from skill.services.alerts import Step
from skill.services.session import WelcomeNote
from skill.turn import Turn

UseCase = Callable[[Turn], Step]


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
        Ask.RATE_WEEK: FollowUp(yes=closeness.start, no=closeness.declined),
        Ask.REMINDER_OFFER: FollowUp(
            yes=habits.reminder_offer_accepted, no=habits.reminder_offer_declined
        ),
        Ask.APPRECIATION_ROUND: FollowUp(yes=check_in.start_appreciation, no=habits.round_declined),
        Ask.NEW_CAPSULE: FollowUp(yes=habits.new_capsule, no=habits.kept_capsule),
        Ask.BACK_TO_CHECK_IN: FollowUp(yes=check_in.resume, no=check_in.set_aside),
        Ask.LEAVE_FOR_QUESTION: FollowUp(yes=questions.tonight, no=check_in.resume),
        Ask.ANOTHER_QUESTION: FollowUp(yes=questions.evening_next, no=questions.evening_done),
        Ask.CONTINUE_CHECK_IN: FollowUp(yes=check_in.continue_check_in, no=session.something_else),
        Ask.START_CHECK_IN: FollowUp(yes=check_in.start, no=session.something_else),
    }
)
"""Every question the skill asks, and the use case each answer hands off to."""

WELCOME_NOTES: tuple[WelcomeNote, ...] = (
    check_in.welcome_note,
    habits.capsule_note,
    closeness.welcome_note,
    habits.round_offer,
    habits.reminder_offer,
    session.names_invite,
    plan.welcome_note,
)
"""Only the first note that speaks is heard, so the order is by how much waiting costs:
a check-in that can still be continued (gone in half an hour); the time capsule, ready after
three months and said once; the offer to rate the week, made on the weekly check-in day until
the week is rated (a quick question first); the appreciation round, offered once that day
after it; the nightly reminder, offered once ever (it keeps until the next launch); the
invitation to an unnamed couple to say their names, once ever; and this week's plan, which
is there on every launch and loses nothing by waiting."""
