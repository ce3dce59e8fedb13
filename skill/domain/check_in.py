"""The hands-free timed check-in: a transition table over phases, and the timing of each phase.

A check-in moves through ``Phase``s by the table ``TABLE[(Phase, Event)] -> Phase``
(or a ``Jump`` back to, or past, the step that was held). Timed phases (someone
sharing, the listener reflecting back, a breathing minute) are played as
APL-for-audio timelines, as many as fit in one response's audio budget; waiting
phases ask a question and keep the session open.

Nothing runs between requests, so where a couple is inside a response's audio is
worked out from the next request's time: each response remembers when its audio
began (``Progress.since``) and which stretches of which phases it scheduled
(``Slot``), and ``locate`` finds the phase and the time already spent in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Protocol

from skill.domain.stored import is_int, read_count, read_date, read_instant, read_list
from skill.domain.timeline import Cue, Segment, Silence, Sound

SECOND = 1000
MINUTE = 60 * SECOND
BUDGET_MS = 235 * SECOND
"""Audio one response may hold: Alexa allows 240 s; five are kept for estimate error."""
MIN_PART_MS = 20 * SECOND
EXTRA_MS = MINUTE
"""What "more time" adds."""
MARK_GAP_MS = 5 * SECOND
"""A cue this close after a (re)start is left out: the start cue has just spoken."""
TURN_MINUTES = (1, 5)
RESUME_WINDOW = timedelta(minutes=30)
RECENT = 5
"""Completed check-ins remembered in detail (the counters cover the rest)."""


class Phase(StrEnum):
    IDLE = "idle"
    SETUP = "setup"
    MORNING_SETUP = "morning_setup"
    SPEAK_1 = "speak_1"
    REFLECT_1 = "reflect_1"
    CONFIRM_1 = "confirm_1"
    CLARIFY_1 = "clarify_1"
    REFLECT_AGAIN_1 = "reflect_again_1"
    SPEAK_2 = "speak_2"
    REFLECT_2 = "reflect_2"
    CONFIRM_2 = "confirm_2"
    CLARIFY_2 = "clarify_2"
    REFLECT_AGAIN_2 = "reflect_again_2"
    APPRECIATE = "appreciate"
    MORNING_1 = "morning_1"
    MORNING_2 = "morning_2"
    HOLD = "hold"
    """Waiting for the go-ahead to play the next timed part (it did not fit the last response)."""
    PAUSED = "paused"
    BREATHING = "breathing"
    AFTER_BREATH = "after_breath"
    ENDED = "ended"
    """Stopped early; can be continued within the resume window."""
    DONE = "done"


class Event(StrEnum):
    START = "start"
    START_MORNING = "start_morning"
    READY = "ready"
    YES = "yes"
    NO = "no"
    ELAPSED = "elapsed"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    CONTINUE = "continue"
    """Picking the check-in up again in a new session."""
    MORE_TIME = "more_time"
    TIME_OUT = "time_out"
    STOP = "stop"
    REPEAT = "repeat"
    HELP = "help"


class Jump(StrEnum):
    BACK = "back"
    """Return to the held step, with the time it had left."""
    PAST = "past"
    """Skip the held step."""


Target = Phase | Jump


class Kind(StrEnum):
    """What happens in a timed phase."""

    SHARE = "share"
    REFLECT = "reflect"
    CLARIFY = "clarify"
    REFLECT_AGAIN = "reflect_again"
    MORNING = "morning"
    APPRECIATE = "appreciate"
    BREATHE = "breathe"


KIND: Mapping[Phase, Kind] = MappingProxyType(
    {
        Phase.SPEAK_1: Kind.SHARE,
        Phase.SPEAK_2: Kind.SHARE,
        Phase.REFLECT_1: Kind.REFLECT,
        Phase.REFLECT_2: Kind.REFLECT,
        Phase.CLARIFY_1: Kind.CLARIFY,
        Phase.CLARIFY_2: Kind.CLARIFY,
        Phase.REFLECT_AGAIN_1: Kind.REFLECT_AGAIN,
        Phase.REFLECT_AGAIN_2: Kind.REFLECT_AGAIN,
        Phase.MORNING_1: Kind.MORNING,
        Phase.MORNING_2: Kind.MORNING,
        Phase.APPRECIATE: Kind.APPRECIATE,
        Phase.BREATHING: Kind.BREATHE,
    }
)
TIMED: frozenset[Phase] = frozenset(KIND)
WAITING: frozenset[Phase] = frozenset(
    {
        Phase.SETUP,
        Phase.MORNING_SETUP,
        Phase.CONFIRM_1,
        Phase.CONFIRM_2,
        Phase.HOLD,
        Phase.PAUSED,
        Phase.AFTER_BREATH,
    }
)
ACTIVE: frozenset[Phase] = TIMED | WAITING
HOLDING: frozenset[Phase] = frozenset({Phase.HOLD, Phase.PAUSED, Phase.AFTER_BREATH})
"""Waiting phases that remember a step to go back to."""
SECOND_ROUND: frozenset[Phase] = frozenset(
    {
        Phase.SPEAK_2,
        Phase.REFLECT_2,
        Phase.CONFIRM_2,
        Phase.CLARIFY_2,
        Phase.REFLECT_AGAIN_2,
        Phase.MORNING_2,
    }
)

NEXT: Mapping[Phase, Phase] = MappingProxyType(
    {
        Phase.SPEAK_1: Phase.REFLECT_1,
        Phase.REFLECT_1: Phase.CONFIRM_1,
        Phase.CLARIFY_1: Phase.REFLECT_AGAIN_1,
        Phase.REFLECT_AGAIN_1: Phase.SPEAK_2,
        Phase.SPEAK_2: Phase.REFLECT_2,
        Phase.REFLECT_2: Phase.CONFIRM_2,
        Phase.CLARIFY_2: Phase.REFLECT_AGAIN_2,
        Phase.REFLECT_AGAIN_2: Phase.APPRECIATE,
        Phase.APPRECIATE: Phase.DONE,
        Phase.MORNING_1: Phase.MORNING_2,
        Phase.MORNING_2: Phase.DONE,
        Phase.BREATHING: Phase.AFTER_BREATH,
    }
)
"""What follows a timed phase when its time is up."""


def _table() -> dict[tuple[Phase, Event], Target]:
    table: dict[tuple[Phase, Event], Target] = {}
    for phase in Phase:
        table[phase, Event.START] = Phase.SETUP
        table[phase, Event.START_MORNING] = Phase.MORNING_SETUP
    for phase in ACTIVE:
        table[phase, Event.STOP] = Phase.ENDED
        table[phase, Event.HELP] = phase
        table[phase, Event.REPEAT] = phase
        table[phase, Event.CONTINUE] = Jump.BACK if phase in HOLDING else phase
        table[phase, Event.TIME_OUT] = Phase.BREATHING
        table[phase, Event.PAUSE] = Phase.PAUSED
    for phase in TIMED:
        table[phase, Event.ELAPSED] = NEXT[phase]
        table[phase, Event.SKIP] = NEXT[phase]
        table[phase, Event.MORE_TIME] = phase
    for setup, first in ((Phase.SETUP, Phase.SPEAK_1), (Phase.MORNING_SETUP, Phase.MORNING_1)):
        for event in (Event.READY, Event.YES, Event.SKIP):
            table[setup, event] = first
    for confirm, speak, clarify, after in (
        (Phase.CONFIRM_1, Phase.SPEAK_1, Phase.CLARIFY_1, Phase.SPEAK_2),
        (Phase.CONFIRM_2, Phase.SPEAK_2, Phase.CLARIFY_2, Phase.APPRECIATE),
    ):
        table[confirm, Event.YES] = after
        table[confirm, Event.SKIP] = after
        table[confirm, Event.NO] = clarify
        table[confirm, Event.MORE_TIME] = speak
    for holding in HOLDING:
        for event in (Event.READY, Event.YES, Event.RESUME):
            table[holding, event] = Jump.BACK
        table[holding, Event.SKIP] = Jump.PAST
    table[Phase.AFTER_BREATH, Event.NO] = Phase.ENDED
    del table[Phase.PAUSED, Event.PAUSE]
    del table[Phase.BREATHING, Event.TIME_OUT]
    table[Phase.ENDED, Event.CONTINUE] = Jump.BACK
    table[Phase.ENDED, Event.RESUME] = Jump.BACK
    table[Phase.IDLE, Event.CONTINUE] = Phase.SETUP
    table[Phase.DONE, Event.CONTINUE] = Phase.SETUP
    return table


TABLE: Mapping[tuple[Phase, Event], Target] = MappingProxyType(_table())
"""Every valid move. A pair missing from the table is an event that does not fit the phase."""


def target(phase: Phase, event: Event) -> Target | None:
    return TABLE.get((phase, event))


# -- settings and the household record --------------------------------------


@dataclass(frozen=True)
class CheckInSettings:
    """Per-household timing (seconds) and preferences."""

    turn_s: int = 120
    reflect_s: int = 60
    clarify_s: int = 30
    reflect_again_s: int = 45
    appreciate_s: int = 40
    morning_s: int = 60
    breathe_s: int = 60
    skip_intro: bool = False
    soft_sounds: bool = False

    def length_ms(self, phase: Phase) -> int:
        seconds = {
            Kind.SHARE: self.turn_s,
            Kind.REFLECT: self.reflect_s,
            Kind.CLARIFY: self.clarify_s,
            Kind.REFLECT_AGAIN: self.reflect_again_s,
            Kind.MORNING: self.morning_s,
            Kind.APPRECIATE: self.appreciate_s,
            Kind.BREATHE: self.breathe_s,
        }[KIND[phase]]
        return seconds * SECOND

    def to_data(self) -> dict[str, Any]:
        default = CheckInSettings()
        return {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if getattr(self, name) != getattr(default, name)
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> CheckInSettings:
        default = cls()
        values: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            value, fallback = data.get(name), getattr(default, name)
            if isinstance(fallback, bool):
                values[name] = value if isinstance(value, bool) else fallback
            elif is_int(value) and 10 <= value <= 600:
                values[name] = value
            else:
                values[name] = fallback
        minutes_low, minutes_high = TURN_MINUTES
        if not minutes_low * 60 <= values["turn_s"] <= minutes_high * 60:
            values["turn_s"] = default.turn_s
        return cls(**values)


def turn_minutes_allowed(minutes: int) -> bool:
    low, high = TURN_MINUTES
    return low <= minutes <= high


@dataclass(frozen=True)
class Spot:
    """A position inside a timed phase: ``at_ms`` of ``length_ms`` already spent.

    ``extra_ms`` is time added by "more time" (part of ``length_ms``).
    """

    phase: Phase
    at_ms: int = 0
    length_ms: int = 0
    extra_ms: int = 0

    def remaining_ms(self) -> int:
        return max(0, self.length_ms - self.at_ms)


@dataclass(frozen=True)
class Slot:
    """A stretch of a timed phase scheduled in one response's audio.

    The phase's own time runs from ``begin_ms`` (audio offset, after its start
    cue and chime) while the phase goes from ``start_ms`` to ``stop_ms`` of its
    ``length_ms``.
    """

    phase: Phase
    begin_ms: int
    start_ms: int
    stop_ms: int
    length_ms: int
    extra_ms: int = 0


@dataclass(frozen=True)
class Progress:
    """A check-in under way: kept in the session and mirrored in the household."""

    phase: Phase
    since: datetime
    """When the latest response's audio began (the request's instant)."""
    until: datetime
    """When that audio ends: the waiting phase began then."""
    morning: bool = False
    starter: int = 0
    """Which of the household's names speaks first (0 or 1)."""
    began: datetime | None = None
    slots: tuple[Slot, ...] = ()
    held: Spot | None = None
    """The step to go back to from a hold, a pause, a breathing minute or a stop."""

    @property
    def active(self) -> bool:
        return self.phase in ACTIVE

    def resumable(self, at: datetime) -> bool:
        """Whether "continue our check-in" picks this up at ``at`` (else it starts fresh)."""
        return self.phase in ACTIVE | {Phase.ENDED} and at - self.until <= RESUME_WINDOW

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "phase": self.phase.value,
            "since": _stamp(self.since),
            "until": _stamp(self.until),
        }
        if self.morning:
            data["morning"] = True
        if self.starter:
            data["starter"] = self.starter
        if self.began:
            data["began"] = _stamp(self.began)
        if self.slots:
            data["slots"] = [
                [s.phase.value, s.begin_ms, s.start_ms, s.stop_ms, s.length_ms, s.extra_ms]
                for s in self.slots
            ]
        if self.held:
            held = self.held
            data["held"] = [held.phase.value, held.at_ms, held.length_ms, held.extra_ms]
        return data

    @classmethod
    def from_data(cls, data: Any) -> Progress | None:
        """A progress from session or household data; None if it is missing or malformed."""
        if not isinstance(data, Mapping):
            return None
        phase = _phase(data.get("phase"))
        since, until = read_instant(data.get("since")), read_instant(data.get("until"))
        if phase is None or since is None or until is None:
            return None
        slots = tuple(
            slot
            for slot in (_slot(raw) for raw in read_list(data.get("slots")))
            if slot is not None
        )
        held_raw = read_list(data.get("held"))
        held_phase = _phase(held_raw[0]) if len(held_raw) == 4 else None
        held = None
        if held_phase is not None and all(is_int(v) for v in held_raw[1:]):
            held = Spot(held_phase, held_raw[1], held_raw[2], held_raw[3])
        starter = data.get("starter")
        return cls(
            phase=phase,
            since=since,
            until=until,
            morning=data.get("morning") is True,
            starter=starter if starter in (0, 1) else 0,
            began=read_instant(data.get("began")),
            slots=slots,
            held=held,
        )


@dataclass(frozen=True)
class Completed:
    """One finished check-in."""

    day: date
    minutes: int
    morning: bool = False


@dataclass(frozen=True)
class CheckInRecord:
    """What the household item keeps for this feature: settings, counters, the last few, and
    the check-in under way (so it can be continued from another session)."""

    settings: CheckInSettings = field(default_factory=CheckInSettings)
    next_starter: int = 0
    count: int = 0
    morning_count: int = 0
    total_minutes: int = 0
    last_date: date | None = None
    recent: tuple[Completed, ...] = ()
    active: Progress | None = None

    def completed(self, day: date, minutes: int, morning: bool) -> CheckInRecord:
        """The record after a check-in finished (the under-way mirror is cleared)."""
        return replace(
            self,
            count=self.count + 1,
            morning_count=self.morning_count + (1 if morning else 0),
            total_minutes=self.total_minutes + minutes,
            last_date=day,
            recent=(*self.recent, Completed(day, minutes, morning))[-RECENT:],
            active=None,
        )

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        settings = self.settings.to_data()
        if settings:
            data["settings"] = settings
        if self.next_starter:
            data["next_starter"] = self.next_starter
        if self.count:
            data["count"] = self.count
        if self.morning_count:
            data["morning_count"] = self.morning_count
        if self.total_minutes:
            data["total_minutes"] = self.total_minutes
        if self.last_date:
            data["last_date"] = self.last_date.isoformat()
        if self.recent:
            data["recent"] = [
                [c.day.isoformat(), c.minutes, 1 if c.morning else 0] for c in self.recent
            ]
        if self.active:
            data["active"] = self.active.to_data()
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> CheckInRecord:
        settings = data.get("settings")
        recent: list[Completed] = []
        for item in read_list(data.get("recent")):
            if isinstance(item, list) and len(item) == 3 and is_int(item[1]):
                day = read_date(item[0])
                if day is not None:
                    recent.append(Completed(day, item[1], bool(item[2])))
        starter = data.get("next_starter")
        return cls(
            settings=CheckInSettings.from_data(settings if isinstance(settings, Mapping) else {}),
            next_starter=starter if starter in (0, 1) else 0,
            count=read_count(data.get("count")),
            morning_count=read_count(data.get("morning_count")),
            total_minutes=read_count(data.get("total_minutes")),
            last_date=read_date(data.get("last_date")),
            recent=tuple(recent[-RECENT:]),
            active=Progress.from_data(data.get("active")),
        )


# -- moving through the table ----------------------------------------------


def start(morning: bool, starter: int, at: datetime) -> Progress:
    """A fresh check-in, waiting for "ready"."""
    return Progress(
        phase=Phase.MORNING_SETUP if morning else Phase.SETUP,
        since=at,
        until=at,
        morning=morning,
        starter=starter,
    )


def locate(progress: Progress, at: datetime) -> Spot | None:
    """Where in the latest response's audio the household is at ``at``.

    A Spot inside a timed phase while its audio is still playing; None once the
    audio is over (the household is then in ``progress.phase``).
    """
    elapsed = _ms(at - progress.since)
    for slot in progress.slots:
        if elapsed < slot.begin_ms + (slot.stop_ms - slot.start_ms):
            position = slot.start_ms + max(0, elapsed - slot.begin_ms)
            return Spot(slot.phase, position, slot.length_ms, slot.extra_ms)
    return None


@dataclass(frozen=True)
class Move:
    """The outcome of one event: where it happened, where it leads, what to play from."""

    event: Event
    here: Phase
    spot: Spot | None
    """The position inside a timed phase the event interrupted, if any."""
    goal: Phase | None
    """The phase the event leads to; None when it does not fit ``here``."""
    play: Spot | None
    """The timed phase to play from, when the goal is timed."""
    progress: Progress
    """The progress after the move, before any audio is composed."""

    @property
    def valid(self) -> bool:
        return self.goal is not None


def apply(progress: Progress, event: Event, at: datetime, settings: CheckInSettings) -> Move:
    """Apply an event at an instant: the pure core of every check-in turn."""
    spot = locate(progress, at)
    here = spot.phase if spot else progress.phase
    raw = target(here, event)
    invalid = Move(event, here, spot, None, spot, progress)
    if raw is None:
        return invalid
    held = progress.held
    where = held if here in HOLDING | {Phase.BREATHING, Phase.ENDED} else spot or Spot(here)
    if raw is Jump.BACK:
        if held is None:
            return invalid
        goal = held.phase
        play = held if event is not Event.CONTINUE else Spot(held.phase)
    elif raw is Jump.PAST:
        past = target(held.phase, Event.SKIP) if held else None
        if not isinstance(past, Phase):
            return invalid
        goal, play = past, Spot(past)
    else:
        goal, play = raw, Spot(raw)
        if event is Event.MORE_TIME and spot is not None:
            play = replace(
                spot, length_ms=spot.length_ms + EXTRA_MS, extra_ms=spot.extra_ms + EXTRA_MS
            )
        elif event is Event.MORE_TIME:
            play = Spot(goal, 0, EXTRA_MS)
        elif goal is here and spot is not None:
            play = spot
    if goal not in TIMED:
        play = None
    elif play is not None and not play.length_ms:
        play = replace(play, length_ms=settings.length_ms(goal))
    keeps = goal in HOLDING | {Phase.BREATHING, Phase.ENDED}
    after = replace(
        progress,
        phase=goal if goal not in TIMED else progress.phase,
        held=where if keeps else None,
        slots=(),
        since=at,
        until=at,
    )
    return Move(event, here, spot, goal, play, after)


# -- composing a response's audio ---------------------------------------------


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


def people(progress: Progress, voice: Voice) -> tuple[str, str]:
    """Tonight's first and second speaker."""
    first = progress.starter
    return voice.person(0, first), voice.person(1, 1 - first)


def roles(progress: Progress, phase: Phase, voice: Voice) -> dict[str, str]:
    """Cue parameters for a phase: who shares (speaker) and who listens, and the order."""
    first, second = people(progress, voice)
    speaker, listener = (second, first) if phase in SECOND_ROUND else (first, second)
    return {"speaker": speaker, "listener": listener, "first": first, "second": second}


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
"""The spoken cue that opens each kind of timed phase (mornings have their own two)."""


def opening(phase: Phase, length_ms: int, names: Mapping[str, str], voice: Voice) -> Cue:
    """The cue that starts a timed phase from its beginning."""
    params = {**names, "time": voice.span(length_ms)}
    key = OPENING_KEYS.get(KIND[phase])
    if key is None:
        key = "check_in.cue.morning_next" if phase is Phase.MORNING_2 else "check_in.cue.morning"
    return Cue(key, params)


def resumption(phase: Phase, remaining_ms: int, names: Mapping[str, str], voice: Voice) -> Cue:
    """The cue that restarts a timed phase partway, saying how much time is left."""
    kind = KIND[phase]
    person = names["listener"] if kind in (Kind.REFLECT, Kind.REFLECT_AGAIN) else names["speaker"]
    params = {**names, "person": person, "time": voice.span(remaining_ms)}
    if kind is Kind.APPRECIATE:
        return Cue("check_in.cue.resume_appreciate", params)
    if kind is Kind.BREATHE:
        return Cue("check_in.cue.resume_breathe", params)
    return Cue("check_in.cue.resume", params)


def marks(spot: Spot, names: Mapping[str, str]) -> tuple[tuple[int, Cue], ...]:
    """Cues spoken at set points of a timed phase's own time.

    After "more time" the halfway cue moves to the new midpoint, unless the
    original one had already been passed (it is not said twice).
    """
    kind, length_ms = KIND[spot.phase], spot.length_ms
    found: list[tuple[int, Cue]] = []
    passed = spot.extra_ms and spot.at_ms >= (length_ms - spot.extra_ms) // 2
    if kind is Kind.SHARE and length_ms >= MINUTE and not passed:
        found.append((length_ms // 2, Cue("check_in.cue.halfway", quiet=True)))
    if kind in (Kind.SHARE, Kind.CLARIFY, Kind.MORNING) and length_ms >= 30 * SECOND:
        found.append((length_ms - 10 * SECOND, Cue("check_in.cue.ten_seconds", quiet=True)))
    if kind is Kind.APPRECIATE:
        found.append((length_ms // 2, Cue("check_in.cue.appreciate_next", dict(names))))
    if kind is Kind.BREATHE:
        found.append((length_ms // 2, Cue("check_in.cue.breathe_mid", quiet=True)))
    return tuple(found)


@dataclass(frozen=True)
class Part:
    segments: tuple[Segment, ...]
    lead_ms: int
    """Audio before the phase's own time starts (start cue and chime)."""
    total_ms: int


def part(progress: Progress, spot: Spot, stop_ms: int, voice: Voice) -> Part:
    """The audio for a timed phase from ``spot.at_ms`` to ``stop_ms`` of its time.

    Cues at set points land at their offsets: the time a cue takes to say counts
    as the phase's own time, so the end chime sounds exactly when the time is up.
    """
    length = spot.length_ms
    names = roles(progress, spot.phase, voice)
    first: Cue = (
        opening(spot.phase, length, names, voice)
        if spot.at_ms == 0
        else resumption(spot.phase, length - spot.at_ms, names, voice)
    )
    segments: list[Segment] = [first, Sound("start")]
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
    total = sum(voice.length_ms(s) for s in segments)
    return Part(tuple(segments), lead, total)


def prompt(progress: Progress, voice: Voice, brief: bool = False) -> Prompt:
    """The question for a waiting phase, or the goodbye when the check-in is done."""
    phase = progress.phase
    first, second = people(progress, voice)
    if phase is Phase.SETUP:
        key = "check_in.intro_short" if brief else "check_in.intro"
        return Prompt(
            Cue(key, {"first": first, "second": second}),
            Cue("check_in.reprompt.setup", {"first": first}),
        )
    if phase is Phase.MORNING_SETUP:
        key = "check_in.morning.intro_short" if brief else "check_in.morning.intro"
        return Prompt(
            Cue(key, {"first": first, "second": second}),
            Cue("check_in.reprompt.setup", {"first": first}),
        )
    if phase in (Phase.CONFIRM_1, Phase.CONFIRM_2):
        names = roles(progress, phase, voice)
        return Prompt(Cue("check_in.ask.confirm", names), Cue("check_in.reprompt.confirm", names))
    if phase is Phase.HOLD and progress.held is not None:
        return _hold_prompt(progress, progress.held, voice)
    if phase is Phase.AFTER_BREATH:
        return Prompt(Cue("check_in.ask.after_breath"), Cue("check_in.reprompt.after_breath"))
    if phase is Phase.DONE:
        key = "check_in.morning.goodbye" if progress.morning else "check_in.goodbye"
        return Prompt(Cue(key, {"first": first, "second": second}), None)
    return Prompt(Cue("check_in.ask.paused"), Cue("check_in.reprompt.paused"))


def _hold_prompt(progress: Progress, held: Spot, voice: Voice) -> Prompt:
    names = roles(progress, held.phase, voice)
    kind = KIND.get(held.phase)
    reprompt = Cue("check_in.reprompt.hold")
    if held.at_ms > 0 and kind is not None:
        person = (
            names["listener"] if kind in (Kind.REFLECT, Kind.REFLECT_AGAIN) else names["speaker"]
        )
        params = {**names, "person": person, "time": voice.span(held.remaining_ms())}
        return Prompt(Cue("check_in.ask.go_on", params), reprompt)
    if kind in (Kind.SHARE, Kind.CLARIFY, Kind.MORNING):
        return Prompt(Cue("check_in.ask.next_speaker", names), reprompt)
    if kind in (Kind.REFLECT, Kind.REFLECT_AGAIN):
        return Prompt(Cue("check_in.ask.next_reflect", names), reprompt)
    return Prompt(Cue("check_in.ask.next"), reprompt)


def perform(
    progress: Progress,
    play: Spot | None,
    voice: Voice,
    at: datetime,
    settings: CheckInSettings,
    lead_ms: int = 0,
    budget_ms: int = BUDGET_MS,
) -> Performance:
    """Compose one response: timed parts from ``play`` on, as many as fit, then the prompt.

    Each part must leave room for the question that would end the response
    after it. A phase that does not fit after others is held for the next
    response; a phase too long for any one response is split (at its halfway
    point, or later if the rest then fits with the next phase) and the rest held.
    """
    segments: list[Segment] = []
    slots: list[Slot] = []
    used = lead_ms
    phase, held = progress.phase, progress.held
    began = progress.began
    spot = play
    while spot is not None:
        whole = part(progress, spot, spot.length_ms, voice)
        then = _following(spot, settings)
        if used + whole.total_ms + _closing_ms(progress, spot, then, voice) <= budget_ms:
            stop, chosen = spot.length_ms, whole
        elif not slots:
            going_on = _prompt_ms(progress, Phase.HOLD, replace(spot, at_ms=spot.at_ms + 1), voice)
            next_ms = part(progress, then, then.length_ms, voice).total_ms if then else 0
            after_next = (
                _closing_ms(progress, then, _following(then, settings), voice) if then else 0
            )
            overhead = whole.total_ms - spot.remaining_ms()
            stop = _split(
                spot,
                available_ms=budget_ms - used - going_on - whole.lead_ms,
                latest_ms=spot.length_ms + overhead + next_ms + after_next - budget_ms,
            )
            if stop <= spot.at_ms:
                phase, held = Phase.HOLD, spot
                break
            chosen = part(progress, spot, stop, voice)
        else:
            phase, held = Phase.HOLD, spot
            break
        slots.append(
            Slot(spot.phase, used + chosen.lead_ms, spot.at_ms, stop, spot.length_ms, spot.extra_ms)
        )
        segments.extend(chosen.segments)
        if began is None and spot.phase is not Phase.BREATHING:
            began = at + timedelta(milliseconds=used)
        used += chosen.total_ms
        if stop < spot.length_ms:
            phase, held = Phase.HOLD, replace(spot, at_ms=stop)
            break
        if then is None:
            phase = NEXT[spot.phase]
            if phase is not Phase.AFTER_BREATH:
                held = None
        spot = then
    after = replace(progress, phase=phase, held=held, slots=tuple(slots), began=began, since=at)
    closing = prompt(after, voice, brief=True)
    if slots:
        segments.append(closing.ask)
        used += voice.length_ms(closing.ask)
    return Performance(
        tuple(segments),
        replace(after, until=at + timedelta(milliseconds=used)),
        closing,
        used,
    )


def _following(spot: Spot, settings: CheckInSettings) -> Spot | None:
    """The timed phase that starts when this one's time is up, if the next phase is timed."""
    following = NEXT[spot.phase]
    return Spot(following, 0, settings.length_ms(following)) if following in TIMED else None


def _closing_ms(progress: Progress, spot: Spot, then: Spot | None, voice: Voice) -> int:
    """How long the question takes that ends a response right after ``spot``'s phase."""
    if then is not None:
        return _prompt_ms(progress, Phase.HOLD, then, voice)
    return _prompt_ms(progress, NEXT[spot.phase], progress.held, voice)


def _prompt_ms(progress: Progress, phase: Phase, held: Spot | None, voice: Voice) -> int:
    return voice.length_ms(prompt(replace(progress, phase=phase, held=held), voice, True).ask)


def _split(spot: Spot, available_ms: int, latest_ms: int) -> int:
    """Where to stop a phase too long for what is left of the response.

    At the halfway point, or later if that lets the rest and the next phase
    share the next response (``latest_ms``: the earliest stop that allows it).
    """
    if available_ms < MIN_PART_MS:
        return spot.at_ms
    step = 5 * SECOND
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


# -- data helpers ----------------------------------------------------------------


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _phase(value: Any) -> Phase | None:
    try:
        return Phase(value)
    except ValueError:
        return None


def _slot(raw: Any) -> Slot | None:
    if not isinstance(raw, list) or len(raw) != 6:
        return None
    phase = _phase(raw[0])
    if phase not in TIMED or not all(is_int(v) for v in raw[1:]):
        return None
    return Slot(phase, raw[1], raw[2], raw[3], raw[4], raw[5])
