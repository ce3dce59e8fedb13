"""Tonight's question: the household's shared question for the night, and moving through them.

Every function reads the household, asks the pure domain (skill.domain.questions) what
happens, stores the new progress and returns a Reply by content key. A question reply
ends the session (the couple needs time to talk). After the 36 the questions carry on
into the themed decks; the household can also list the decks, pick one or be surprised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from skill.content.catalog import LocaleCatalog
from skill.content.decks import (
    catalog_decks,
    deck_by_code,
    deck_named,
    domain_decks,
    every_question,
    question,
)
from skill.content.questions import order_of
from skill.domain import evening
from skill.domain import questions as domain
from skill.domain.clock import read_instant
from skill.domain.questions import Assignment, Deck, Stage, Step
from skill.domain.timeline import Cue, Segment, Silence, Timeline
from skill.reply import CONTEXT, Ask, Question, Reply, Say
from skill.speech.apla import estimate_ms
from skill.speech.render import remembered
from skill.speech.screens import question_screen
from skill.turn import Turn

FEATURE = "questions"
DECKS = "decks"
"""The context while the household is choosing a deck."""
STEP_KEYS: Mapping[Step, str] = {
    Step.SAME: "questions.same",
    Step.NEW: "questions.tonight",
    Step.NEXT: "questions.next",
    Step.SKIPPED: "questions.skipped",
    Step.CHOSEN: "questions.tonight",
}
DECK_STEP_KEYS: Mapping[Step, str] = {
    Step.SAME: "decks.same",
    Step.NEW: "decks.tonight",
    Step.NEXT: "decks.next",
    Step.SKIPPED: "decks.skipped",
    Step.CHOSEN: "decks.chosen",
}


def tonight(turn: Turn) -> Reply:
    """Tonight's question for the household: the same on every device all night."""
    return _present(turn, domain.tonight(turn.household.questions, *_bank(turn)))


def next_question(turn: Turn) -> Reply:
    """Move on to the next question (tonight's, if none is out yet tonight)."""
    return _present(turn, domain.next_question(turn.household.questions, *_bank(turn)))


def skip(turn: Turn) -> Reply:
    """Set tonight's question aside, uncounted, and give the next one."""
    result = domain.skip(turn.household.questions, *_bank(turn))
    reply = _present(turn, result)
    if result.step is not Step.SKIPPED:
        reply = reply.first("questions.nothing_to_skip")
    return reply


def again(turn: Turn) -> Reply:
    """Tonight's question once more, without moving on; tonight's if none is out yet."""
    progress = turn.household.questions
    if not progress.assigned_on(turn.clock.night(), every_question(turn.catalog)):
        return tonight(turn)
    text = question(turn.catalog, str(progress.current)).text
    deck = domain.deck_in_play(progress, domain_decks(turn.catalog))
    if deck is None:
        reply = Reply.tell("questions.repeat", question=text)
    else:
        reply = Reply.tell("decks.repeat", question=text, deck=_deck_name(turn, deck))
    reply = _who_first(turn, reply, progress.starter)
    reply = _with_screen(turn, reply, str(progress.current), progress.finished, progress.starter)
    reply = reply.with_card("questions.card_title", "questions.card_body", question=text)
    if in_evening(turn.session):
        return _quiet_after(turn, reply, _evening_minutes(turn))
    return reply


# -- the decks ------------------------------------------------------------------


def list_decks(turn: Turn) -> Reply:
    """The decks by name, with a card that describes each; then which one, if any."""
    decks = catalog_decks(turn.catalog)
    names = ", ".join(deck.name for deck in decks)
    card = " ".join(f"{deck.name.capitalize()}: {deck.description}" for deck in decks)
    return (
        Reply.ask(
            "decks.list",
            "decks.list_reprompt",
            asked=Question.WHICH_DECK,
            count=len(decks),
            names=names,
        )
        .with_card("decks.card_title", "decks.card_body", decks=card)
        .with_session(**{CONTEXT: DECKS})
    )


def choose_deck(turn: Turn, spoken: str | None) -> Reply:
    """Tonight's question from the deck the household named, and from it on the nights after."""
    named = deck_named(turn.catalog, spoken)
    if named is None:
        return Reply.ask(
            "decks.which", "decks.list_reprompt", asked=Question.WHICH_DECK
        ).with_session(**{CONTEXT: DECKS})
    result = domain.choose_deck(turn.household.questions, *_bank(turn), named.code)
    if result is None:
        return Reply.ask(
            "decks.used_up", "decks.list_reprompt", asked=Question.WHICH_DECK, deck=named.name
        ).with_session(**{CONTEXT: DECKS})
    return _present(turn, result)


def surprise(turn: Turn) -> Reply:
    """A deck picked for the household; once every deck is used up, tonight's question."""
    result = domain.surprise(turn.household.questions, *_bank(turn))
    if result is None:
        return tonight(turn).first("decks.all_heard")
    return _present(turn, result)


def nothing_said_yet(session: Mapping[str, Any], catalog: LocaleCatalog) -> bool:
    """True when this session has said nothing that could be repeated."""
    return remembered(session, catalog) is None


def which(turn: Turn) -> Reply:
    """Which set or deck, and which question, the household is on."""
    where = domain.place(turn.household.questions, *_bank(turn))
    if where.stage is Stage.NOT_STARTED:
        return Reply.tell("questions.which.start")
    if where.stage is Stage.REVISITING:
        return Reply.tell("questions.which.revisiting")
    is_tonight = where.stage is Stage.TONIGHT
    if where.deck is not None:
        key = "decks.which_tonight" if is_tonight else "decks.which_upcoming"
        size = len(where.deck.questions)
        return Reply.tell(key, deck=_deck_name(turn, where.deck), number=where.number, of=size)
    key = "questions.which.tonight" if is_tonight else "questions.which.upcoming"
    return Reply.tell(key, set=where.set, number=where.number)


def start_over(turn: Turn) -> Reply:
    """Ask before clearing the household's place in the questions."""
    if domain.at_start(turn.household.questions):
        return Reply.tell("questions.start_over.already")
    return Reply.ask(
        "questions.start_over.confirm",
        "questions.start_over.reprompt",
        pending=Ask.START_QUESTIONS_OVER,
    ).with_session(**{CONTEXT: FEATURE})


def started_over(turn: Turn) -> Reply:
    """The yes to starting over: back to the first question, which becomes tonight's."""
    household = turn.household
    turn.update(replace(household, questions=domain.start_over(household.questions)))
    return tonight(turn).first("questions.start_over.done")


def kept_place(turn: Turn) -> Reply:
    """The no to starting over: nothing changes."""
    return Reply.tell("questions.start_over.kept")


# -- speaking a question ------------------------------------------------------


def _bank(turn: Turn) -> tuple[date, tuple[str, ...], tuple[Deck, ...]]:
    """Tonight, the 36 in order and the decks: what the domain moves through."""
    return turn.clock.night(), order_of(turn.catalog), domain_decks(turn.catalog)


def _deck_name(turn: Turn, deck: Deck) -> str:
    return deck_by_code(turn.catalog, deck.code).name


def _present(turn: Turn, result: Assignment, hint: bool = True) -> Reply:
    household = turn.household
    if result.progress != household.questions:
        turn.update(replace(household, questions=result.progress))
    asked = question(turn.catalog, result.question)
    reply = _spoken(turn, result, asked.text)
    lead = _lead(result)
    reply = _who_first(turn, reply.first(lead) if lead else reply, result.progress.starter)
    reply = _with_screen(turn, reply, result.question, result.revisiting, result.progress.starter)
    if asked.tender:
        reply = reply.then("questions.tender")
    elif hint:
        # the night's first question offers an evening of them (one and done stays the default)
        first = result.step is Step.NEW and lead is None
        reply = reply.then("questions.evening.offer" if first else "questions.hint")
    return reply.with_card(
        "questions.card_title", "questions.card_body", question=asked.text
    ).with_session(**{CONTEXT: FEATURE})


def _lead(result: Assignment) -> str | None:
    """A line before the question when it begins something: a set, or the decks."""
    if result.finished_now:
        return "questions.finished"
    if result.opens_set is not None:
        return f"questions.intro.set{result.opens_set}"
    return None


def _spoken(turn: Turn, result: Assignment, text: str) -> Reply:
    if result.deck is not None:
        deck = _deck_name(turn, result.deck)
        return Reply.tell(DECK_STEP_KEYS[result.step], question=text, deck=deck)
    key = STEP_KEYS[result.step]
    if result.revisiting and result.step in (Step.NEW, Step.NEXT):
        key = "questions.revisit"
    return Reply.tell(key, question=text)


def _who_first(turn: Turn, reply: Reply, starter: int) -> Reply:
    first = _first_name(turn, starter)
    if first:
        return reply.then("questions.first_named", name=first)
    return reply.then("questions.first_nearest")


def _first_name(turn: Turn, starter: int) -> str | None:
    names = turn.household.names
    return names[starter % 2] if len(names) >= 2 else None


def _with_screen(
    turn: Turn, reply: Reply, question_id: str, revisiting: bool, starter: int
) -> Reply:
    """The question card for screens: the same question and the same first speaker."""
    text = question(turn.catalog, question_id).text
    deck = domain.deck_in_play(turn.household.questions, domain_decks(turn.catalog))
    place = _deck_name(turn, deck) if deck is not None else None
    card = question_screen(
        turn.catalog, text, question_id, revisiting, _first_name(turn, starter), deck=place
    )
    return replace(reply, screen=card)


# -- a question evening -------------------------------------------------------------

EVENING = "question_evening"
"""Session attribute and context: a question evening under way (its minutes per question,
and the quiet still to come after the last question when it did not fit one response)."""
ANOTHER = "questions.evening.another"


def in_evening(session: Mapping[str, Any]) -> bool:
    """Whether this session is a question evening."""
    return isinstance(session.get(EVENING), dict)


def between_waits(session: Mapping[str, Any], at: datetime) -> bool:
    """Whether the quiet after a question was split and its first part is over: whatever
    is heard now is the couple still talking."""
    state = session.get(EVENING)
    if not isinstance(state, dict) or _rest_ms(state) <= 0:
        return False
    until = read_instant(state.get("until"))
    return until is not None and at >= until


def _rest_ms(state: Mapping[str, Any]) -> int:
    """The quiet still to come (nothing, for a value that is not a whole number of ms)."""
    rest = state.get("rest_ms")
    return rest if isinstance(rest, int) and not isinstance(rest, bool) else 0


def start_evening(turn: Turn, minutes: int | None = None) -> Reply:
    """A question evening: a question, who answers first, a quiet wait, then "another one?"."""
    chosen = minutes or _evening_minutes(turn)
    result = domain.next_question(turn.household.questions, *_bank(turn))
    reply = _present(turn, result, hint=False).first(
        "questions.evening.start", time=_span(turn, chosen)
    )
    return _quiet_after(turn, reply, chosen)


def evening_next(turn: Turn) -> Reply:
    """ "Another one": the next question of the evening (it moves the household on, as
    "next question" does)."""
    if not in_evening(turn.session):
        return next_question(turn)
    result = domain.next_question(turn.household.questions, *_bank(turn))
    return _quiet_after(turn, _present(turn, result, hint=False), _evening_minutes(turn))


def evening_done(turn: Turn) -> Reply:
    """ "That's enough for tonight": the evening ends warmly."""
    return Reply.tell("questions.evening.done").with_session(**{EVENING: None, CONTEXT: None})


def evening_carries_on(turn: Turn) -> Reply:
    """The rest of a split wait: nothing said, only quiet, then "another one?"."""
    state = dict(turn.session.get(EVENING) or {})
    timeline = Timeline((Silence(min(_rest_ms(state), evening.BUDGET_MS)), Cue(ANOTHER)))
    reply = Reply(audio=timeline, end_session=False)
    return _asks_another(reply).with_session(**{EVENING: {**state, "rest_ms": 0}})


def set_evening_minutes(turn: Turn, spoken: str | None) -> Reply:
    """ "Give us five minutes per question": the wait after each question this evening."""
    minutes = _whole(spoken)
    if minutes is None or not evening.minutes_allowed(minutes):
        return Reply.ask("questions.evening.minutes_range", "questions.evening.minutes_reprompt")
    if not in_evening(turn.session):
        return start_evening(turn, minutes)
    state = {**dict(turn.session.get(EVENING) or {}), "minutes": minutes, "rest_ms": 0}
    reply = Reply.tell("questions.evening.minutes_set", time=_span(turn, minutes)).then(ANOTHER)
    return _asks_another(replace(reply, end_session=False)).with_session(**{EVENING: state})


def _quiet_after(turn: Turn, reply: Reply, minutes: int) -> Reply:
    spoken = sum(estimate_ms(Cue(line.key, line.params), turn.catalog) for line in reply.speech)
    closing = estimate_ms(Cue(ANOTHER), turn.catalog)
    wait = evening.wait_for(minutes * evening.MINUTE, spoken, closing)
    segments: tuple[Segment, ...] = (Silence(wait.now_ms),)
    if wait.whole:
        segments = (*segments, Cue(ANOTHER))
    until = turn.now + timedelta(milliseconds=spoken + wait.now_ms)
    state = {"minutes": minutes, "rest_ms": wait.rest_ms, "until": until.isoformat()}
    reply = replace(reply, audio=Timeline(segments), end_session=False)
    return _asks_another(reply).with_session(**{EVENING: state, CONTEXT: EVENING})


def _asks_another(reply: Reply) -> Reply:
    return replace(
        reply, reprompt=(Say("questions.evening.another_reprompt"),), pending=Ask.ANOTHER_QUESTION
    )


def _evening_minutes(turn: Turn) -> int:
    state = turn.session.get(EVENING)
    minutes = state.get("minutes") if isinstance(state, dict) else None
    if isinstance(minutes, int) and not isinstance(minutes, bool):
        return minutes if evening.minutes_allowed(minutes) else evening.DEFAULT_MINUTES
    return evening.DEFAULT_MINUTES


def _span(turn: Turn, minutes: int) -> str:
    if minutes == 1:
        return turn.catalog.plain("check_in.time.one_minute")
    return turn.catalog.plain("check_in.time.minutes", {"minutes": minutes})


def _whole(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None
