"""Someone says they are unsafe, hurt or threatened, or that they (or their partner) may take
their own life: the answer that fits, at once, from anywhere."""

from __future__ import annotations

from skill.reply import Reply


def answer() -> Reply:
    """The locale's emergency number and a domestic-abuse helpline, kindly, then goodbye.

    Nothing is read or written: the answer must come even when the household's store is
    unreachable, and it leaves no trace in the household's notes."""
    return Reply.tell("safety.answer")


def crisis() -> Reply:
    """The locale's crisis line and emergency number, kindly, then goodbye; like ``answer``,
    without touching the store."""
    return Reply.tell("safety.crisis")
