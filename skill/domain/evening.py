"""A question evening: questions one after another, with a quiet wait after each.

After each question the couple gets a few minutes of quiet (APL-for-audio silence) to
answer it in turn; then Alexa asks whether they would like another. One response holds at
most ``BUDGET_MS`` of audio, so a longer wait is played in two parts: whatever is heard
when the first part ends is the couple still talking, and the rest of the quiet follows.
"""

from __future__ import annotations

from dataclasses import dataclass

SECOND = 1000
MINUTE = 60 * SECOND
BUDGET_MS = 235 * SECOND
"""Audio one response may hold: Alexa allows 240 s; five are kept for estimate error."""
STEP_MS = 5 * SECOND
MINUTES = (1, 5)
"""How long the wait after each question may be, in minutes."""
DEFAULT_MINUTES = 3


def minutes_allowed(minutes: int) -> bool:
    low, high = MINUTES
    return low <= minutes <= high


@dataclass(frozen=True)
class Wait:
    """The quiet after a question: ``now_ms`` in this response, ``rest_ms`` in the next."""

    now_ms: int
    rest_ms: int = 0

    @property
    def whole(self) -> bool:
        """The wait fits this response, so it ends with "another one?"."""
        return self.rest_ms == 0


def wait_for(wait_ms: int, spoken_ms: int, closing_ms: int, budget_ms: int = BUDGET_MS) -> Wait:
    """How much of a wait plays after ``spoken_ms`` of speech, leaving room for the closing
    question when the whole wait fits (else the rest waits for the next response)."""
    room = budget_ms - spoken_ms
    if wait_ms + closing_ms <= room:
        return Wait(wait_ms)
    now = max(0, (room // STEP_MS) * STEP_MS)
    return Wait(now, wait_ms - now)
