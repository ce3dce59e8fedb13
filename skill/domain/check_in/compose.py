"""Composing one response's timed audio: as many timed parts as fit, then the question.

Cues at set points land at their offsets inside a phase's own time; a phase that does not
fit after others is held for the next response, and a phase too long for any one response
is split (at its halfway point, or later if the rest then fits with the next phase).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from skill.domain.check_in.cues import Prompt, Voice, marks, opening, prompt, resumption, roles
from skill.domain.check_in.phases import (
    BUDGET_MS,
    MARK_GAP_MS,
    MIN_PART_MS,
    NEXT,
    PAUSE_WAIT_MS,
    SECOND,
    TIMED,
    Phase,
)
from skill.domain.check_in.state import CheckInSettings, Progress, Slot, Spot
from skill.domain.timeline import Cue, Segment, Silence, Sound

SPLIT_STEP_MS = 5 * SECOND


@dataclass(frozen=True)
class Part:
    segments: tuple[Segment, ...]
    lead_ms: int
    """Audio before the phase's own time starts (start cue and chime)."""
    total_ms: int


def part(progress: Progress, spot: Spot, stop_ms: int, voice: Voice, quiet: bool = False) -> Part:
    """The audio for a timed phase from ``spot.at_ms`` to ``stop_ms`` of its time.

    The time a cue takes to say counts as the phase's own time, so the end chime sounds
    exactly when the time is up. A ``quiet`` part carries a share on partway with no
    cue and no chime: the speaker never stopped talking.
    """
    length = spot.length_ms
    names = roles(progress, spot.phase, voice)
    first: Cue = (
        opening(spot.phase, length, names, voice)
        if spot.at_ms == 0
        else resumption(spot.phase, length - spot.at_ms, names, voice)
    )
    segments: list[Segment] = [] if quiet and spot.at_ms else [first, Sound("start")]
    lead = sum(voice.length_ms(s) for s in segments)
    position = spot.at_ms
    for offset, cue in marks(spot, names):
        if spot.at_ms + MARK_GAP_MS <= offset < stop_ms and offset >= position:
            if offset > position:
                segments.append(Silence(offset - position))
            segments.append(cue)
            position = offset + voice.length_ms(cue)
    if stop_ms > position:
        segments.append(Silence(stop_ms - position))
    if stop_ms >= length:
        segments.append(Sound("end"))
    return Part(tuple(segments), lead, sum(voice.length_ms(s) for s in segments))


@dataclass(frozen=True)
class Performance:
    """One response's audio and where it leaves the check-in."""

    segments: tuple[Segment, ...]
    """The timed parts followed by the closing prompt; empty when nothing timed plays."""
    progress: Progress
    prompt: Prompt
    audio_ms: int

    @property
    def finished(self) -> bool:
        return self.progress.phase is Phase.DONE


@dataclass
class _Draft:
    """A response's audio as it is being put together."""

    used: int
    phase: Phase
    held: Spot | None
    began: datetime | None
    segments: list[Segment] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)


@dataclass(frozen=True)
class _Composer:
    progress: Progress
    voice: Voice
    settings: CheckInSettings
    at: datetime
    budget_ms: int
    quiet: bool = False
    """Carry the first part on without its cue (a share that was never interrupted)."""

    def place(self, draft: _Draft, spot: Spot) -> Spot | None:
        """Schedule as much of ``spot`` as fits; the next timed phase to place, or None."""
        then = self.following(spot)
        fitted = self.fit(draft, spot, then)
        if fitted is None:
            draft.phase, draft.held = Phase.HOLD, spot
            return None
        stop, chosen = fitted
        draft.slots.append(
            Slot(
                spot.phase,
                draft.used + chosen.lead_ms,
                spot.at_ms,
                stop,
                spot.length_ms,
                spot.extra_ms,
            )
        )
        draft.segments.extend(chosen.segments)
        if draft.began is None and spot.phase is not Phase.BREATHING:
            draft.began = self.at + timedelta(milliseconds=draft.used)
        draft.used += chosen.total_ms
        if stop < spot.length_ms:
            draft.phase, draft.held = Phase.HOLD, replace(spot, at_ms=stop)
            return None
        if then is None:
            draft.phase = NEXT[spot.phase]
            if draft.phase is not Phase.AFTER_BREATH:
                draft.held = None
        return then

    def fit(self, draft: _Draft, spot: Spot, then: Spot | None) -> tuple[int, Part] | None:
        """Where to stop ``spot`` in this response and its audio; None to hold it whole."""
        quiet = self.quiet and not draft.slots
        whole = part(self.progress, spot, spot.length_ms, self.voice, quiet)
        if draft.used + whole.total_ms + self.closing_ms(spot, then) <= self.budget_ms:
            return spot.length_ms, whole
        if draft.slots:
            return None
        stop = self.split(draft, spot, then, whole)
        if stop <= spot.at_ms:
            return None
        return stop, part(self.progress, spot, stop, self.voice, quiet)

    def split(self, draft: _Draft, spot: Spot, then: Spot | None, whole: Part) -> int:
        """Where to stop a phase too long for what is left of the response."""
        going_on = self.prompt_ms(Phase.HOLD, replace(spot, at_ms=spot.at_ms + 1))
        next_ms = part(self.progress, then, then.length_ms, self.voice).total_ms if then else 0
        after_next = self.closing_ms(then, self.following(then)) if then else 0
        overhead = whole.total_ms - spot.remaining_ms()
        return split_point(
            spot,
            available_ms=self.budget_ms - draft.used - going_on - whole.lead_ms,
            latest_ms=spot.length_ms + overhead + next_ms + after_next - self.budget_ms,
        )

    def following(self, spot: Spot) -> Spot | None:
        """The timed phase that starts when this one's time is up, if the next phase is timed."""
        after = NEXT[spot.phase]
        return Spot(after, 0, self.settings.length_ms(after)) if after in TIMED else None

    def closing_ms(self, spot: Spot, then: Spot | None) -> int:
        """How long the question takes that ends a response right after ``spot``'s phase."""
        if then is not None:
            return self.prompt_ms(Phase.HOLD, then)
        return self.prompt_ms(NEXT[spot.phase], self.progress.held)

    def prompt_ms(self, phase: Phase, held: Spot | None) -> int:
        waiting = replace(self.progress, phase=phase, held=held)
        return self.voice.length_ms(prompt(waiting, self.voice, True).ask)


def perform(
    progress: Progress,
    play: Spot | None,
    voice: Voice,
    at: datetime,
    settings: CheckInSettings,
    lead_ms: int = 0,
    budget_ms: int = BUDGET_MS,
    quiet: bool = False,
) -> Performance:
    """Compose one response: timed parts from ``play`` on, as many as fit, then the prompt.

    Each part must leave room for the question that would end the response after it.
    """
    composer = _Composer(progress, voice, settings, at, budget_ms, quiet)
    draft = _Draft(used=lead_ms, phase=progress.phase, held=progress.held, began=progress.began)
    spot = play
    while spot is not None:
        spot = composer.place(draft, spot)
    after = replace(
        progress,
        phase=draft.phase,
        held=draft.held,
        slots=tuple(draft.slots),
        began=draft.began,
        since=at,
    )
    closing = prompt(after, voice, brief=True)
    if draft.slots:
        draft.segments.append(closing.ask)
        draft.used += voice.length_ms(closing.ask)
    elif after.phase is Phase.PAUSED:
        closing = _quiet_wait(draft, voice)
    until = at + timedelta(milliseconds=draft.used)
    return Performance(tuple(draft.segments), replace(after, until=until), closing, draft.used)


def _quiet_wait(draft: _Draft, voice: Voice) -> Prompt:
    """A pause: say so, wait quietly for a few minutes, then ask gently whether to go on."""
    ask = Cue("check_in.ask.pause_over")
    draft.segments.extend((Cue("check_in.ask.pause_hold"), Silence(PAUSE_WAIT_MS), ask))
    draft.used += sum(voice.length_ms(segment) for segment in draft.segments)
    return Prompt(ask, Cue("check_in.reprompt.pause_over"))


def split_point(spot: Spot, available_ms: int, latest_ms: int) -> int:
    """At the halfway point, or later if that lets the rest and the next phase share the
    next response (``latest_ms``: the earliest stop that allows it)."""
    if available_ms < MIN_PART_MS:
        return spot.at_ms
    step = SPLIT_STEP_MS
    most = spot.at_ms + (available_ms // step) * step
    wanted = max(spot.length_ms // 2, -(-latest_ms // step) * step)
    stop = wanted if spot.at_ms < wanted <= most else min(most, spot.length_ms // 2)
    if stop <= spot.at_ms:
        stop = most
    return min(stop, spot.length_ms - step)


def minutes_between(began: datetime | None, ended: datetime) -> int:
    """Whole minutes a check-in took (at least one)."""
    if began is None:
        return 1
    return max(1, round((ended - began).total_seconds() / 60))
