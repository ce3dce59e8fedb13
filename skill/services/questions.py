"""Tonight's question: the household's shared question for the night, and moving through them.

Every function reads the household, asks the pure domain (skill.domain.questions) what
happens, stores the new progress and returns a Reply by content key. A question reply
ends the session (the couple needs time to talk). After the 36 the questions carry on
into the themed decks; the household can also list the decks, pick one or be surprised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from skill.content.decks import (
    catalog_decks,
    deck_by_code,
    deck_named,
    domain_decks,
    every_question,
    question,
)
from skill.content.questions import order_of
from skill.domain import questions as domain
from skill.domain.questions import Assignment, Deck, Stage, Step
from skill.reply import CONTEXT, Ask, Question, Reply
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
    return reply.with_card("questions.card_title", "questions.card_body", question=text)


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


def nothing_said_yet(session: Mapping[str, Any]) -> bool:
    """True when this session has said nothing that could be repeated."""
    return remembered(session) is None


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


def _present(turn: Turn, result: Assignment) -> Reply:
    household = turn.household
    if result.progress != household.questions:
        turn.update(replace(household, questions=result.progress))
    asked = question(turn.catalog, result.question)
    reply = _spoken(turn, result, asked.text)
    lead = _lead(result)
    reply = _who_first(turn, reply.first(lead) if lead else reply, result.progress.starter)
    reply = _with_screen(turn, reply, result.question, result.revisiting, result.progress.starter)
    reply = reply.then("questions.tender" if asked.tender else "questions.hint")
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
