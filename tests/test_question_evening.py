"""A question evening, hands-free: a question, who answers first, a quiet wait, then
"another one, or is that enough for tonight?", with the clock moved past each response's
audio as a real Echo does."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.cli import main
from skill.devtools.conversation import Conversation, Said
from skill.domain.evening import BUDGET_MS, Wait, wait_for
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, ConversationFactory


@pytest.fixture
def evening(talk: ConversationFactory) -> Conversation:
    """A household whose requests arrive once each response's audio is over."""
    return talk(live=True)


def question_number(store: SQLiteHouseholdStore) -> object:
    found = store.load(HOUSEHOLD)
    return dict(found.data).get("questions", {}) if found else {}


def silences(turn: Said) -> list[str]:
    return [line for line in turn.timeline if line.startswith("[silence")]


def test_tonights_question_offers_an_evening_but_ends_after_one(evening: Conversation) -> None:
    evening.say("ask closer together for tonight's question")  # the first opens the set
    evening.advance(days=1)
    turn = evening.say("ask closer together for tonight's question")
    assert turn.keys[-1] == "questions.evening.offer"
    assert "question evening" in turn.speech
    assert turn.ended and not turn.documents


def test_an_evening_reads_a_question_says_who_first_and_waits_quietly(
    evening: Conversation,
) -> None:
    evening.say("our names are Sam and Alex")
    turn = evening.say("let's have a question evening")
    assert turn.keys[0] == "questions.evening.start"
    assert "questions.first_named" in turn.keys
    assert "questions.hint" not in turn.keys and "questions.evening.offer" not in turn.keys
    assert silences(turn) == ["[silence 3:00]"]
    assert turn.keys[-1] == "questions.evening.another"
    assert not turn.ended and turn.reprompt
    assert 180_000 < turn.audio_ms < 240_000


@pytest.mark.parametrize("more", ["another one", "one more", "yes"])
def test_another_one_moves_on_without_the_wake_word(
    evening: Conversation, store: SQLiteHouseholdStore, more: str
) -> None:
    first = evening.say("keep the questions coming")
    before = question_number(store)
    turn = evening.say(more)
    assert turn.keys[0] in ("questions.next", "questions.tonight", "decks.next")
    assert turn.keys[-1] == "questions.evening.another"
    assert turn.card != first.card
    assert question_number(store) != before


def test_questions_served_in_an_evening_advance_like_next_question(
    evening: Conversation, talk: ConversationFactory
) -> None:
    evening.say("let's have a question evening")
    evening.say("another one")
    third = evening.say("one more")
    evening.say("that's enough")
    again = talk(now=evening.now).say("ask closer together to repeat the question")
    assert again.card == third.card


@pytest.mark.parametrize(
    "enough", ["that's enough", "we're done", "that's enough for tonight", "no"]
)
def test_enough_ends_the_evening_kindly(evening: Conversation, enough: str) -> None:
    evening.say("let's have a question evening")
    turn = evening.say(enough)
    assert turn.keys == ("questions.evening.done",)
    assert turn.ended


def test_the_wait_is_set_by_voice_and_a_long_one_goes_on_through_talk(
    evening: Conversation,
) -> None:
    evening.say("let's have a question evening")
    set_ = evening.say("give us five minutes per question")
    assert set_.keys == ("questions.evening.minutes_set", "questions.evening.another")
    first = evening.say("another one")
    (part,) = silences(first)
    assert first.keys[-1] != "questions.evening.another"  # five minutes do not fit one response
    assert first.audio_ms < 240_000
    rest = evening.say("and then we went to the lake")
    assert rest.speech == ""
    assert rest.keys == ("questions.evening.another",)
    (more,) = silences(rest)
    minutes = [int(text[9]) * 60 + int(text[11:13]) for text in (part, more)]
    assert abs(sum(minutes) - 300) <= 5


def test_an_impossible_wait_is_refused(evening: Conversation) -> None:
    evening.say("let's have a question evening")
    turn = evening.say("give us nine minutes per question")
    assert turn.keys == ("questions.evening.minutes_range",)
    assert not turn.ended


def test_closer_say_shows_alexs_turn_beginning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOSER_SQLITE_PATH", str(tmp_path / "households.db"))
    monkeypatch.delenv("CLOSER_STORE", raising=False)
    assert main(["say", "our names are Sam and Alex", "start a check in", "ready", "yes"]) == 0
    output = capsys.readouterr().out
    assert "Alex, the floor is yours" in output or "Alex, you have" in output


def test_repeating_the_question_keeps_the_evening_going(evening: Conversation) -> None:
    first = evening.say("let's have a question evening")
    again = evening.say("repeat the question")
    assert again.card == first.card
    assert again.keys[-1] == "questions.evening.another" and not again.ended


def test_a_wait_fits_one_response_or_is_played_in_two_parts() -> None:
    assert wait_for(180_000, 20_000, 3_000) == Wait(180_000)
    split = wait_for(300_000, 20_000, 3_000)
    assert not split.whole and split.now_ms + split.rest_ms == 300_000
    assert 20_000 + split.now_ms <= BUDGET_MS and split.now_ms % 5_000 == 0
