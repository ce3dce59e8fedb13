"""Each partner known by voice: "this is Sam" matches a recognised voice to one of the names.

Alexa sends a person id only for a speaker it recognised by voice profile (and only when
the skill has the personalisation permission); the household keeps a short digest of it,
never the id. Without voice profiles nothing changes: names are used as before.
"""

from __future__ import annotations

from dataclasses import replace

from skill.domain.voices import partner_named, remember
from skill.reply import CONTEXT, Question, Reply
from skill.turn import Turn

FEATURE = "voices"


def this_is(turn: Turn, spoken: str | None) -> Reply:
    """Match the speaker's voice to the name they gave, if Alexa recognised the voice."""
    names = turn.household.names
    if len(names) < 2:
        return Reply.tell("voices.names_first")
    partner = partner_named(names, spoken)
    if partner is None:
        return Reply.ask(
            "voices.who",
            "voices.who_reprompt",
            asked=Question.WHO_IS_THIS,
            first=names[0],
            second=names[1],
        ).with_session(**{CONTEXT: FEATURE})
    if turn.person is None:
        return Reply.tell("voices.no_profile", name=names[partner])
    voices = remember(turn.household.voices, turn.person, partner)
    if voices != turn.household.voices:
        turn.update(replace(turn.household, voices=voices))
    return Reply.tell("voices.known", name=names[partner])
