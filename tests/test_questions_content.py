"""The 36 questions on disk: counts, ids, open wording, length, and the checks that guard them."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from skill.content import questions
from skill.content.catalog import Catalog, ContentError, LocaleCatalog
from skill.devtools.models import load_model
from skill.devtools.nlu import Utterances
from skill.domain.questions import SET_SIZE, Question

OPENERS = (
    "do you",
    "are you",
    "is",
    "have you",
    "did you",
    "would you",
    "can you",
    "will you",
    "could you",
)
INTENTS = (
    "TonightsQuestionIntent",
    "NextQuestionIntent",
    "SkipQuestionIntent",
    "ReadQuestionAgainIntent",
    "WhichQuestionIntent",
    "StartQuestionsOverIntent",
)


@pytest.fixture(scope="module")
def asked(en: LocaleCatalog) -> tuple[Question, ...]:
    return questions.catalog_questions(en)


def test_there_are_exactly_36_in_three_sets_of_12(asked: tuple[Question, ...]) -> None:
    assert len(asked) == 36
    for number in (1, 2, 3):
        assert sum(1 for q in asked if q.set == number) == SET_SIZE


def test_ids_are_unique_stable_and_match_their_set(asked: tuple[Question, ...]) -> None:
    ids = [q.id for q in asked]
    assert len(set(ids)) == 36
    assert ids == [f"s{s}q{n:02d}" for s in (1, 2, 3) for n in range(1, 13)]
    assert all(q.id.startswith(f"s{q.set}q") for q in asked)


def test_no_two_questions_share_a_text(asked: tuple[Question, ...]) -> None:
    texts = [" ".join(q.text.lower().split()) for q in asked]
    assert len(set(texts)) == len(texts)


def test_every_question_is_an_open_question_of_at_most_30_words(
    asked: tuple[Question, ...],
) -> None:
    for q in asked:
        assert q.text.endswith("." if q.task else "?"), q.id
        assert len(q.text.split()) <= 30, q.id
        words = re.sub(r"[^a-z' ]", " ", q.text.lower()).split()
        for opener in OPENERS:
            assert words[: len(opener.split())] != opener.split(), (q.id, opener)


def test_no_question_carries_markup_or_placeholders(asked: tuple[Question, ...]) -> None:
    for q in asked:
        assert not set(q.text) & set("<>&{}"), q.id


def test_each_set_has_an_introduction_and_every_spoken_key_exists(en: LocaleCatalog) -> None:
    for number in (1, 2, 3):
        assert en.has(f"questions.intro.set{number}")
    for key in questions.QUESTION_KEYS:
        for variant in en.variants(key):
            assert "{question}" in variant, key
    assert en.has("help.questions") and en.has("fallback.questions")


def test_every_locale_passes_the_start_up_check(catalog: Catalog) -> None:
    for locale in catalog.locales.values():
        questions.check(locale)


def broken(en: LocaleCatalog, change: Any) -> LocaleCatalog:
    rows = [dict(row) for row in en.table("questions")]
    change(rows)
    return replace(en, tables={**en.tables, "questions": rows})


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda rows: rows.pop(), "35 questions"),
        (lambda rows: rows[0].update(text="Do you like tea?"), "yes or no"),
        (lambda rows: rows[1].update(text="Is it raining?"), "yes or no"),
        (lambda rows: rows[2].update(text="What is this."), "question mark"),
        (lambda rows: rows[3].update(text=" ".join(["word"] * 31) + "?"), "30 words"),
        (lambda rows: rows[4].update(text=rows[5]["text"]), "same text"),
        (lambda rows: rows[6].update(id="s1q01"), "unique"),
        (lambda rows: rows[7].update(set=2), "set 2 has 13"),
        (lambda rows: rows[8].update(text=None), "needs an id and a text"),
        (lambda rows: rows[9].update(kind="task"), "is a task"),
        (lambda rows: rows[9].update(text="Tell each other why?", kind="task"), "is a task"),
        (lambda rows: rows[10].update(kind="chore"), "kind must be"),
        (lambda rows: rows[10].update(tender="yes"), "tender must be"),
        (lambda rows: rows[11].update(text="What's on: the news?"), "not meant for speech"),
        (lambda rows: rows[11].update(text="Which 3 songs matter most?"), "not meant for speech"),
    ],
)
def test_the_start_up_check_names_what_is_wrong(
    en: LocaleCatalog, change: Any, problem: str
) -> None:
    with pytest.raises(ContentError, match=problem):
        questions.check(broken(en, change))


def test_tasks_and_tender_questions_are_read_as_marked(asked: tuple[Question, ...]) -> None:
    tasks = [q.id for q in asked if q.task]
    assert tasks and all(q.startswith("s3") for q in tasks)
    assert all(q.text.endswith(".") for q in asked if q.task)
    assert 0 < sum(q.tender for q in asked) < len(asked)


def test_a_missing_questions_table_is_refused(en: LocaleCatalog) -> None:
    tables = {k: v for k, v in en.tables.items() if k != "questions"}
    with pytest.raises(ContentError, match="questions"):
        questions.check(replace(en, tables=tables))


def test_the_model_has_rich_unique_samples_for_every_question_intent() -> None:
    language = load_model("en-US")["interactionModel"]["languageModel"]
    by_name = {intent["name"]: intent for intent in language["intents"]}
    owners: dict[str, str] = {}
    for intent in language["intents"]:
        for sample in intent.get("samples", []):
            assert sample not in owners, (sample, owners.get(sample), intent["name"])
            owners[sample] = intent["name"]
    for name in INTENTS:
        samples = by_name[name]["samples"]
        assert len(samples) >= 15, name
        assert all(re.fullmatch(r"[a-z' ]+", s) for s in samples), name


@pytest.mark.parametrize(
    ("words", "intent"),
    [
        ("tonight's question", "TonightsQuestionIntent"),
        ("what's tonight's question", "TonightsQuestionIntent"),
        ("next question", "NextQuestionIntent"),
        ("another one", "NextQuestionIntent"),
        ("skip this one", "SkipQuestionIntent"),
        ("repeat the question", "ReadQuestionAgainIntent"),
        ("repeat that", "AMAZON.RepeatIntent"),
        ("which question are we on", "WhichQuestionIntent"),
        ("start the questions over", "StartQuestionsOverIntent"),
    ],
)
def test_the_model_understands_the_issue_phrases(
    utterances: Utterances, words: str, intent: str
) -> None:
    assert utterances.understand(words).intent == intent
