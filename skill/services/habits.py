"""Coming back each evening: the nightly reminder, the screen-free timer, the tip about
Alexa routines, the time capsule, and the offers that go with them.

Use cases that need Alexa's Reminders or Timers API return an ``AlertStep`` (the call and
what its outcome means); the handler makes the call. Permission is asked by voice when the
household has not given it; the answer comes back as a ``Connections.Response`` and picks
up what was wanted, which waits in the session meanwhile. Nothing a couple says or writes
is stored: only the reminder's token and time, the timer's length and the capsule's dates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import time
from typing import Any

from skill.content.habits import spoken_date, spoken_length, spoken_time
from skill.domain import alerts
from skill.domain.alerts import REMINDERS, TIMERS, AlertOutcome, Result, Spoken, TimerSpec
from skill.domain.habits import (
    Capsule,
    HabitsState,
    Reminder,
    capsule_reminder_time,
    clock_time,
    duration_minutes,
    evening_time,
    offer_reminder,
    timer_length_allowed,
)
from skill.domain.rituals import Weekday, ritual_day
from skill.reply import CONTEXT, Ask, Reply
from skill.services.alerts import AlertStep, Step
from skill.turn import Turn

FEATURE = "habits"
WANT = "want"
"""Session attribute: what waits for the household's permission (a reminder or a timer)."""
AWAITING = "awaiting"
"""Session attribute: the short answer a question is waiting for (a time or a length)."""
FOR_REMINDER, FOR_TIMER, FOR_LENGTH = "time", "timer", "length"
ACCEPTED = "ACCEPTED"
DENIED = "DENIED"


def _state(turn: Turn) -> HabitsState:
    return turn.household.habits


def _keep(turn: Turn, state: HabitsState) -> None:
    if state != turn.household.habits:
        turn.update(replace(turn.household, habits=state))


def _zone(turn: Turn) -> str:
    """The household's IANA zone name, as the reminder's ``timeZoneId``."""
    return str(getattr(turn.now.tzinfo, "key", None) or "UTC")


def _spoken(turn: Turn, key: str) -> Spoken:
    """A line Alexa speaks later on the household's behalf (never with names in it)."""
    return Spoken(turn.catalog.locale, turn.catalog.plain(key))


def _done(reply: Reply) -> Reply:
    """The session's pending bits for this feature are settled."""
    return reply.with_session(**{WANT: None, AWAITING: None, CONTEXT: None})


# -- the nightly reminder ---------------------------------------------------------------


def set_reminder(turn: Turn, spoken: str | None, allowed: bool) -> Step:
    """ "Remind us every night at nine", or "move our reminder to 8:30"."""
    at = evening_time(spoken)
    if at is None:
        return reminder_offer_accepted(turn)
    if not allowed:
        return _ask_permission(turn, REMINDERS, {"do": "reminder", "at": _hhmm(at)})
    return _remind_at(turn, at, consented=False)


def _remind_at(turn: Turn, at: time, consented: bool) -> Step:
    body = alerts.nightly_reminder(turn.now, at, _zone(turn), _spoken(turn, "habits.alexa.nightly"))
    current = _state(turn).reminder
    if current is None:
        return AlertStep(alerts.create_reminder(body), _reminder_saved(at, consented, None))
    call = alerts.update_reminder(current.token, body)
    return AlertStep(call, _reminder_saved(at, consented, current.token))


def _reminder_saved(
    at: time, consented: bool, moving: str | None
) -> Callable[[Turn, AlertOutcome], Step]:
    def then(turn: Turn, outcome: AlertOutcome) -> Step:
        if outcome.result is Result.GONE and moving is not None:
            _keep(turn, replace(_state(turn), reminder=None))
            return _remind_at(turn, at, consented)
        if outcome.result is Result.NOT_ALLOWED:
            return _not_allowed(turn, REMINDERS, consented, {"do": "reminder", "at": _hhmm(at)})
        token = outcome.token or moving
        if not outcome.done or token is None:
            return _done(Reply.tell("habits.reminder.failed"))
        _keep(turn, replace(_state(turn), reminder=Reminder(token, at), offered=True))
        key = "habits.reminder.moved" if moving else "habits.reminder.set"
        return _done(Reply.tell(key, time=spoken_time(turn.catalog, at)))

    return then


def stop_reminders(turn: Turn) -> Step:
    """ "Stop the reminders": delete the nightly reminder Alexa keeps."""
    current = _state(turn).reminder
    if current is None:
        return _done(Reply.tell("habits.reminder.none"))
    return AlertStep(alerts.delete_reminder(current.token), _stopped)


def _stopped(turn: Turn, outcome: AlertOutcome) -> Step:
    if outcome.result in (Result.FAILED, Result.UNREACHABLE):
        return _done(Reply.tell("habits.reminder.stop_failed"))
    _keep(turn, replace(_state(turn), reminder=None))
    if outcome.result is Result.NOT_ALLOWED:
        return _done(Reply.tell("habits.reminder.stop_in_app"))
    return _done(_with_tip(turn, Reply.tell("habits.reminder.stopped")))


def reminder_status(turn: Turn) -> Reply:
    """ "When is our reminder?" """
    current = _state(turn).reminder
    if current is None:
        return Reply.ask("habits.reminder.status_none", "habits.reminder.status_none_reprompt")
    return Reply.tell("habits.reminder.status", time=spoken_time(turn.catalog, current.at))


def reminder_offer(turn: Turn) -> Reply | None:
    """A launch note, once ever: from the second day on, offer a nightly reminder."""
    state = _state(turn)
    if not offer_reminder(state, turn.household.visits):
        return None
    _keep(turn, replace(state, offered=True))
    return Reply.ask(
        "habits.reminder.offer", "habits.reminder.offer_reprompt", pending=Ask.REMINDER_OFFER
    )


def reminder_offer_accepted(turn: Turn) -> Reply:
    """Yes to the offer (or no time given): ask which time."""
    reply = Reply.ask("habits.reminder.which_time", "habits.reminder.which_time_reprompt")
    return reply.with_session(**{AWAITING: FOR_REMINDER, CONTEXT: FEATURE})


def reminder_offer_declined(turn: Turn) -> Reply:
    return _with_tip(turn, Reply.tell("habits.reminder.offer_declined"))


# -- Alexa routines ---------------------------------------------------------------------


def routine_tip(turn: Turn) -> Reply:
    """How to add the skill to an Alexa routine ("at 9 p.m., open Closer Together")."""
    _keep(turn, replace(_state(turn), tip=True))
    return Reply.tell("habits.routine.tip")


def _with_tip(turn: Turn, reply: Reply) -> Reply:
    """Add the routine tip to a reply, the first time only."""
    if _state(turn).tip:
        return reply
    _keep(turn, replace(_state(turn), tip=True))
    return reply.then("habits.routine.tip")


# -- the screen-free timer ----------------------------------------------------------------


def start_screen_free(turn: Turn, spoken: str | None, allowed: bool) -> Step:
    """ "Start our screen-free time" (the household's length, twenty minutes at first)."""
    minutes = duration_minutes(spoken) if spoken else _state(turn).screen_free
    if minutes is None or not timer_length_allowed(minutes):
        return _length_range(FOR_TIMER)
    if not allowed:
        return _ask_permission(turn, TIMERS, {"do": "timer", "minutes": minutes})
    return _timer(turn, minutes, consented=False)


def _timer(turn: Turn, minutes: int, consented: bool) -> Step:
    label = turn.catalog.plain("habits.alexa.timer_label")
    spec = TimerSpec(minutes, label, _spoken(turn, "habits.alexa.timer_done"))

    def then(turn: Turn, outcome: AlertOutcome) -> Step:
        if outcome.result is Result.NOT_ALLOWED:
            return _not_allowed(turn, TIMERS, consented, {"do": "timer", "minutes": minutes})
        if not outcome.done:
            return _done(Reply.tell("habits.timer.failed"))
        length = spoken_length(turn.catalog, minutes)
        return _done(Reply.tell("habits.timer.started", length=length))

    return AlertStep(alerts.create_timer(spec), then)


def set_screen_free_length(turn: Turn, spoken: str | None) -> Reply:
    """ "Make our screen-free time half an hour." """
    minutes = duration_minutes(spoken)
    if spoken is None:
        reply = Reply.ask("habits.timer.which_length", "habits.timer.which_length_reprompt")
        return reply.with_session(**{AWAITING: FOR_LENGTH, CONTEXT: FEATURE})
    if minutes is None or not timer_length_allowed(minutes):
        return _length_range(FOR_LENGTH)
    _keep(turn, replace(_state(turn), screen_free=minutes))
    length = spoken_length(turn.catalog, minutes)
    return _done(Reply.tell("habits.timer.length_set", length=length))


def _length_range(awaiting: str) -> Reply:
    reply = Reply.ask("habits.timer.range", "habits.timer.range_reprompt")
    return reply.with_session(**{AWAITING: awaiting, CONTEXT: FEATURE})


# -- short answers ("nine", "half an hour") -------------------------------------------------


def awaiting(session: Mapping[str, Any]) -> str | None:
    """What this session is waiting to hear: a time (FOR_REMINDER) or a length of time."""
    value = session.get(AWAITING)
    return value if isinstance(value, str) else None


def time_answer(turn: Turn, spoken: str | None, allowed: bool) -> Step:
    """A time said on its own: the answer to "what time?", or a hint if nothing asked."""
    if turn.session.get(AWAITING) == FOR_REMINDER:
        return set_reminder(turn, spoken, allowed)
    return Reply.ask("habits.stray_time", "habits.stray_reprompt")


def duration_answer(turn: Turn, spoken: str | None, allowed: bool) -> Step:
    """A length of time said on its own: for the timer, or the household's usual length."""
    awaiting = turn.session.get(AWAITING)
    if awaiting == FOR_TIMER:
        return start_screen_free(turn, spoken, allowed)
    if awaiting == FOR_LENGTH:
        return set_screen_free_length(turn, spoken)
    return Reply.ask("habits.stray_length", "habits.stray_reprompt")


# -- permission, asked by voice ----------------------------------------------------------------


def _ask_permission(turn: Turn, scope: str, want: Mapping[str, Any]) -> Reply:
    key = "habits.permission.ask_timers" if scope == TIMERS else "habits.permission.ask_reminders"
    return Reply.ask_permission(key, scope).with_session(
        **{WANT: dict(want), AWAITING: None, CONTEXT: FEATURE}
    )


def _not_allowed(turn: Turn, scope: str, consented: bool, want: Mapping[str, Any]) -> Reply:
    """The API refused for want of permission: ask by voice, or (just after a yes) send the card."""
    if not consented:
        return _ask_permission(turn, scope, want)
    return _card(scope)


def _card(scope: str) -> Reply:
    key = "habits.permission.card_timers" if scope == TIMERS else "habits.permission.card_reminders"
    return _done(Reply.tell(key).with_permission_card(scope))


def permission_answered(turn: Turn, code: str | None, status: str | None) -> Step:
    """Alexa's answer to the permission asked by voice: carry on, accept a no, or send a card."""
    want = turn.session.get(WANT)
    want = want if isinstance(want, Mapping) else {}
    scope = TIMERS if want.get("do") == "timer" else REMINDERS
    if code not in (None, "200") or status not in (ACCEPTED, DENIED):
        return _card(scope)
    if status == DENIED and scope == TIMERS:
        return _done(Reply.tell("habits.permission.denied_timers"))
    if status == DENIED:
        return _done(_with_tip(turn, Reply.tell("habits.permission.denied")))
    return _resume(turn, want)


def _resume(turn: Turn, want: Mapping[str, Any]) -> Step:
    """Carry on with what waited for the permission."""
    at = clock_time(want.get("at")) if isinstance(want.get("at"), str) else None
    minutes = want.get("minutes")
    if want.get("do") == "reminder" and at is not None:
        return _remind_at(turn, at, consented=True)
    if want.get("do") == "timer" and isinstance(minutes, int) and timer_length_allowed(minutes):
        return _timer(turn, minutes, consented=True)
    return _done(Reply.ask("habits.permission.thanks", "habits.stray_reprompt"))


def gave_up(turn: Turn) -> Reply:
    """The turn used its calls without an answer to give."""
    return _done(Reply.tell("habits.reminder.failed"))


# -- the time capsule ---------------------------------------------------------------------------


def start_capsule(turn: Turn) -> Step:
    """ "Start a time capsule": how it works, and the date noted (one waiting is kept unless
    they say to start afresh)."""
    capsule = _state(turn).capsule
    if capsule is not None and not capsule.ready(turn.clock.today):
        return Reply.ask(
            "habits.capsule.already",
            "habits.capsule.already_reprompt",
            pending=Ask.NEW_CAPSULE,
            **_capsule_dates(turn, capsule),
        )
    return new_capsule(turn)


def new_capsule(turn: Turn) -> Step:
    """Seal a capsule today; with reminders on, one reminder on its opening day too."""
    state = _state(turn)
    old = state.capsule.alert if state.capsule else None
    capsule = Capsule(turn.clock.today)
    _keep(turn, replace(state, capsule=capsule))
    sealed = Reply.tell("habits.capsule.explain").then(
        "habits.capsule.sealed", **_capsule_dates(turn, capsule)
    )
    if state.reminder is None:
        return _done(sealed)
    body = alerts.one_reminder(
        turn.now,
        capsule.opens,
        capsule_reminder_time(state),
        _zone(turn),
        _spoken(turn, "habits.alexa.capsule"),
    )
    call = alerts.update_reminder(old, body) if old else alerts.create_reminder(body)
    return AlertStep(call, _capsule_reminded(sealed, old, body))


def _capsule_reminded(
    sealed: Reply, old: str | None, body: Mapping[str, Any]
) -> Callable[[Turn, AlertOutcome], Step]:
    def then(turn: Turn, outcome: AlertOutcome) -> Step:
        if outcome.result is Result.GONE and old is not None:
            return AlertStep(alerts.create_reminder(body), _capsule_reminded(sealed, None, body))
        token = outcome.token or old
        capsule = _state(turn).capsule
        if not outcome.done or token is None or capsule is None:
            return _done(sealed)
        _keep(turn, replace(_state(turn), capsule=replace(capsule, alert=token)))
        return _done(sealed.then("habits.capsule.reminder"))

    return then


def kept_capsule(turn: Turn) -> Reply:
    return _done(Reply.tell("habits.capsule.kept"))


def capsule_when(turn: Turn) -> Reply:
    """ "When do we open our time capsule?" """
    capsule = _state(turn).capsule
    if capsule is None:
        return Reply.ask("habits.capsule.none", "habits.capsule.none_reprompt")
    if not capsule.ready(turn.clock.today):
        return Reply.tell("habits.capsule.opens", **_capsule_dates(turn, capsule))
    _keep(turn, replace(_state(turn), capsule=replace(capsule, told=True)))
    return Reply.tell("habits.capsule.ready", **_capsule_dates(turn, capsule))


def capsule_note(turn: Turn) -> Reply | None:
    """A launch note, once: the capsule is ready to open together."""
    capsule = _state(turn).capsule
    if capsule is None or capsule.told or not capsule.ready(turn.clock.today):
        return None
    _keep(turn, replace(_state(turn), capsule=replace(capsule, told=True)))
    return Reply.tell("habits.capsule.ready_note", **_capsule_dates(turn, capsule))


def _capsule_dates(turn: Turn, capsule: Capsule) -> dict[str, Any]:
    return {
        "sealed": spoken_date(turn.catalog, capsule.sealed),
        "opens": spoken_date(turn.catalog, capsule.opens),
    }


# -- the appreciation round on the weekly check-in day -------------------------------------------


def round_offer(turn: Turn) -> Reply | None:
    """A launch note, once on each weekly check-in day: offer the appreciation round."""
    state = _state(turn)
    day = ritual_day(turn.now)
    chosen = turn.household.plan.check_in_day
    if chosen is None or Weekday.of(day) is not chosen or state.round_offered == day:
        return None
    _keep(turn, replace(state, round_offered=day))
    return Reply.ask(
        "habits.round.offer", "habits.round.offer_reprompt", pending=Ask.APPRECIATION_ROUND
    )


def round_declined(turn: Turn) -> Reply:
    return Reply.tell("habits.round.declined")


def _hhmm(at: time) -> str:
    return at.strftime("%H:%M")
