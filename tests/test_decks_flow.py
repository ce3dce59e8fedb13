"""The decks after the 36, through the real endpoint: listing, picking, surprises, and a year."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from skill.codec import encode_questions
from skill.content.catalog import LocaleCatalog
from skill.content.decks import catalog_decks, every_question
from skill.devtools.conversation import Conversation, Said
from skill.devtools.models import load_model
from skill.domain.questions import QuestionProgress
from skill.store.keys import HouseholdKeys
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, ConversationFactory
from tests.test_item_size import item_bytes

ASK = "ask closer together for tonight's question"
MAX_WORDS = 60
YEAR = 365
LONG_USER_ID = "amzn1.ask.account." + "A" * (225 - len("amzn1.ask.account."))
ITEM_LIMIT = 1024
HEADROOM = 150


def question_of(turn: Said) -> str:
    assert turn.card is not None, turn.keys
    return str(turn.card["content"])


def stored(store: SQLiteHouseholdStore, household: str = HOUSEHOLD) -> dict[str, Any]:
    found = store.load(household)
    assert found is not None
    return dict(found.data)


def words(turn: Said) -> int:
    return len(turn.speech.split())


def after_the_36(store: SQLiteHouseholdStore, night: date = date(2026, 3, 9)) -> None:
    progress = QuestionProgress(position=36, night=night, current="s3q12", given=36, answered=35)
    store.save(HOUSEHOLD, {"visits": 1, "questions": encode_questions(progress)}, None)


def item_size(household_id: str, data: dict[str, Any]) -> int:
    """The DynamoDB item's size as billed (see tests.test_item_size)."""
    return item_bytes(HouseholdKeys().current(household_id), 99_999, data)


# -- what decks there are ---------------------------------------------------------


def test_what_decks_are_there_names_every_deck_and_waits_for_a_pick(
    alexa: Conversation, en: LocaleCatalog
) -> None:
    turn = alexa.say("ask closer together what decks are there")
    assert turn.keys == ("decks.list",) and not turn.ended
    for deck in catalog_decks(en):
        assert deck.name in turn.speech
        assert deck.description in str((turn.card or {}).get("content"))
    assert turn.reprompt and words(turn) <= MAX_WORDS
    picked = alexa.say("dreams")
    assert picked.keys[0] == "decks.chosen"
    assert question_of(picked) == every_question(en)["dr01"].text


def test_a_deck_by_name_gives_its_first_question_and_keeps_going_the_nights_after(
    alexa: Conversation, store: SQLiteHouseholdStore, en: LocaleCatalog
) -> None:
    first = alexa.say("ask closer together for tonight's question")
    assert stored(store)["questions"]["q"] == "s1q01"
    turn = alexa.say("ask closer together to let's do the memories deck")
    assert turn.keys[0] == "decks.chosen" and turn.ended
    assert question_of(turn) == every_question(en)["me01"].text != question_of(first)
    assert alexa.say(ASK).keys[0] == "decks.same"
    alexa.advance(days=1)
    assert stored(store)["questions"]["q"] == "me01"
    nxt = alexa.say(ASK)
    assert nxt.keys[0] == "decks.tonight" and question_of(nxt) == every_question(en)["me02"].text
    which = alexa.say("ask closer together which question are we on")
    assert which.keys == ("decks.which_tonight",) and "memories" in which.speech
    questions = stored(store)["questions"]
    assert "pos" not in questions and questions["deck"] == "me"
    assert questions["dealt"] == {"me": 1}


def test_the_question_set_aside_for_a_deck_comes_back_afterwards(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say(ASK)
    alexa.say("ask closer together for the dreams deck")
    assert "pos" not in stored(store)["questions"]


def test_an_unknown_or_used_up_deck_asks_again_and_a_bare_name_answers(
    alexa: Conversation, store: SQLiteHouseholdStore, en: LocaleCatalog
) -> None:
    unknown = alexa.intent("ChooseDeckIntent", deck="knitting")
    assert unknown.keys == ("decks.which",) and not unknown.ended
    size = len(next(d for d in catalog_decks(en) if d.code == "pl").questions)
    progress = QuestionProgress(position=36, dealt=(("pl", size),))
    store.save(HOUSEHOLD, {"visits": 1, "questions": encode_questions(progress)}, None)
    used = alexa.say("ask closer together for the play deck")
    assert used.keys == ("decks.used_up",) and not used.ended
    assert alexa.say("the family one").keys[0] == "decks.chosen"


def test_surprise_us_picks_a_deck_with_questions_left(
    alexa: Conversation, store: SQLiteHouseholdStore, en: LocaleCatalog
) -> None:
    turn = alexa.say("ask closer together to surprise us")
    assert turn.keys[0] == "decks.chosen" and words(turn) <= MAX_WORDS
    picked = stored(store)["questions"]["q"]
    decks = {d.code: d.name for d in catalog_decks(en)}
    assert picked[:2] in decks and decks[picked[:2]] in turn.speech
    again = alexa.say("ask closer together to surprise us")
    assert stored(store)["questions"]["q"][:2] != picked[:2]
    assert again.ended


def test_a_tender_question_points_gently_to_the_check_in(
    alexa: Conversation, store: SQLiteHouseholdStore, en: LocaleCatalog
) -> None:
    tender = next(q for q in every_question(en).values() if q.tender and q.id.startswith("s"))
    number = int(tender.id[1]) - 1, int(tender.id[3:]) - 1
    position = number[0] * 12 + number[1]
    progress = QuestionProgress(position=position)
    store.save(HOUSEHOLD, {"visits": 1, "questions": encode_questions(progress)}, None)
    turn = alexa.say(ASK)
    assert question_of(turn) == tender.text
    assert turn.keys[-1] == "questions.tender" and "questions.hint" not in turn.keys
    assert words(turn) <= MAX_WORDS


def test_after_the_36_the_decks_take_turns(
    alexa: Conversation, store: SQLiteHouseholdStore, en: LocaleCatalog
) -> None:
    after_the_36(store)
    codes = []
    for _ in catalog_decks(en):
        alexa.say(ASK)
        codes.append(stored(store)["questions"]["q"][:2])
        alexa.advance(days=1)
    assert codes == [deck.code for deck in catalog_decks(en)]


# -- a year of nights ---------------------------------------------------------------


@pytest.fixture
def long_household(talk: ConversationFactory) -> Conversation:
    return talk(user_id=LONG_USER_ID)


def test_a_year_of_nightly_questions_repeats_nothing_and_the_item_stays_small(
    long_household: Conversation, store: SQLiteHouseholdStore, en: LocaleCatalog
) -> None:
    alexa = long_household
    alexa.say("ask closer together to remember our names are Samantha and Robin")
    alexa.say("ask closer together to set our weekly check-in to sundays")
    heard: list[str] = []
    largest = 0
    for night in range(YEAR):
        alexa.person_id = f"amzn1.ask.person.{'S' if night % 2 else 'A'}" + "x" * 200
        if night in (0, 1):
            alexa.say("ask closer together this is " + ("Robin" if night % 2 else "Samantha"))
        turn = alexa.say(ASK)
        assert turn.status == 200 and words(turn) <= MAX_WORDS, turn.speech
        heard.append(stored(store, LONG_USER_ID)["questions"]["q"])
        if night % 7 == 5:
            alexa.say("ask closer together to let's rate our week")
            alexa.say(f"{1 + night % 5}")
            alexa.person_id = None
            alexa.say("ask closer together to rate our week four")
        if night == 200:
            alexa.say("ask closer together for the gently deck")
            heard[-1] = stored(store, LONG_USER_ID)["questions"]["q"]
        largest = max(largest, item_size(LONG_USER_ID, stored(store, LONG_USER_ID)))
        alexa.advance(days=1)
    assert len(set(heard)) == len(heard) == YEAR
    data = stored(store, LONG_USER_ID)
    assert len(data["closeness"]) == 8 and len(data["voices"]) == 2
    assert "amzn1.ask.person" not in json.dumps(data)
    assert largest <= ITEM_LIMIT - HEADROOM, largest
    print(f"nights without a repeat: {len(heard)}; largest item: {largest} bytes")


def test_the_whole_bank_runs_out_only_after_a_year(en: LocaleCatalog) -> None:
    assert len(every_question(en)) >= YEAR


# -- the model ---------------------------------------------------------------------------


def test_the_deck_slot_is_the_decks_spoken_names(en: LocaleCatalog) -> None:
    language = load_model("en-US")["interactionModel"]["languageModel"]
    types = {t["name"]: t for t in language["types"]}
    expected = [
        {"id": d.id, "name": {"value": d.name, "synonyms": list(d.spoken)}}
        for d in catalog_decks(en)
    ]
    assert types["DeckName"]["values"] == expected, json.dumps(expected, indent=2)
