"""The hands-free timed check-in: start it, move it along by voice, keep time, record it.

Every turn reads the check-in's ``Progress`` from the session (or, in a new
session, from the household's mirror when it is recent enough), applies one
``Event`` through the domain's transition table, and answers with the next
stretch of timed audio (an APL-for-audio timeline) or a question. The progress
goes back into the session and into the household, so "continue our check-in"
works from another session within half an hour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from skill.codec import decode_progress, encode_progress
from skill.content.catalog import LocaleCatalog
from skill.domain.check_in import (
    ACTIVE,
    CONFIRMS,
    MINUTE,
    SETUPS,
    TIMED,
    CheckInRecord,
    CheckInSettings,
    Event,
    Move,
    Phase,
    Progress,
    Spot,
    apply,
    between_parts,
    here,
    locate,
    minutes_between,
    perform,
    prompt,
    roles,
    turn_minutes_allowed,
)
from skill.domain.check_in import start as fresh
from skill.domain.household import speakable
from skill.domain.timeline import Cue, Segment, Timeline
from skill.domain.voices import renamed
from skill.reply import ASKED, CONTEXT, PENDING, Ask, Question, Reply, Say
from skill.speech.apla import estimate_ms
from skill.speech.screens import check_in_screen
from skill.turn import Turn

SESSION_KEY = "check_in"
"""Session attribute: the check-in under way (``skill.codec``'s progress shape)."""
FEATURE = "check_in"
AMBIENCE = "stream"
NAME_LENGTH = 30
ROUND_SETUP = frozenset({Phase.APPRECIATION_SETUP})

# -- words and time for the domain --------------------------------------------


FAMILIAR_AFTER = 3
"""After this many completed check-ins the reflection cue drops its template sentence."""
FAMILIAR: Mapping[str, str] = {"check_in.cue.reflect": "check_in.cue.reflect_brief"}
"""The cue a familiar household hears instead (the same timing, fewer words)."""


@dataclass(frozen=True)
class TurnVoice:
    """Names, durations in words and playing-time estimates, for one turn's locale."""

    catalog: LocaleCatalog
    names: tuple[str, ...]
    familiar: bool = False
    """The household knows the check-in well: some cues are said more briefly."""

    def worded(self, segment: Segment) -> Segment:
        """The segment as this household hears it."""
        if self.familiar and isinstance(segment, Cue) and segment.key in FAMILIAR:
            return replace(segment, key=FAMILIAR[segment.key])
        return segment

    def person(self, order: int, who: int) -> str:
        if len(self.names) == 2:
            return self.names[who]
        return self.catalog.plain("check_in.label.first" if order == 0 else "check_in.label.second")

    def span(self, ms: int) -> str:
        seconds = max(5, 5 * round(ms / 5000))
        minutes, rest = divmod(seconds, 60)
        if minutes == 0:
            return self.catalog.plain("check_in.time.seconds", {"seconds": rest})
        if rest == 0 and minutes == 1:
            return self.catalog.plain("check_in.time.one_minute")
        if rest == 0:
            return self.catalog.plain("check_in.time.minutes", {"minutes": minutes})
        if minutes == 1:
            return self.catalog.plain("check_in.time.one_minute_seconds", {"seconds": rest})
        return self.catalog.plain(
            "check_in.time.minutes_seconds", {"minutes": minutes, "seconds": rest}
        )

    def length_ms(self, segment: Segment) -> int:
        return estimate_ms(self.worded(segment), self.catalog)


def _voice(turn: Turn) -> TurnVoice:
    familiar = turn.household.check_in.count >= FAMILIAR_AFTER
    return TurnVoice(turn.catalog, turn.household.names, familiar)


# -- starting ------------------------------------------------------------------


def start(turn: Turn) -> Reply:
    """Begin an evening check-in: the set-up, then wait for "ready"."""
    return _begin(turn, morning=False)


def start_morning(turn: Turn) -> Reply:
    """Begin the morning two-minute micro check-in (a minute each, no reflecting back)."""
    return _begin(turn, morning=True)


def start_appreciation(turn: Turn) -> Reply:
    """Begin the weekly appreciation round: about a minute each, no reflecting back."""
    return _begin(turn, morning=False, appreciation=True)


def _begin(
    turn: Turn, morning: bool, lead: tuple[Say, ...] = (), appreciation: bool = False
) -> Reply:
    record = turn.household.check_in
    progress = fresh(morning, record.next_starter, turn.now, appreciation)
    voice = _voice(turn)
    asked = prompt(progress, voice, brief=record.settings.skip_intro or record.count > 0)
    reprompt = (_say(asked.reprompt),) if asked.reprompt else ()
    reply = Reply(speech=(*lead, _say(asked.ask)), reprompt=reprompt, end_session=False)
    return _save(turn, progress, _shown(turn, reply, progress, 0, voice))


# -- the check-in in this session -----------------------------------------------


def in_progress(session: Mapping[str, Any]) -> bool:
    """Whether this session is inside a check-in (flow-gated handlers answer then)."""
    progress = decode_progress(session.get(SESSION_KEY))
    return progress is not None and progress.active


def owns_answer(session: Mapping[str, Any]) -> bool:
    """A yes, a no or a misheard turn in this session belongs to the check-in (no other
    question is waiting for its answer)."""
    waiting = Ask.read(session.get(PENDING)) or Question.read(session.get(ASKED))
    return in_progress(session) and waiting is None


def ready(turn: Turn) -> Reply:
    """ "Ready", "go on": the step the couple waits at moves on (at "did that capture it?",
    moving on is the speaker's yes)."""
    return _event(turn, Event.READY, _swap_lead(turn))


def answer(turn: Turn, yes: bool) -> Reply:
    if yes:
        return _event(turn, Event.YES, _swap_lead(turn))
    return _event(turn, Event.NO, _wait_lead(turn, WAITS_FOR_READY))


def _swap_lead(turn: Turn) -> tuple[Say, ...]:
    progress = _session_progress(turn)
    if progress is not None and here(progress, turn.now) is Phase.CONFIRM_1:
        return (Say("check_in.swap"),)
    return ()


WAITS_FOR_READY = SETUPS | {Phase.HOLD, Phase.PAUSED}
"""Steps that wait for "ready": there "not yet" or "give us a minute" is a kind wait."""


def _wait_lead(turn: Turn, steps: frozenset[Phase]) -> tuple[Say, ...]:
    progress = _session_progress(turn)
    if progress is not None and here(progress, turn.now) in steps:
        return (Say("check_in.wait"),)
    return ()


def skip(turn: Turn) -> Reply:
    return _event(turn, Event.SKIP, (Say("check_in.skipped"),))


def pause(turn: Turn) -> Reply:
    return _event(turn, Event.PAUSE, _wait_lead(turn, SETUPS))


def more_time(turn: Turn) -> Reply:
    return _event(turn, Event.MORE_TIME, (Say("check_in.more_time"),))


def time_out(turn: Turn) -> Reply:
    return _event(turn, Event.TIME_OUT)


def stop(turn: Turn) -> Reply:
    return _event(turn, Event.STOP)


def repeat(turn: Turn) -> Reply:
    return _event(turn, Event.REPEAT, brief=False)


def help(turn: Turn) -> Reply:
    progress = _session_progress(turn)
    if progress is None:
        return _nothing_running()
    return _event(turn, Event.HELP, (Say(_help_key(here(progress, turn.now))),))


def fallback(turn: Turn) -> Reply:
    progress = _session_progress(turn)
    if progress is None or not progress.active:
        return _nothing_running()
    return _stay(turn, progress, "check_in.fallback_timed", "check_in.fallback")


def resume(turn: Turn) -> Reply:
    """Resume a pause here, or pick up a recent check-in from another session."""
    if in_progress(turn.session):
        return _event(turn, Event.RESUME, _swap_lead(turn))
    mirror = turn.household.check_in.active
    if mirror is None or not mirror.resumable(turn.now):
        return Reply.ask(
            "check_in.nothing_to_resume", "check_in.first.next_reprompt", pending=Ask.START_CHECK_IN
        )
    return _pick_up(turn, mirror)


def continue_check_in(turn: Turn) -> Reply:
    """ "Continue our check-in": the right step within half an hour, else a fresh start."""
    if in_progress(turn.session):
        return _event(turn, Event.RESUME)
    mirror = turn.household.check_in.active
    if mirror is None or mirror.phase not in ACTIVE | {Phase.ENDED}:
        return _begin(turn, morning=False, lead=(Say("check_in.continue.nothing"),))
    if not mirror.resumable(turn.now):
        lead = (Say("check_in.continue.stale"),)
        return _begin(turn, mirror.morning, lead, mirror.appreciation)
    return _pick_up(turn, mirror)


def session_ended(turn: Turn) -> Reply:
    """The session closed mid check-in: remember where, so it can be continued."""
    _keep_for_later(turn)
    return Reply.nothing()


def _keep_for_later(turn: Turn) -> None:
    """Stop the check-in in this session, keeping its place for "continue our check-in"."""
    progress = _session_progress(turn)
    if progress is not None and progress.active:
        move = apply(progress, Event.STOP, turn.now, _settings(turn))
        if move.valid and not _counted(turn, move):
            _mirror(turn, move.progress)


SHARES_DONE = frozenset({Phase.CONFIRM_2, Phase.CLARIFY_2, Phase.REFLECT_AGAIN_2, Phase.APPRECIATE})
"""Both shares and both reflections are behind the couple: a check-in left here counts."""


def _counted(turn: Turn, move: Move) -> bool:
    """Count a check-in stopped once its shares are done (a missed last confirm, a closed
    session); nothing is left to continue then."""
    if move.here not in SHARES_DONE or move.progress.appreciation:
        return False
    progress, record = move.progress, turn.household.check_in
    minutes = minutes_between(progress.began, turn.now)
    done = record.completed(turn.clock.today, minutes, progress.morning)
    _keep(turn, replace(done, active=None))
    return True


def welcome_note(turn: Turn) -> Reply | None:
    """Mention a check-in that can still be continued."""
    mirror = turn.household.check_in.active
    if mirror is not None and mirror.resumable(turn.now):
        return Reply.ask(
            "check_in.welcome_back", "check_in.welcome_back_reprompt", pending=Ask.CONTINUE_CHECK_IN
        )
    return None


# -- a share that goes on, and requests for something else -------------------------


def mid_share(session: Mapping[str, Any], at: datetime) -> bool:
    """Whether this session waits between two parts of one share, its audio over: whatever
    is heard then is the speaker still talking."""
    progress = decode_progress(session.get(SESSION_KEY))
    return progress is not None and between_parts(progress, at)


def carry_on(turn: Turn) -> Reply:
    """Anything heard mid-share is "go on": the silence carries on, with nothing said."""
    return _event(turn, Event.READY, quiet=True)


def hold_place(turn: Turn) -> dict[str, Any]:
    """A request for something else came in during the timed audio: note where the check-in
    stood (the step, and how much of it was used), as a pause. The session's updates (none
    when the audio was already over: the check-in then waits at its step anyway)."""
    progress = _session_progress(turn)
    if progress is None or not progress.active or locate(progress, turn.now) is None:
        return {}
    move = apply(progress, Event.PAUSE, turn.now, _settings(turn))
    if not move.valid:
        return {}
    _mirror(turn, move.progress)
    return {SESSION_KEY: encode_progress(move.progress), CONTEXT: FEATURE}


def after_interruption(reply: Reply, held: Mapping[str, Any]) -> Reply:
    """After answering something else mid check-in, offer to go back to it (unless the
    answer asks something of its own); the session keeps the check-in's place."""
    reply = replace(reply, session={**held, **reply.session})
    if not reply.end_session or reply.pending or reply.asked or reply.audio or reply.silent:
        return reply
    offer = reply.then("check_in.interrupted.offer")
    return replace(
        offer,
        reprompt=(Say("check_in.interrupted.reprompt"),),
        pending=Ask.BACK_TO_CHECK_IN,
        end_session=False,
    )


def leave_for_question(turn: Turn) -> Reply:
    """Tonight's question asked mid check-in: note the place, then ask before leaving it."""
    return Reply.ask(
        "check_in.interrupted.leave_for_question",
        "check_in.interrupted.leave_reprompt",
        pending=Ask.LEAVE_FOR_QUESTION,
    ).with_session(**hold_place(turn))


def set_aside(turn: Turn) -> Reply:
    """The no to going back: the check-in keeps its place for half an hour."""
    _keep_for_later(turn)
    return Reply.tell("check_in.interrupted.later").with_session(
        **{SESSION_KEY: None, CONTEXT: None}
    )


# -- settings and names -----------------------------------------------------------


def set_names(turn: Turn, first: str | None, second: str | None) -> Reply:
    """Remember the couple's first names for the cues ("Sam, you start")."""
    names = tuple(name for name in (_clean_name(first), _clean_name(second)) if name)
    if len(names) != 2:
        return Reply.ask(
            "check_in.names.missing", "check_in.names.missing_reprompt", asked=Question.NAMES
        )
    household = turn.household
    voices = renamed(household.voices, household.names, names)
    turn.update(replace(household, names=names, voices=voices))
    return _after_setting(
        turn, Say("check_in.names.saved", {"first": names[0], "second": names[1]})
    )


def first_speaker(turn: Turn, spoken: str | None) -> Reply:
    """ "Can Alex go first": at the set-up, Alex starts this check-in; otherwise the next one."""
    names = turn.household.names
    if len(names) != 2:
        return Reply.ask(
            "check_in.first.no_names", "check_in.names.missing_reprompt", asked=Question.NAMES
        )
    who = _partner(names, spoken)
    if who is None:
        return Reply.ask(
            "check_in.first.which", "check_in.first.which_reprompt", first=names[0], second=names[1]
        )
    progress = _session_progress(turn)
    if progress is not None and progress.began is None and here(progress, turn.now) in SETUPS:
        chosen = replace(progress, starter=who)
        asked = prompt(chosen, _voice(turn), brief=True)
        reprompt = (_say(asked.reprompt),) if asked.reprompt else ()
        reply = Reply(speech=(_say(asked.ask),), reprompt=reprompt, end_session=False)
        return _save(turn, chosen, _shown(turn, reply, chosen, 0, _voice(turn)))
    record = turn.household.check_in
    _keep(turn, replace(record, next_starter=who))
    return Reply.ask(
        "check_in.first.next",
        "check_in.first.next_reprompt",
        pending=Ask.START_CHECK_IN,
        person=names[who],
    )


def _partner(names: tuple[str, ...], spoken: str | None) -> int | None:
    """Which of the two names was said, if either."""
    said = _clean_name(spoken).casefold()
    return next((index for index, name in enumerate(names) if name.casefold() == said), None)


def set_turn_length(turn: Turn, minutes: str | None) -> Reply:
    """ "Make the turns three minutes": one to five minutes a turn."""
    count = _whole_number(minutes)
    if count is None or not turn_minutes_allowed(count):
        return Reply.ask(
            "check_in.settings.turn_range",
            "check_in.settings.turn_range_reprompt",
            asked=Question.HOW_MANY_MINUTES,
        )
    record = turn.household.check_in
    _keep(turn, replace(record, settings=replace(record.settings, turn_s=count * 60)))
    span = _voice(turn).span(count * MINUTE)
    return _after_setting(turn, Say("check_in.settings.turn_length", {"time": span}))


def skip_instructions(turn: Turn) -> Reply:
    """ "We know how it works": no explanation at the start of a check-in from now on."""
    record = turn.household.check_in
    _keep(turn, replace(record, settings=replace(record.settings, skip_intro=True)))
    return _after_setting(turn, Say("check_in.settings.skip_intro"))


def soft_sounds(turn: Turn, on: bool) -> Reply:
    """Turn the quiet background sound under the silences on or off."""
    record = turn.household.check_in
    _keep(turn, replace(record, settings=replace(record.settings, soft_sounds=on)))
    return _after_setting(
        turn, Say("check_in.settings.sounds_on" if on else "check_in.settings.sounds_off")
    )


def _after_setting(turn: Turn, line: Say) -> Reply:
    progress = _session_progress(turn)
    if progress is not None and progress.active:
        move = apply(progress, Event.REPEAT, turn.now, _settings(turn))
        return _respond(turn, move, (line,), brief=True)
    reply = Reply.ask(line.key, "check_in.settings.reprompt", **line.params)
    return reply.then("check_in.settings.next")


# -- the engine ---------------------------------------------------------------------


def _event(
    turn: Turn, event: Event, lead: tuple[Say, ...] = (), brief: bool = True, quiet: bool = False
) -> Reply:
    progress = _session_progress(turn)
    if progress is None or not progress.active:
        return _nothing_running()
    move = apply(progress, event, turn.now, _settings(turn))
    return _respond(turn, move, lead, brief, quiet)


def _pick_up(turn: Turn, mirror: Progress) -> Reply:
    move = apply(mirror, Event.CONTINUE, turn.now, _settings(turn))
    return _respond(turn, move, (Say("check_in.continue.back"),))


def _respond(
    turn: Turn, move: Move, lead: tuple[Say, ...] = (), brief: bool = True, quiet: bool = False
) -> Reply:
    if not move.valid:
        return _stay(turn, move.progress, "check_in.invalid_timed", "check_in.invalid")
    if move.goal is Phase.ENDED:
        key = "check_in.goodbye"
        if not _counted(turn, move):
            _mirror(turn, move.progress)
            key = "check_in.stopped"
        return Reply.tell(key).with_session(**{SESSION_KEY: None, CONTEXT: None})
    if move.goal in SETUPS and move.goal is not move.here:
        morning, appreciation = move.goal is Phase.MORNING_SETUP, move.goal in ROUND_SETUP
        return _begin(turn, morning, lead, appreciation)
    return _play(turn, move.progress, move.play, lead, brief, quiet)


def _stay(turn: Turn, progress: Progress, timed_key: str, waiting_key: str) -> Reply:
    """Stay with the current step: carry on with its time left, or ask its question again."""
    spot = locate(progress, turn.now)
    key = timed_key if spot is not None else waiting_key
    return _play(turn, progress, spot, (Say(key),), brief=True)


def _play(
    turn: Turn,
    progress: Progress,
    play: Spot | None,
    lead: tuple[Say, ...],
    brief: bool,
    quiet: bool = False,
) -> Reply:
    """Answer with the timed audio from ``play`` on (if any), or the waiting step's question."""
    voice = _voice(turn)
    record = turn.household.check_in
    lead_ms = sum(voice.length_ms(Cue(line.key, line.params)) for line in lead)
    show = perform(progress, play, voice, turn.now, record.settings, lead_ms=lead_ms, quiet=quiet)
    after = show.progress
    if progress.began is None and after.began is not None:
        record = replace(record, next_starter=1 - after.starter)
    segments = tuple(voice.worded(segment) for segment in show.segments)
    timeline = Timeline(segments, AMBIENCE if record.settings.soft_sounds else None)
    if show.finished:
        minutes = minutes_between(after.began, after.until)
        if after.appreciation:
            _keep(turn, record.appreciated())
        else:
            _keep(turn, record.completed(turn.clock.today, minutes, after.morning))
        speech = lead if show.segments else (*lead, _say(show.prompt.ask))
        reply = Reply(speech=speech, audio=timeline if show.segments else None, end_session=True)
        reply = _shown(turn, reply, after, show.audio_ms, voice)
        return reply.with_session(**{SESSION_KEY: None, CONTEXT: None})
    asked = show.prompt if show.segments else prompt(after, voice, brief=brief)
    reprompt = (_say(asked.reprompt),) if asked.reprompt else ()
    if show.segments:
        reply = Reply(speech=lead, reprompt=reprompt, audio=timeline, end_session=False)
    else:
        reply = Reply(speech=(*lead, _say(asked.ask)), reprompt=reprompt, end_session=False)
    return _save(turn, after, _shown(turn, reply, after, show.audio_ms, voice), record)


def _shown(turn: Turn, reply: Reply, progress: Progress, audio_ms: int, voice: TurnVoice) -> Reply:
    """The screen for this reply: its countdowns come from the slots the audio was built of."""
    card = check_in_screen(
        turn.catalog, progress, audio_ms, lambda phase: roles(progress, phase, voice)
    )
    return replace(reply, screen=card)


def _save(
    turn: Turn, progress: Progress, reply: Reply, record: CheckInRecord | None = None
) -> Reply:
    _keep(turn, replace(record or turn.household.check_in, active=progress))
    return reply.with_session(**{SESSION_KEY: encode_progress(progress), CONTEXT: FEATURE})


def _mirror(turn: Turn, progress: Progress) -> None:
    _keep(turn, replace(turn.household.check_in, active=progress))


def _keep(turn: Turn, record: CheckInRecord) -> None:
    turn.update(replace(turn.household, check_in=record))


def _nothing_running() -> Reply:
    return Reply.ask("check_in.none", "check_in.first.next_reprompt", pending=Ask.START_CHECK_IN)


def _session_progress(turn: Turn) -> Progress | None:
    return decode_progress(turn.session.get(SESSION_KEY))


def _settings(turn: Turn) -> CheckInSettings:
    return turn.household.check_in.settings


def _help_key(phase: Phase) -> str:
    if phase in TIMED:
        return "check_in.help.timed"
    if phase in CONFIRMS:
        return "check_in.help.confirm"
    if phase in ROUND_SETUP:
        return "check_in.help.round"
    if phase in SETUPS:
        return "check_in.help.setup"
    return "check_in.help.hold"


def _say(cue: Cue) -> Say:
    return Say(cue.key, cue.params)


def _clean_name(name: str | None) -> str:
    words = speakable(name or "").split()
    return " ".join(word[:1].upper() + word[1:] for word in words)[:NAME_LENGTH]


def _whole_number(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None
