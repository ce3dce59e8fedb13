"""Tonight's question through the real endpoint: one-shots, devices, nights and moves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.cli import main
from skill.codec import encode_questions
from skill.content.catalog import LocaleCatalog
from skill.content.decks import catalog_decks
from skill.devtools.conversation import Conversation, Said
from skill.devtools.nlu import Utterances
from skill.domain.questions import QuestionProgress
from skill.store import StoredHousehold
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import EVENING, HOUSEHOLD, ConversationFactory, poster

ASK = "ask closer together for tonight's question"


def question_of(turn: Said) -> str:
    assert turn.card is not None, turn.keys
    return str(turn.card["content"])


def stored_questions(store: SQLiteHouseholdStore) -> dict[str, Any]:
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    return dict(stored.data.get("questions", {}))


def seed(store: SQLiteHouseholdStore, progress: QuestionProgress, **extra: Any) -> None:
    store.save(HOUSEHOLD, {"visits": 1, "questions": encode_questions(progress), **extra}, None)


# -- a new household, one-shot ----------------------------------------------------


def test_a_new_household_can_ask_for_tonights_question_as_a_one_shot(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    turn = alexa.say(ASK)
    assert turn.keys == (
        "questions.intro.set1",
        "questions.tonight",
        "questions.first_nearest",
        "questions.hint",
    )
    assert turn.ended and "Alexa, " in turn.speech.split(".")[-2]
    assert question_of(turn).endswith("?") and question_of(turn) in turn.speech
    assert stored_questions(store)["q"] == "s1q01"


def test_other_ways_of_asking_reach_the_same_question(alexa: Conversation) -> None:
    first = question_of(alexa.say(ASK))
    for words in (
        "ask closer together what's tonight's question",
        "ask closer together for a question",
        "ask closer together to give us a question",
    ):
        assert question_of(alexa.say(words)) == first


def test_after_opening_the_skill_the_question_still_ends_the_session(alexa: Conversation) -> None:
    alexa.launch()
    turn = alexa.say("what's tonight's question")
    assert "questions.tonight" in turn.keys and turn.ended


# -- devices and nights -------------------------------------------------------------


def test_two_devices_hear_the_same_question_on_the_same_night(talk: ConversationFactory) -> None:
    kitchen = talk(device_id="amzn1.ask.device.kitchen")
    bedroom = talk(device_id="amzn1.ask.device.bedroom", now=EVENING + timedelta(hours=1))
    first = kitchen.say(ASK)
    second = bedroom.say(ASK)
    assert question_of(first) == question_of(second)
    assert "questions.same" in second.keys
    assert question_of(kitchen.say(ASK)) == question_of(first)


def test_the_next_night_brings_the_next_question(alexa: Conversation) -> None:
    first = question_of(alexa.say(ASK))
    alexa.advance(days=1)
    turn = alexa.say(ASK)
    assert "questions.tonight" in turn.keys
    assert "questions.intro.set1" not in turn.keys
    assert question_of(turn) != first


def test_at_half_past_three_it_is_still_last_night(
    talk: ConversationFactory, store: SQLiteHouseholdStore
) -> None:
    evening = talk()
    first = question_of(evening.say(ASK))
    small_hours = talk(now=EVENING.replace(hour=3, minute=30) + timedelta(days=1))
    turn = small_hours.say(ASK)
    assert question_of(turn) == first and "questions.same" in turn.keys
    assert stored_questions(store)["night"] == "2026-03-10"
    morning = talk(now=EVENING.replace(hour=4, minute=1) + timedelta(days=1))
    assert question_of(morning.say(ASK)) != first


def test_who_answers_first_goes_by_name_and_alternates(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    seed(store, QuestionProgress(), names=["Sam", "Alex"])
    first = alexa.say(ASK)
    assert "questions.first_named" in first.keys and "Sam" in first.speech
    alexa.advance(days=1)
    second = alexa.say(ASK)
    assert "Alex" in second.speech and "Sam" not in second.speech


# -- next, skip, repeat, which, start over ----------------------------------------


def test_next_question_moves_on_and_is_kept_for_the_night(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    first = question_of(alexa.say(ASK))
    turn = alexa.say("ask closer together for the next question")
    assert "questions.next" in turn.keys and turn.ended
    assert question_of(turn) != first
    assert stored_questions(store)["q"] == "s1q02"
    assert question_of(alexa.say(ASK)) == question_of(turn)
    another = alexa.say("ask closer together for another one")
    assert stored_questions(store)["q"] == "s1q03" and "questions.next" in another.keys


def test_skip_moves_on_without_counting_an_answer(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say(ASK)
    turn = alexa.say("ask closer together to skip this one")
    assert "questions.skipped" in turn.keys
    progress = stored_questions(store)
    assert progress["q"] == "s1q02" and progress["skipped"] == 1 and "answered" not in progress


def test_skip_before_hearing_tonights_question_gives_it(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together to skip this one")
    assert turn.keys[0] == "questions.nothing_to_skip" and "questions.tonight" in turn.keys


def test_repeat_as_a_one_shot_says_tonights_question_again(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    first = question_of(alexa.say(ASK))
    before = store.load(HOUSEHOLD)
    for words in (
        "ask closer together to repeat the question",
        "ask closer together what was tonight's question",
    ):
        turn = alexa.say(words)
        assert turn.keys[0] == "questions.repeat" and question_of(turn) == first
    turn = alexa.intent("AMAZON.RepeatIntent")
    assert turn.keys[0] == "questions.repeat" and question_of(turn) == first
    assert store.load(HOUSEHOLD) == before


def test_repeat_in_a_session_repeats_the_last_thing_said(alexa: Conversation) -> None:
    alexa.say(ASK)
    alexa.launch()
    asked = alexa.say("start the questions over")
    again = alexa.say("repeat that")
    assert again.keys == asked.keys == ("questions.start_over.confirm",)
    assert again.session["pending"] == "questions.start_over"
    assert alexa.say("yes").keys[0] == "questions.start_over.done"


def test_start_over_at_the_very_start_needs_no_confirmation(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together to start the questions over")
    assert turn.keys == ("questions.start_over.already",) and turn.ended


def test_repeat_with_no_question_out_gives_tonights(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together to repeat the question")
    assert "questions.tonight" in turn.keys


def test_which_question_are_we_on(alexa: Conversation) -> None:
    assert alexa.say("ask closer together which question are we on").keys == (
        "questions.which.start",
    )
    alexa.say(ASK)
    alexa.say("ask closer together for the next question")
    turn = alexa.say("ask closer together which question are we on")
    assert turn.keys == ("questions.which.tonight",)
    assert "1" in turn.speech and "2" in turn.speech
    alexa.advance(days=1)
    assert alexa.say("ask closer together which set are we on").keys == (
        "questions.which.upcoming",
    )


def test_start_over_with_yes_goes_back_to_the_first_question(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say(ASK)
    alexa.say("ask closer together for the next question")
    asked = alexa.say("ask closer together to start the questions over")
    assert asked.keys == ("questions.start_over.confirm",)
    assert not asked.ended and asked.session["pending"] == "questions.start_over"
    assert alexa.say("help").keys == ("help.questions",)
    alexa.say("ask closer together to start the questions over")
    turn = alexa.say("yes")
    assert turn.keys[:3] == (
        "questions.start_over.done",
        "questions.intro.set1",
        "questions.tonight",
    )
    assert stored_questions(store)["q"] == "s1q01"
    assert "pos" not in stored_questions(store)


def test_start_over_with_no_keeps_the_place(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say(ASK)
    alexa.say("ask closer together for the next question")
    before = store.load(HOUSEHOLD)
    alexa.say("ask closer together to start the questions over")
    turn = alexa.say("no")
    assert turn.keys == ("questions.start_over.kept",) and turn.ended
    assert store.load(HOUSEHOLD) == before


# -- after the 36th --------------------------------------------------------------


def last_question(night: date) -> QuestionProgress:
    recent = tuple(f"s3q{n:02d}" for n in range(1, 13))
    return QuestionProgress(
        position=35, night=night, current="s3q12", given=35, answered=35, recent=recent
    )


def test_after_the_36th_question_the_decks_carry_on(
    talk: ConversationFactory, store: SQLiteHouseholdStore
) -> None:
    seed(store, last_question(date(2026, 3, 9)))
    kitchen = talk(device_id="amzn1.ask.device.kitchen")
    turn = kitchen.say(ASK)
    assert turn.keys[:2] == ("questions.finished", "decks.tonight")
    picked = stored_questions(store)["q"]
    assert picked == "me01"
    bedroom = talk(device_id="amzn1.ask.device.bedroom")
    assert question_of(bedroom.say(ASK)) == question_of(turn)
    kitchen.advance(days=1)
    later = kitchen.say(ASK)
    assert later.keys[0] == "decks.tonight" and "questions.finished" not in later.keys
    assert stored_questions(store)["q"] == "dr01"
    assert kitchen.say("ask closer together which question are we on").keys == (
        "decks.which_tonight",
    )
    kitchen.say("ask closer together to start the questions over")
    assert "questions.intro.set1" in kitchen.say("yes").keys


def test_once_every_deck_is_heard_earlier_questions_come_back(
    talk: ConversationFactory, store: SQLiteHouseholdStore, en: LocaleCatalog
) -> None:
    dealt = {deck.code: len(deck.questions) for deck in catalog_decks(en)}
    seed(store, replace(last_question(date(2026, 3, 9)), dealt=tuple(sorted(dealt.items()))))
    kitchen = talk(device_id="amzn1.ask.device.kitchen")
    turn = kitchen.say(ASK)
    assert turn.keys[:2] == ("questions.finished", "questions.revisit")
    assert not stored_questions(store)["q"].startswith("s3")
    kitchen.advance(days=1)
    assert kitchen.say(ASK).keys[0] == "questions.revisit"
    assert kitchen.say("ask closer together which question are we on").keys == (
        "questions.which.revisiting",
    )


def test_the_last_question_of_set_three_then_next(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    seed(store, last_question(date(2026, 3, 10)))
    assert question_of(alexa.say(ASK)).startswith("What's a hope")
    turn = alexa.say("ask closer together for the next question")
    assert turn.keys[:2] == ("questions.finished", "decks.next")


# -- two devices at the same instant -------------------------------------------------


@dataclass
class StaleOnce:
    """A store whose next read returns an earlier snapshot, as if another device wrote since."""

    inner: SQLiteHouseholdStore
    stale: list[StoredHousehold | None] = field(default_factory=list)
    saves: int = 0

    def load(self, household_id: str) -> StoredHousehold | None:
        if self.stale:
            return self.stale.pop()
        return self.inner.load(household_id)

    def save(self, *args: Any, **kwargs: Any) -> int:
        self.saves += 1
        return self.inner.save(*args, **kwargs)

    def delete(self, household_id: str) -> None:
        self.inner.delete(household_id)

    def close(self) -> None:
        self.inner.close()


def test_a_race_between_two_devices_settles_on_one_question(
    make_app: Callable[..., Any], store: SQLiteHouseholdStore, utterances: Utterances
) -> None:
    racing = StaleOnce(store)
    post = poster(make_app(STORE=racing))
    kitchen = Conversation(post, utterances, user_id=HOUSEHOLD, device_id="kitchen", now=EVENING)
    bedroom = Conversation(post, utterances, user_id=HOUSEHOLD, device_id="bedroom", now=EVENING)
    first = kitchen.say(ASK)
    racing.stale.append(None)  # the bedroom read before the kitchen wrote
    second = bedroom.say(ASK)
    assert question_of(second) == question_of(first)
    assert "questions.same" in second.keys
    assert stored_questions(store)["given"] == 1


# -- the command line, as in the issue ------------------------------------------------


def cli_question(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["say", "--tz", "Europe/London", *args, ASK]) == 0
    cards = [line for line in capsys.readouterr().out.splitlines() if "card:" in line]
    assert len(cards) == 1
    return cards[0].split("card:", 1)[1].strip()


def test_the_cli_keeps_one_question_per_night(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOSER_SQLITE_PATH", str(tmp_path / "cli.db"))
    for name in ("CLOSER_STORE", "CLOSER_VERIFY", "CLOSER_SKILL_ID"):
        monkeypatch.delenv(name, raising=False)
    first = cli_question(capsys, "--now", "2026-03-10T21:00")
    other_device = cli_question(
        capsys, "--now", "2026-03-10T21:02", "--device", "amzn1.ask.device.bedroom"
    )
    small_hours = cli_question(capsys, "--now", "2026-03-11T03:30")
    next_night = cli_question(capsys, "--now", "2026-03-11T21:00")
    assert other_device == first
    assert small_hours == first
    assert next_night != first
