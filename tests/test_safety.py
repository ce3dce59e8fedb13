"""Anyone who says they are unsafe hears the safety answer at once, from anywhere; anyone who
says they (or their partner) may take their own life hears the crisis line the same way.

From every check-in phase, with every question pending, as a one-shot, with the store
down; in every locale with that country's emergency number and a helpline, under 60 words.
"""

from __future__ import annotations

from typing import Any

import pytest

from skill.codec import encode_progress
from skill.content.catalog import Catalog
from skill.devtools.conversation import Conversation
from skill.devtools.models import LOCALES
from skill.devtools.nlu import Utterances
from skill.domain.check_in import ACTIVE, Phase
from skill.reply import Ask, Question
from skill.store import StoredHousehold
from skill.store.base import StoreError
from tests.conftest import AppFactory, ConversationFactory, poster
from tests.test_answers_in_state import YES_NO, at_confirm, held
from tests.test_check_in_table import situation
from tests.test_phrasings_understood import ASKING, bring_to

UNSAFE = (
    "i don't feel safe at home",
    "my partner hits me",
    "i'm scared of my partner",
    "he threatened to hurt me",
    "um i think i'm in an abusive relationship",
)


IN_CRISIS = (
    "i want to hurt myself",
    "i'm thinking about killing myself",
    "i don't want to live anymore",
    "um i'm suicidal",
    "my husband is talking about suicide",
)
SAID = {"safety.answer": "i don't feel safe at home", "safety.crisis": "i want to hurt myself"}
"""One saying of each, for the tests of every state."""


def answered_safely(turn: Any, key: str = "safety.answer") -> None:
    assert turn.status == 200
    assert turn.keys == (key,)
    assert turn.ended


@pytest.mark.parametrize("key", SAID)
@pytest.mark.parametrize("phase", sorted(ACTIVE, key=str))
def test_from_every_check_in_phase(alexa: Conversation, phase: Phase, key: str) -> None:
    progress = situation(phase, alexa.now + alexa.step)
    alexa.session_id = "amzn1.echo-api.session.safety"
    alexa.attributes = {"check_in": encode_progress(progress), "context": "check_in"}
    answered_safely(alexa.say(SAID[key]), key)


@pytest.mark.parametrize("utterance", IN_CRISIS)
def test_the_crisis_line_mid_check_in_by_voice(alexa: Conversation, utterance: str) -> None:
    at_confirm(alexa)
    answered_safely(alexa.say(utterance), "safety.crisis")


@pytest.mark.parametrize("utterance", UNSAFE)
def test_mid_check_in_by_voice(alexa: Conversation, utterance: str) -> None:
    at_confirm(alexa)
    answered_safely(alexa.say(utterance))


def test_at_a_held_check_in_step(alexa: Conversation) -> None:
    held(alexa)
    answered_safely(alexa.say("i'm not safe at home"))


@pytest.mark.parametrize("key", SAID)
@pytest.mark.parametrize("question", list(Ask))
def test_with_every_yes_no_question_pending(alexa: Conversation, question: Ask, key: str) -> None:
    asked = YES_NO[question][0](alexa)
    assert asked.session.get("pending") == question.value
    answered_safely(alexa.say(SAID[key]), key)


@pytest.mark.parametrize("key", SAID)
@pytest.mark.parametrize("asked", list(ASKING))
def test_at_every_question_the_skill_asks(alexa: Conversation, asked: str, key: str) -> None:
    bring_to(alexa, asked)
    answered_safely(alexa.say(SAID[key]), key)


def test_every_open_question_is_among_them() -> None:
    assert {question.value for question in Question} <= set(ASKING)


@pytest.mark.parametrize(
    "utterance",
    [
        "tell closer together i'm not safe at home",
        "tell closer together my partner hurts me",
        "ask closer together for help my partner is hurting me",
        "open closer together and i'm afraid to go home",
    ],
)
def test_as_a_one_shot(alexa: Conversation, utterance: str) -> None:
    answered_safely(alexa.say(utterance))


@pytest.mark.parametrize(
    "utterance",
    [
        "tell closer together i want to hurt myself",
        "tell closer together i'm thinking about suicide",
        "open closer together and i don't want to live anymore",
    ],
)
def test_the_crisis_line_as_a_one_shot(alexa: Conversation, utterance: str) -> None:
    answered_safely(alexa.say(utterance), "safety.crisis")


def test_after_launch(alexa: Conversation) -> None:
    alexa.launch()
    answered_safely(alexa.say("she hit me"))


class UnreachableStore:
    """A store that fails every call, as DynamoDB does when it cannot be reached."""

    def load(self, household_id: str) -> StoredHousehold | None:
        raise StoreError("unreachable")

    def save(self, *args: Any, **kwargs: Any) -> StoredHousehold:
        raise StoreError("unreachable")

    def delete(self, household_id: str) -> None:
        raise StoreError("unreachable")

    def close(self) -> None:
        return None


def test_even_when_the_store_is_down(make_app: AppFactory, utterances: Utterances) -> None:
    alexa = Conversation(poster(make_app(STORE=UnreachableStore())), utterances)
    assert alexa.say("open closer together").keys == ("error.store",)
    answered_safely(alexa.say("tell closer together i'm not safe at home"))
    answered_safely(alexa.say("tell closer together i want to kill myself"), "safety.crisis")


EMERGENCY = {
    "en-US": ("nine one one", "National Domestic Violence Hotline"),
    "en-GB": ("nine nine nine", "National Domestic Abuse Helpline"),
    "en-CA": ("nine one one", "province or territory"),
    "en-AU": ("triple zero", "one eight hundred respect"),
    "en-IN": ("one one two", "Women Helpline, one eight one"),
}
CRISIS_LINE = {
    "en-US": ("nine one one", "nine eight eight"),
    "en-GB": ("nine nine nine", "one one six, one two three"),
    "en-CA": ("nine one one", "nine eight eight"),
    "en-AU": ("triple zero", "thirteen eleven fourteen"),
    "en-IN": ("one one two", "one four four one six"),
}
NUMBERS = {
    "safety.answer": ("tell closer together i'm being abused", EMERGENCY),
    "safety.crisis": ("tell closer together i'm thinking about ending my life", CRISIS_LINE),
}
"""Each answer, what is said to reach it, and per locale its emergency number and line."""


@pytest.mark.parametrize("key", NUMBERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_names_its_own_numbers_briefly(
    talk: ConversationFactory, catalog: Catalog, locale: str, key: str
) -> None:
    said, numbers = NUMBERS[key]
    turn = talk(locale=locale).say(said)
    answered_safely(turn, key)
    emergency, line = numbers[locale]
    assert emergency in turn.speech and line in turn.speech
    assert len(turn.speech.split()) <= 60
    others = {n for n, _ in numbers.values() if n != emergency}
    assert not any(other in turn.speech for other in others)
    assert catalog.for_locale(locale).locale == locale


def test_it_leaves_no_trace_in_the_household(alexa: Conversation, store: Any) -> None:
    answered_safely(alexa.say("tell closer together my partner hits me"))
    assert store.load("amzn1.ask.account.test-household") is None
