"""The question bank on disk: the 36, the decks after them, and the guidance lines.

Reads the TOML and the interaction model directly, so it checks the words themselves:
counts and ids, the spoken-text rules every question and task follows, and that no two
questions anywhere in the bank say the same thing in other words.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from skill.content.likeness import CONTRACTIONS, SIMILAR, near_duplicates, similarity, words_of
from skill.content.questions import closed_opener

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "en-US"
PLAN_MODEL = ROOT / "interaction_models" / "intents" / "plan.json"

SETS = 3
SET_SIZE = 12
MIN_DECKS = 8
MAX_DECKS = 10
DECK_SIZE = range(30, 46)
MIN_DECK_QUESTIONS = 340
MAX_WORDS = 30
MAX_DESCRIPTION_WORDS = 20
MAX_GUIDE_WORDS = 55
MAX_SHARE_OF_ONE_OPENING = 1 / 3

SPOKEN = re.compile(r"[A-Za-z][A-Za-z ,.?'-]*")
SENTENCE_END = re.compile(r"(?<=[.?])\s+")
GUIDE_TOPICS = (
    "grounding",
    "non_defensive",
    "owning_your_part",
    "reluctant_partner",
    "slow_progress",
    "struggling_partner",
    "betrayal",
    "unsure",
)
OUTSIDE_HELP = ("counselor", "therapist", "doctor")
NEEDS_OUTSIDE_HELP = ("grounding", "reluctant_partner", "struggling_partner", "betrayal", "unsure")
TOGETHER = re.compile(r"\b(?:each other|me|my|i|us|our|ours|we)\b")


# -- reading ------------------------------------------------------------------


def load(name: str) -> dict[str, Any]:
    with (CONTENT / name).open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def the_36() -> list[dict[str, Any]]:
    return list(load("questions.toml")["questions"])


@pytest.fixture(scope="module")
def bank() -> dict[str, Any]:
    return load("decks.toml")


@pytest.fixture(scope="module")
def decks(bank: dict[str, Any]) -> list[dict[str, Any]]:
    return list(bank["decks"])


@pytest.fixture(scope="module")
def deck_questions(bank: dict[str, Any]) -> list[dict[str, Any]]:
    return list(bank["deck_questions"])


@pytest.fixture(scope="module")
def everything(
    the_36: list[dict[str, Any]], deck_questions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    return [*the_36, *deck_questions]


@pytest.fixture(scope="module")
def guide() -> dict[str, Any]:
    return dict(load("guidance.toml")["speech"]["guide"])


# -- the spoken-text rules ----------------------------------------------------


def spoken_problems(text: str, max_words: int) -> list[str]:
    """What keeps a line from being read aloud cleanly (empty when it is fine)."""
    problems: list[str] = []
    if len(text.split()) > max_words:
        problems.append(f"over {max_words} words")
    if not SPOKEN.fullmatch(text):
        bad = sorted(set(re.sub(r"[A-Za-z ,.?'-]", "", text)))
        problems.append(f"characters not for speech {bad}")
    if "  " in text or text != text.strip():
        problems.append("stray spaces")
    return problems


def text_problems(row: Mapping[str, Any]) -> list[str]:
    """Everything wrong with one question or task of the bank."""
    text = row.get("text")
    if not isinstance(text, str) or not text:
        return ["no text"]
    problems = spoken_problems(text, MAX_WORDS)
    sentences = SENTENCE_END.split(text)
    if len(sentences) > 2:
        problems.append("more than two sentences")
    if len(sentences) == 2 and max(len(s.split()) for s in sentences) > 20:
        problems.append("two sentences, not both short")
    if any(mark in sentence[:-1] for sentence in sentences for mark in ".?"):
        problems.append("a full stop or question mark inside a sentence")
    if opener := closed_opener(text):
        problems.append(f"opens with {opener!r}")
    if "partner" in text.lower():
        problems.append("speaks of a partner in the third person")
    if row.get("kind", "question") == "task":
        if not text.endswith(".") or "?" in text:
            problems.append("a task ends with a full stop and asks nothing")
    elif not text.endswith("?"):
        problems.append("a question ends with a question mark")
    return problems


def test_the_rules_catch_what_they_are_for() -> None:
    assert text_problems({"text": "What made you smile today?"}) == []
    assert text_problems({"text": "Tell each other a secret.", "kind": "task"}) == []
    assert text_problems({"text": "Think of last week. What stood out?"}) == []
    assert "opens with 'do you'" in text_problems({"text": "Do you like tea?"})
    assert "opens with 'is'" in text_problems({"text": "Is it raining?"})
    assert text_problems({"text": "Island life or city life, which suits you?"}) == []
    assert text_problems({"text": "What now."}) == ["a question ends with a question mark"]
    assert text_problems({"text": "Tell me?", "kind": "task"}) == [
        "a task ends with a full stop and asks nothing"
    ]
    assert any("characters" in p for p in text_problems({"text": "What's on: tv?"}))
    assert any("characters" in p for p in text_problems({"text": "Name 3 things?"}))
    assert any("over 30" in p for p in text_problems({"text": "word " * 30 + "end?"}))
    assert "more than two sentences" in text_problems({"text": "One. Two. Three?"})
    assert "speaks of a partner in the third person" in text_problems(
        {"text": "What does your partner do well?"}
    )


# -- near duplicates ----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Which small thing from our years together still makes you smile?",
            "What little thing from our shared years makes you smile?",
        ),
        ("What made you laugh out loud most recently?", "What made you laugh lately?"),
        (
            "Which meal could you happily eat every week for a whole year?",
            "What meal could you eat every single week for a year and stay happy?",
        ),
        (
            "Tell each other about a dream you've kept mostly to yourself.",
            "What's a dream you have mostly kept to yourself so far?",
        ),
    ],
)
def test_a_rephrased_question_is_flagged(first: str, second: str) -> None:
    assert similarity(first, second) >= SIMILAR


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("What made you laugh this week?", "Which film always makes you laugh?"),
        (
            "Which small thing from our years together still makes you smile?",
            "What small thing could make tomorrow morning smoother?",
        ),
        (
            "When have you felt most supported by me?",
            "What would help you feel close to me right now?",
        ),
    ],
)
def test_different_questions_on_a_shared_theme_are_not_flagged(first: str, second: str) -> None:
    assert similarity(first, second) < SIMILAR


def test_no_two_questions_in_the_whole_bank_say_the_same_thing(
    everything: list[dict[str, Any]],
) -> None:
    texts = {row["id"]: row["text"] for row in everything}
    assert list(near_duplicates(texts)) == []


# -- the 36 ---------------------------------------------------------------------


def test_three_sets_of_twelve_with_running_ids(the_36: list[dict[str, Any]]) -> None:
    assert len(the_36) == SETS * SET_SIZE
    assert Counter(row["set"] for row in the_36) == {n: SET_SIZE for n in range(1, SETS + 1)}
    expected = [f"s{s}q{n:02d}" for s in range(1, SETS + 1) for n in range(1, SET_SIZE + 1)]
    assert [row["id"] for row in the_36] == expected
    assert all(row["id"].startswith(f"s{row['set']}q") for row in the_36)


def test_the_third_set_speaks_to_the_two_of_you(the_36: list[dict[str, Any]]) -> None:
    third = [row for row in the_36 if row["set"] == SETS]
    for row in third:
        assert TOGETHER.search(row["text"].lower()), row["id"]
    tasks = [row["id"] for row in third if row.get("kind") == "task"]
    assert 2 <= len(tasks) <= 6, tasks
    assert not [row["id"] for row in the_36 if row["set"] < SETS and row.get("kind")]


# -- the decks --------------------------------------------------------------------


def test_enough_decks_of_the_right_size(
    decks: list[dict[str, Any]], deck_questions: list[dict[str, Any]]
) -> None:
    assert MIN_DECKS <= len(decks) <= MAX_DECKS
    sizes = Counter(row["deck"] for row in deck_questions)
    for deck in decks:
        assert sizes[deck["id"]] in DECK_SIZE, (deck["id"], sizes[deck["id"]])
    assert len(deck_questions) >= MIN_DECK_QUESTIONS
    assert set(sizes) <= {deck["id"] for deck in decks}


def test_decks_are_named_once_and_well_formed(decks: list[dict[str, Any]]) -> None:
    ids = [deck["id"] for deck in decks]
    codes = [deck["code"] for deck in decks]
    assert len(set(ids)) == len(ids) and len(set(codes)) == len(codes)
    heard: list[str] = []
    for deck in decks:
        assert re.fullmatch(r"[a-z]+", deck["id"]), deck["id"]
        assert re.fullmatch(r"[a-z]{2}", deck["code"]), deck["code"]
        assert re.fullmatch(r"[a-z][a-z ]*[a-z]", deck["name"]), deck["name"]
        assert not deck["name"].startswith("the "), "said as: the <name> deck"
        description = deck["description"]
        assert spoken_problems(description, MAX_DESCRIPTION_WORDS) == [], deck["id"]
        assert description.endswith("."), deck["id"]
        spoken = deck["spoken"]
        assert spoken and all(re.fullmatch(r"[a-z][a-z' ]*[a-z]", s) for s in spoken), deck["id"]
        heard += [deck["name"], *spoken]
    assert len(set(heard)) == len(heard), [s for s, n in Counter(heard).items() if n > 1]


def test_deck_question_ids_run_within_each_deck(
    decks: list[dict[str, Any]], deck_questions: list[dict[str, Any]]
) -> None:
    code = {deck["id"]: deck["code"] for deck in decks}
    ids = [row["id"] for row in deck_questions]
    assert len(set(ids)) == len(ids)
    for deck in decks:
        mine = [row["id"] for row in deck_questions if row["deck"] == deck["id"]]
        assert mine == [f"{code[deck['id']]}{n:02d}" for n in range(1, len(mine) + 1)]


def test_deck_openings_vary(deck_questions: list[dict[str, Any]]) -> None:
    openings = Counter(CONTRACTIONS.sub("", words_of(row["text"])[0]) for row in deck_questions)
    (word, count), *_ = openings.most_common(1)
    assert count <= MAX_SHARE_OF_ONE_OPENING * len(deck_questions), (word, count)
    tasks = [row for row in deck_questions if row.get("kind") == "task"]
    assert len(tasks) >= len(deck_questions) // 12


# -- every question and task ----------------------------------------------------


def test_every_text_follows_the_spoken_rules(everything: list[dict[str, Any]]) -> None:
    problems = {row["id"]: text_problems(row) for row in everything}
    assert {ident: found for ident, found in problems.items() if found} == {}


def test_only_known_markers_are_used(everything: list[dict[str, Any]]) -> None:
    for row in everything:
        assert row.get("tender", True) is True, row["id"]
        assert row.get("kind", "task") == "task", row["id"]
        assert set(row) <= {"id", "set", "deck", "text", "tender", "kind"}, row["id"]
    assert any(row.get("tender") for row in everything)


# -- the guidance ------------------------------------------------------------------


def test_every_guidance_topic_has_a_short_kind_answer(guide: dict[str, Any]) -> None:
    assert set(guide) == set(GUIDE_TOPICS)
    for topic, line in guide.items():
        assert isinstance(line, str), topic
        assert spoken_problems(line, MAX_GUIDE_WORDS) == [], topic
        assert line.endswith("."), topic
    for topic in NEEDS_OUTSIDE_HELP:
        assert any(word in guide[topic].lower() for word in OUTSIDE_HELP), topic
    assert "doctor" in guide["struggling_partner"].lower()


def test_the_model_names_every_guidance_topic() -> None:
    types = {t["name"]: t for t in json.loads(PLAN_MODEL.read_text(encoding="utf-8"))["types"]}
    values = {v["id"]: v["name"] for v in types["PlanGuidanceTopic"]["values"]}
    assert set(GUIDE_TOPICS) <= set(values)
    heard = [said for name in values.values() for said in (name["value"], *name["synonyms"])]
    assert len(set(heard)) == len(heard), [s for s, n in Counter(heard).items() if n > 1]
    for topic in GUIDE_TOPICS:
        assert len(values[topic]["synonyms"]) >= 3, topic
