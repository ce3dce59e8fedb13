"""Someone says they are unsafe, hurt or threatened: the safety answer, at once, from anywhere."""

from __future__ import annotations

from skill.reply import Reply


def answer() -> Reply:
    """The locale's emergency number and a domestic-abuse helpline, kindly, then goodbye.

    Nothing is read or written: the answer must come even when the household's store is
    unreachable, and it leaves no trace in the household's notes."""
    return Reply.tell("safety.answer")
