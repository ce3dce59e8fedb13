"""Yes/No answers to a question the skill just asked.

A service that asks a yes/no question returns ``Reply(..., pending="feature.topic")``;
the answer comes back through ``answer`` to the function registered for that name.
"""

from __future__ import annotations

from collections.abc import Callable

from skill.reply import Reply
from skill.turn import Turn

Answer = Callable[[Turn, bool], Reply]
_ANSWERS: dict[str, Answer] = {}


def on_answer(name: str) -> Callable[[Answer], Answer]:
    def register(function: Answer) -> Answer:
        if name in _ANSWERS:
            raise ValueError(f"two answers registered for {name!r}")
        _ANSWERS[name] = function
        return function

    return register


def registered() -> frozenset[str]:
    return frozenset(_ANSWERS)


def answer(turn: Turn, yes: bool) -> Reply:
    pending = turn.pending
    function = _ANSWERS.get(pending) if pending else None
    if function is None:
        return Reply.ask("yes_no.unexpected", "yes_no.unexpected_reprompt")
    return function(turn, yes)
