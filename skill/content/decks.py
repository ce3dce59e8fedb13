"""The themed decks after the 36 as the content holds them: read once per catalog, and checked.

``[[decks]]`` names each deck (a stable id, a two-letter code that prefixes its question ids,
the name said in a sentence, a one-line description and the other ways people name it);
``[[deck_questions]]`` holds the questions, in order within each deck. The checks at load
cover the whole bank, the 36 included: counts, ids, the spoken-text rules of every question
and task, and no question asked twice, word for word or in other words.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from skill.content.catalog import ContentError, LocaleCatalog, check_ssml_safe, per_catalog
from skill.content.catalog import table_text as text_field
from skill.content.likeness import near_duplicates
from skill.content.questions import catalog_questions, markers, spoken_problems
from skill.domain.questions import DECK_QUESTION_ID, MAX_DEALT, Deck, Question

DECK_SIZE = range(30, MAX_DEALT + 1)
"""How many questions a deck holds."""
DECK_COUNT = range(2, 21)
MAX_DESCRIPTION_WORDS = 20
DECK_ID = re.compile(r"^[a-z]+$")
DECK_CODE = re.compile(r"^[a-z]{2}$")
SPOKEN_NAME = re.compile(r"^[a-z][a-z' ]*[a-z]$")
DECK_KEYS: tuple[str, ...] = (
    "decks.tonight",
    "decks.same",
    "decks.next",
    "decks.skipped",
    "decks.chosen",
    "decks.repeat",
)
"""Keys that speak a deck question: each takes ``{deck}`` and ``{question}``."""


@dataclass(frozen=True)
class DeckText:
    """A deck as the content names it, with its questions."""

    id: str
    code: str
    name: str
    description: str
    spoken: tuple[str, ...]
    questions: tuple[Question, ...]

    @property
    def deck(self) -> Deck:
        return Deck(self.code, tuple(q.id for q in self.questions))


@per_catalog
def catalog_decks(catalog: LocaleCatalog) -> tuple[DeckText, ...]:
    """Every deck with its questions, in the order the household carries on through them."""
    where = f"{catalog.locale}: decks"
    questions = [_question(where, index, row) for index, row in enumerate(_rows(catalog))]
    heads = [_deck_head(where, row) for row in _table(catalog, "decks")]
    return tuple(
        DeckText(*head, questions=tuple(q for q, deck in questions if deck == head[0]))
        for head in heads
    )


@per_catalog
def domain_decks(catalog: LocaleCatalog) -> tuple[Deck, ...]:
    """The decks as the pure domain moves through them."""
    return tuple(deck.deck for deck in catalog_decks(catalog))


@per_catalog
def every_question(catalog: LocaleCatalog) -> Mapping[str, Question]:
    """Every question and task a household can be given, the 36 and the decks, by id."""
    found = {q.id: q for q in catalog_questions(catalog)}
    found.update((q.id, q) for deck in catalog_decks(catalog) for q in deck.questions)
    return found


def question(catalog: LocaleCatalog, question_id: str) -> Question:
    try:
        return every_question(catalog)[question_id]
    except KeyError:
        raise ContentError(f"{catalog.locale}: no question {question_id!r}") from None


def deck_by_code(catalog: LocaleCatalog, code: str) -> DeckText:
    return next(deck for deck in catalog_decks(catalog) if deck.code == code)


def deck_named(catalog: LocaleCatalog, spoken: str | None) -> DeckText | None:
    """The deck a slot names, by its id (entity resolution) or any of its spoken names."""
    if not spoken:
        return None
    said = " ".join(spoken.lower().replace("deck", " ").split())
    for deck in catalog_decks(catalog):
        names = {deck.id, deck.name, *deck.spoken}
        if said in names or said.removeprefix("the ") in names:
            return deck
    return None


def _table(catalog: LocaleCatalog, name: str) -> list[Mapping[str, object]]:
    rows = catalog.table(name)
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise ContentError(f"{catalog.locale}: [[{name}]] must be an array of tables")
    return rows


def _rows(catalog: LocaleCatalog) -> list[Mapping[str, object]]:
    return _table(catalog, "deck_questions")


def _deck_head(where: str, row: Mapping[str, object]) -> tuple[str, str, str, str, tuple[str, ...]]:
    ident, code, spoken = row.get("id"), row.get("code"), row.get("spoken")
    if not isinstance(ident, str) or not DECK_ID.match(ident):
        raise ContentError(f"{where}: a deck needs a lower-case id, not {ident!r}")
    if not isinstance(code, str) or not DECK_CODE.match(code):
        raise ContentError(f"{where}: deck {ident!r} needs a two-letter code")
    if not isinstance(spoken, list) or not all(
        isinstance(s, str) and SPOKEN_NAME.match(s) for s in spoken
    ):
        raise ContentError(f"{where}: deck {ident!r} needs a list of spoken names")
    place = f"{where} {ident}"
    name, description = text_field(place, row, "name"), text_field(place, row, "description")
    return ident, code, name, description, tuple(spoken)


def _question(where: str, index: int, row: Mapping[str, object]) -> tuple[Question, str]:
    ident, deck, text = row.get("id"), row.get("deck"), row.get("text")
    if not isinstance(ident, str) or not isinstance(deck, str) or not isinstance(text, str):
        raise ContentError(f"{where}: deck_questions[{index}] needs an id, a deck and a text")
    return Question(ident, 0, " ".join(text.split()), *markers(where, ident, row)), deck


def deck_problems(decks: Sequence[DeckText], rows: int) -> list[str]:
    """Everything wrong with the decks themselves: counts, ids, codes and names."""
    problems: list[str] = []
    if len(decks) not in DECK_COUNT:
        problems.append(f"there are {len(decks)} decks")
    if sum(len(deck.questions) for deck in decks) != rows:
        problems.append("a question names a deck that does not exist")
    for label, values in (
        ("deck ids", [d.id for d in decks]),
        ("deck codes", [d.code for d in decks]),
        ("deck names", [s for d in decks for s in (d.name, *d.spoken)]),
    ):
        twice = sorted(v for v, n in Counter(values).items() if n > 1)
        if twice:
            problems.append(f"{label} used twice: {twice}")
    for deck in decks:
        problems += _one_deck_problems(deck)
    return problems


def _one_deck_problems(deck: DeckText) -> list[str]:
    problems: list[str] = []
    if len(deck.questions) not in DECK_SIZE:
        problems.append(f"deck {deck.id} has {len(deck.questions)} questions")
    expected = [f"{deck.code}{n:02d}" for n in range(1, len(deck.questions) + 1)]
    if [q.id for q in deck.questions] != expected:
        problems.append(f"deck {deck.id}: question ids must run {deck.code}01, {deck.code}02, ...")
    if any(not DECK_QUESTION_ID.match(q.id) for q in deck.questions):
        problems.append(f"deck {deck.id}: a question id is not a code and two digits")
    if len(deck.description.split()) > MAX_DESCRIPTION_WORDS:
        problems.append(f"deck {deck.id}: the description is over {MAX_DESCRIPTION_WORDS} words")
    return problems


def bank_problems(bank: Sequence[Question]) -> list[str]:
    """What is wrong across the whole bank: ids or texts twice, or one question asked twice."""
    problems: list[str] = []
    for label, values in (("ids", [q.id for q in bank]), ("texts", [q.text.lower() for q in bank])):
        twice = sorted(v for v, n in Counter(values).items() if n > 1)
        if twice:
            problems.append(f"question {label} used twice: {twice[:3]}")
    alike = [f"{one} and {two}" for one, two in _alike(tuple((q.id, q.text) for q in bank))]
    if alike:
        problems.append("questions that ask the same thing: " + ", ".join(alike[:5]))
    return problems


@functools.lru_cache(maxsize=4)
def _alike(bank: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The pairs asking the same thing; locales sharing the base's questions check them once."""
    return tuple((one, two) for one, two, _ in near_duplicates(dict(bank)))


def check(catalog: LocaleCatalog) -> None:
    """Raise ContentError unless the decks and the whole bank are fit to ask."""
    decks = catalog_decks(catalog)
    problems = deck_problems(decks, len(_rows(catalog)))
    for deck in decks:
        for q in deck.questions:
            problems += spoken_problems(q)
            check_ssml_safe(q.text, f"{catalog.locale}: question {q.id}")
    problems += bank_problems(
        [*catalog_questions(catalog), *(q for d in decks for q in d.questions)]
    )
    for key in DECK_KEYS:
        if catalog.has(key) and not all(
            "{question}" in v and "{deck}" in v for v in catalog.variants(key)
        ):
            problems.append(f"speech key {key!r} must speak {{deck}} and {{question}}")
    if problems:
        raise ContentError(f"{catalog.locale}: decks: " + "; ".join(problems))
