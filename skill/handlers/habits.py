"""Handlers for the nightly reminder, the screen-free timer, the routine tip, the time
capsule, the appreciation round, and the answer to a permission asked by voice.

The calls to Alexa's Reminders and Timers APIs are made by ``Handler`` (``base.perform``)
when a service answers with an ``AlertStep``; each handler only says which use case, and
what the request tells about the household's permissions.
"""

from __future__ import annotations

from skill.domain.alerts import REMINDERS, TIMERS
from skill.envelope import Request
from skill.exchange import Exchange
from skill.handlers.base import Handler
from skill.reply import Reply
from skill.services import check_in, habits
from skill.services.alerts import Step
from skill.turn import Turn


class SetReminderIntentHandler(Handler):
    """ "Remind us every night at nine"; "move our reminder to 8:30"."""

    intents = ("SetReminderIntent", "MoveReminderIntent")

    def respond(self, turn: Turn, request: Request) -> Step:
        return habits.set_reminder(turn, request.slot("time"), request.permits(REMINDERS))


class StopRemindersIntentHandler(Handler):
    intents = ("StopRemindersIntent",)

    def respond(self, turn: Turn, request: Request) -> Step:
        return habits.stop_reminders(turn)


class ReminderStatusIntentHandler(Handler):
    intents = ("ReminderStatusIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return habits.reminder_status(turn)


class RoutineTipIntentHandler(Handler):
    intents = ("RoutineTipIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return habits.routine_tip(turn)


class StartScreenFreeIntentHandler(Handler):
    intents = ("StartScreenFreeIntent",)

    def respond(self, turn: Turn, request: Request) -> Step:
        return habits.start_screen_free(turn, request.slot("duration"), request.permits(TIMERS))


class ScreenFreeLengthIntentHandler(Handler):
    intents = ("ScreenFreeLengthIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return habits.set_screen_free_length(turn, request.slot("duration"))


class PermissionAnswerHandler(Handler):
    """``Connections.Response`` to the permission asked by voice (``AskFor``)."""

    request_types = ("Connections.Response",)

    def applies(self, exchange: Exchange) -> bool:
        answer = exchange.request.connection
        return answer is not None and answer.name == "AskFor"

    def respond(self, turn: Turn, request: Request) -> Step:
        answer = request.connection
        if answer is None:
            return habits.permission_answered(turn, None, None)
        return habits.permission_answered(turn, answer.code, answer.status)


class StartCapsuleIntentHandler(Handler):
    intents = ("StartCapsuleIntent",)

    def respond(self, turn: Turn, request: Request) -> Step:
        return habits.start_capsule(turn)


class CapsuleWhenIntentHandler(Handler):
    intents = ("CapsuleWhenIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return habits.capsule_when(turn)


class AppreciationRoundIntentHandler(Handler):
    intents = ("AppreciationRoundIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.start_appreciation(turn)


HANDLERS: tuple[Handler, ...] = (
    SetReminderIntentHandler(),
    StopRemindersIntentHandler(),
    ReminderStatusIntentHandler(),
    RoutineTipIntentHandler(),
    StartScreenFreeIntentHandler(),
    ScreenFreeLengthIntentHandler(),
    PermissionAnswerHandler(),
    StartCapsuleIntentHandler(),
    CapsuleWhenIntentHandler(),
    AppreciationRoundIntentHandler(),
)
