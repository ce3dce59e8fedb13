"""Everyday ways of saying the new requests, written from what people mean, through the endpoint.

Each phrasing is said as a one-shot ("ask closer together ...") or inside the flow it
answers, and must reach the intended answer: the keys the skill speaks show which.
"""

from __future__ import annotations

import pytest

from skill.devtools.conversation import Conversation

LIST_DECKS = [
    "what decks are there",
    "what decks do you have",
    "which decks are there",
    "list the decks",
    "tell us the decks",
    "what kinds of questions are there",
    "what other questions do you have",
    "what themes are there",
    "what topics can we pick",
    "what can we choose from",
    "read us the decks",
]
CHOOSE_DECK = [
    "let's do the dreams deck",
    "the memories deck",
    "give us a question from the family deck",
    "switch to the future deck",
    "let's try the play deck",
    "i'd like the appreciation deck",
    "a question about old times",
    "let's talk about the hard stuff",
    "we'll take everyday life",
    "open the body and rest deck",
    "let's go with the two of us",
    "questions about growing old",
]
SURPRISE = [
    "surprise us",
    "surprise me",
    "pick a deck for us",
    "you choose",
    "you pick",
    "any deck will do",
    "a random deck",
    "dealer's choice",
    "up to you",
    "we don't mind which deck",
    "choose for us",
]
RATE_WEEK = [
    "let's rate our week",
    "rate our week",
    "rate this week",
    "we'd like to rate our week",
    "let's do our weekly rating",
    "rate how close we felt",
    "score our week",
    "how close did we feel",
    "give our week a score",
    "let's rate how close we felt",
    "check how close we feel",
]
RATING_ANSWERS = [
    ("three", [3, 0]),
    ("three and four", [3, 4]),
    ("a four", [4, 0]),
    ("i'd say a two", [2, 0]),
    ("about a three", [3, 0]),
    ("five out of five", [5, 0]),
    ("a two and a three", [2, 3]),
    ("i felt like a four", [4, 0]),
    ("maybe a one", [1, 0]),
    ("me four", [4, 0]),
    ("i'd rate it a five", [5, 0]),
]
HOW_ARE_WE_DOING = [
    "how are we doing",
    "how are we doing together",
    "how have we been doing",
    "how are we getting on",
    "how are things going with us",
    "tell us how we're doing",
    "show us our progress",
    "what progress have we made",
    "how much have we done",
    "are we getting closer",
    "how are we doing as a couple",
]
THIS_IS = [
    "this is sam",
    "i'm sam",
    "this is sam speaking",
    "sam here",
    "sam speaking",
    "my name is sam",
    "it's sam here",
    "you're talking to sam",
    "i am sam",
    "hello this is sam",
    "hi it's sam",
]
JUST_ME = [
    "just me",
    "only me",
    "just me this time",
    "just one of us",
    "only one of us",
    "it's just me",
    "just the one",
    "only my rating",
    "just me tonight",
    "only one of us tonight",
    "the other one isn't here",
]


def one_shot(alexa: Conversation, words: str) -> tuple[str, ...]:
    return alexa.say(f"ask closer together {words}").keys


@pytest.mark.parametrize("words", LIST_DECKS)
def test_asking_what_decks_there_are(alexa: Conversation, words: str) -> None:
    assert one_shot(alexa, words) == ("decks.list",)


@pytest.mark.parametrize("words", CHOOSE_DECK)
def test_picking_a_deck(alexa: Conversation, words: str) -> None:
    assert one_shot(alexa, words)[0] == "decks.chosen"


def test_a_bare_deck_name_answers_which_deck(alexa: Conversation) -> None:
    for name in ("dreams", "memories", "the family one", "play please"):
        alexa.say("ask closer together what decks are there")
        assert alexa.say(name).keys[0] == "decks.chosen", name


@pytest.mark.parametrize("words", SURPRISE)
def test_asking_to_be_surprised(alexa: Conversation, words: str) -> None:
    assert one_shot(alexa, words)[0] == "decks.chosen"


@pytest.mark.parametrize("words", RATE_WEEK)
def test_asking_to_rate_the_week(alexa: Conversation, words: str) -> None:
    assert one_shot(alexa, words) == ("closeness.ask",)


@pytest.mark.parametrize(("words", "scores"), RATING_ANSWERS)
def test_answering_the_rating(alexa: Conversation, words: str, scores: list[int]) -> None:
    alexa.say("ask closer together to rate our week")
    keys = alexa.say(words).keys
    assert keys[0] == ("closeness.thanks" if scores[1] else "closeness.ask_other")


@pytest.mark.parametrize("words", HOW_ARE_WE_DOING)
def test_asking_how_we_are_doing(alexa: Conversation, words: str) -> None:
    assert one_shot(alexa, words)[0] == "closeness.summary"


@pytest.mark.parametrize("words", THIS_IS)
def test_saying_who_is_speaking(alexa: Conversation, words: str) -> None:
    alexa.say("ask closer together to remember our names are Sam and Robin")
    alexa.person_id = "amzn1.ask.person.sam"
    assert one_shot(alexa, words) == ("voices.known",)


@pytest.mark.parametrize("words", JUST_ME)
def test_saying_only_one_of_us_is_rating(alexa: Conversation, words: str) -> None:
    alexa.say("ask closer together to rate our week")
    assert alexa.say(words).keys == ("closeness.ask_solo",)
