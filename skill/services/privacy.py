"""Forgetting a household: on request (after a yes) and when the skill is disabled."""

from __future__ import annotations

from skill.reply import Reply
from skill.services import confirm, session
from skill.turn import Turn

FORGET = "privacy.forget"
KEEP_STATUS = "PERSISTED"


def ask_to_forget(turn: Turn) -> Reply:
    return Reply.ask("privacy.confirm_forget", "privacy.confirm_forget_reprompt", pending=FORGET)


@confirm.on_answer(FORGET)
def answer_forget(turn: Turn, yes: bool) -> Reply:
    if not yes:
        return Reply.tell("privacy.kept")
    turn.forget()
    return Reply.tell("privacy.forgotten")


def skill_disabled(turn: Turn) -> Reply:
    """Alexa tells us the household disabled the skill: delete its data unless Alexa keeps it."""
    request = turn.request.raw.get("request")
    body = request.get("body") if isinstance(request, dict) else None
    status = body.get("userInformationPersistenceStatus") if isinstance(body, dict) else None
    if status != KEEP_STATUS:
        turn.forget()
    return Reply.nothing()


def exception_encountered(turn: Turn) -> Reply:
    """Alexa could not use our last response: log what it said, answer nothing."""
    session.log_reported_error(turn, "alexa reported an error with our response")
    return Reply.nothing()
