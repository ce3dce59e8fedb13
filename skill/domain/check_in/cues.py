"""What the check-in says: the cue that opens or resumes a timed phase, the marks inside it,
and the question that ends each response."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from skill.domain.check_in.phases import KIND, MINUTE, SECOND, SECOND_ROUND, Kind, Phase
from skill.domain.check_in.state import Progress, Spot
from skill.domain.timeline import Cue, Segment


class Voice(Protocol):
    """How the domain's cues become words and time; supplied by the service."""

    def person(self, order: int, who: int) -> str:
        """The name (or a stand-in) of the ``order``-th speaker tonight, household index ``who``."""
        ...

    def span(self, ms: int) -> str:
        """A stretch of time in words."""
        ...

    def length_ms(self, segment: Segment) -> int:
        """How long a segment plays (silence exactly; speech and sounds estimated)."""
        ...


@dataclass(frozen=True)
class Prompt:
    """The question that ends a response (or the goodbye that ends the check-in)."""

    ask: Cue
    reprompt: Cue | None


def people(progress: Progress, voice: Voice) -> tuple[str, str]:
    """Tonight's first and second speaker."""
    first = progress.starter
    return voice.person(0, first), voice.person(1, 1 - first)


def roles(progress: Progress, phase: Phase, voice: Voice) -> dict[str, str]:
    """Cue parameters for a phase: who shares (speaker) and who listens, and the order."""
    first, second = people(progress, voice)
    speaker, listener = (second, first) if phase in SECOND_ROUND else (first, second)
    return {"speaker": speaker, "listener": listener, "first": first, "second": second}


TALKING: frozenset[Kind] = frozenset(
    {Kind.SHARE, Kind.CLARIFY, Kind.MORNING, Kind.APPRECIATION_ROUND}
)
"""Timed phases in which the speaker talks on their own (with the ten-seconds cue)."""


def talker(kind: Kind | None, names: Mapping[str, str]) -> str:
    """Who is talking in a timed phase of this kind: the listener reflects, else the speaker."""
    return names["listener"] if kind in (Kind.REFLECT, Kind.REFLECT_AGAIN) else names["speaker"]


OPENING_KEYS: Mapping[Kind, str] = MappingProxyType(
    {
        Kind.SHARE: "check_in.cue.share",
        Kind.REFLECT: "check_in.cue.reflect",
        Kind.CLARIFY: "check_in.cue.clarify",
        Kind.REFLECT_AGAIN: "check_in.cue.reflect_again",
        Kind.APPRECIATE: "check_in.cue.appreciate",
        Kind.BREATHE: "check_in.cue.breathe",
    }
)
"""The spoken cue that opens each kind of timed phase (turn by turn ones are below)."""

TURN_KEYS: Mapping[Phase, str] = MappingProxyType(
    {
        Phase.MORNING_1: "check_in.cue.morning",
        Phase.MORNING_2: "check_in.cue.morning_next",
        Phase.APPRECIATION_1: "check_in.cue.round",
        Phase.APPRECIATION_2: "check_in.cue.round_next",
    }
)
"""The cue that opens each turn of the morning check-in and the appreciation round."""

RESUME_KEYS: Mapping[Kind, str] = MappingProxyType(
    {
        Kind.APPRECIATE: "check_in.cue.resume_appreciate",
        Kind.BREATHE: "check_in.cue.resume_breathe",
    }
)
"""The cue that restarts a timed phase partway, where it differs from the general one."""


def opening(phase: Phase, length_ms: int, names: Mapping[str, str], voice: Voice) -> Cue:
    """The cue that starts a timed phase from its beginning."""
    params = {**names, "time": voice.span(length_ms)}
    return Cue(TURN_KEYS.get(phase) or OPENING_KEYS[KIND[phase]], params)


def resumption(phase: Phase, remaining_ms: int, names: Mapping[str, str], voice: Voice) -> Cue:
    """The cue that restarts a timed phase partway, saying how much time is left."""
    kind = KIND[phase]
    params = {**names, "person": talker(kind, names), "time": voice.span(remaining_ms)}
    return Cue(RESUME_KEYS.get(kind, "check_in.cue.resume"), params)


def marks(spot: Spot, names: Mapping[str, str]) -> tuple[tuple[int, Cue], ...]:
    """Cues spoken at set points of a timed phase's own time.

    After "more time" the halfway cue moves to the new midpoint, unless the
    original one had already been passed (it is not said twice).
    """
    kind, length_ms = KIND[spot.phase], spot.length_ms
    found: list[tuple[int, Cue]] = []
    passed = spot.extra_ms and spot.at_ms >= (length_ms - spot.extra_ms) // 2
    if kind in (Kind.SHARE, Kind.APPRECIATION_ROUND) and length_ms >= MINUTE and not passed:
        found.append((length_ms // 2, Cue("check_in.cue.halfway", quiet=True)))
    if kind in TALKING and length_ms >= 30 * SECOND:
        found.append((length_ms - 10 * SECOND, Cue("check_in.cue.ten_seconds", quiet=True)))
    if kind is Kind.APPRECIATE:
        found.append((length_ms // 2, Cue("check_in.cue.appreciate_next", dict(names))))
    if kind is Kind.BREATHE:
        found.append((length_ms // 2, Cue("check_in.cue.breathe_mid", quiet=True)))
    return tuple(found)


# -- the question that ends a response ------------------------------------------------

PromptFor = Callable[[Progress, Voice, bool], Prompt]


def _setup(intro: str, short: str) -> PromptFor:
    def ask(progress: Progress, voice: Voice, brief: bool) -> Prompt:
        first, second = people(progress, voice)
        return Prompt(
            Cue(short if brief else intro, {"first": first, "second": second}),
            Cue("check_in.reprompt.setup", {"first": first}),
        )

    return ask


def _confirm(progress: Progress, voice: Voice, brief: bool) -> Prompt:
    names = roles(progress, progress.phase, voice)
    return Prompt(Cue("check_in.ask.confirm", names), Cue("check_in.reprompt.confirm", names))


def _after_breath(progress: Progress, voice: Voice, brief: bool) -> Prompt:
    return Prompt(Cue("check_in.ask.after_breath"), Cue("check_in.reprompt.after_breath"))


def _done(progress: Progress, voice: Voice, brief: bool) -> Prompt:
    first, second = people(progress, voice)
    key = "check_in.morning.goodbye" if progress.morning else "check_in.goodbye"
    if progress.appreciation:
        key = "check_in.round.goodbye"
    return Prompt(Cue(key, {"first": first, "second": second}), None)


def _paused(progress: Progress, voice: Voice, brief: bool) -> Prompt:
    return Prompt(Cue("check_in.ask.paused"), Cue("check_in.reprompt.paused"))


def _hold(progress: Progress, voice: Voice, brief: bool) -> Prompt:
    held = progress.held
    if held is None:
        return _paused(progress, voice, brief)
    names = roles(progress, held.phase, voice)
    kind = KIND.get(held.phase)
    reprompt = Cue("check_in.reprompt.hold")
    if held.at_ms > 0 and kind is not None:
        params = {**names, "person": talker(kind, names), "time": voice.span(held.remaining_ms())}
        if kind in TALKING:
            keep_going = Cue("check_in.ask.keep_going", params, quiet=True)
            return Prompt(keep_going, Cue("check_in.reprompt.keep_going", params))
        return Prompt(Cue("check_in.ask.go_on", params), reprompt)
    if kind in TALKING:
        return Prompt(Cue("check_in.ask.next_speaker", names), reprompt)
    if kind in (Kind.REFLECT, Kind.REFLECT_AGAIN):
        return Prompt(Cue("check_in.ask.next_reflect", names), reprompt)
    return Prompt(Cue("check_in.ask.next"), reprompt)


PROMPTS: Mapping[Phase, PromptFor] = MappingProxyType(
    {
        Phase.SETUP: _setup("check_in.intro", "check_in.intro_short"),
        Phase.MORNING_SETUP: _setup("check_in.morning.intro", "check_in.morning.intro_short"),
        Phase.APPRECIATION_SETUP: _setup("check_in.round.intro", "check_in.round.intro_short"),
        Phase.CONFIRM_1: _confirm,
        Phase.CONFIRM_2: _confirm,
        Phase.HOLD: _hold,
        Phase.AFTER_BREATH: _after_breath,
        Phase.DONE: _done,
    }
)
"""The question each waiting phase asks (any other phase: the paused question)."""


def prompt(progress: Progress, voice: Voice, brief: bool = False) -> Prompt:
    """The question for a waiting phase, or the goodbye when the check-in is done."""
    return PROMPTS.get(progress.phase, _paused)(progress, voice, brief)
