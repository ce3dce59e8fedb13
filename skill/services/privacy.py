"""Forgetting a household: on request (after a yes) and when the skill is disabled."""

from __future__ import annotations

from skill.reply import Ask, Reply
from skill.turn import Turn

KEEP_STATUS = "PERSISTED"
"""SkillDisabled: Alexa keeps the account's data, so the household's is kept too."""


def ask_to_forget(turn: Turn) -> Reply:
    return Reply.ask(
        "privacy.confirm_forget", "privacy.confirm_forget_reprompt", pending=Ask.FORGET
    )


def forget(turn: Turn) -> Reply:
    """The yes: delete everything stored for the household."""
    return Reply(speech=Reply.tell("privacy.forgotten").speech, forget=True)


def keep(turn: Turn) -> Reply:
    return Reply.tell("privacy.kept")


def skill_disabled(persistence_status: str | None) -> Reply:
    """Alexa says the household disabled the skill: delete its data unless Alexa keeps it."""
    return Reply.nothing(forget=persistence_status != KEEP_STATUS)
