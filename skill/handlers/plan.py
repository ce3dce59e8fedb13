"""Handlers for the 8-week plan, the daily and weekly rituals, and the guidance topics."""

from __future__ import annotations

from skill.envelope import Request
from skill.handlers.base import Handler
from skill.reply import Reply
from skill.services import plan, rituals
from skill.turn import Turn


class StartPlanIntentHandler(Handler):
    intents = ("StartPlanIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return plan.start(turn)


class PlanWeekIntentHandler(Handler):
    intents = ("PlanWeekIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return plan.current_week(turn)


class PlanPracticesIntentHandler(Handler):
    intents = ("PlanPracticesIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return plan.practices(turn)


class NextWeekIntentHandler(Handler):
    intents = ("NextWeekIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return plan.next_week(turn)


class PreviousWeekIntentHandler(Handler):
    intents = ("PreviousWeekIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return plan.go_back(turn)


class StayOnWeekIntentHandler(Handler):
    intents = ("StayOnWeekIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return plan.stay_longer(turn)


class RestartPlanIntentHandler(Handler):
    intents = ("RestartPlanIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return plan.restart(turn)


class PlanProgressIntentHandler(Handler):
    intents = ("PlanProgressIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return plan.progress(turn)


class TodaysRitualIntentHandler(Handler):
    intents = ("TodaysRitualIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return rituals.todays_ritual(turn)


class WeeklyRitualsIntentHandler(Handler):
    intents = ("WeeklyRitualsIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return rituals.weekly(turn)


class DailyRitualsIntentHandler(Handler):
    intents = ("DailyRitualsIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return rituals.daily(turn)


class SetCheckInDayIntentHandler(Handler):
    intents = ("SetCheckInDayIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return rituals.set_check_in_day(turn, request.slot("day"))


class GuidanceIntentHandler(Handler):
    intents = ("GuidanceIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return rituals.guidance(turn, request.slot("topic"))


class OutsideHelpIntentHandler(Handler):
    intents = ("OutsideHelpIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return rituals.outside_help(turn)


HANDLERS: tuple[Handler, ...] = (
    StartPlanIntentHandler(),
    PlanWeekIntentHandler(),
    PlanPracticesIntentHandler(),
    NextWeekIntentHandler(),
    PreviousWeekIntentHandler(),
    StayOnWeekIntentHandler(),
    RestartPlanIntentHandler(),
    PlanProgressIntentHandler(),
    TodaysRitualIntentHandler(),
    WeeklyRitualsIntentHandler(),
    DailyRitualsIntentHandler(),
    SetCheckInDayIntentHandler(),
    GuidanceIntentHandler(),
    OutsideHelpIntentHandler(),
)
