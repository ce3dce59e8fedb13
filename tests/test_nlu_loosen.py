"""The matcher looks past carrier words, conservatively, and never guesses between intents."""

from __future__ import annotations

import pytest

from skill.devtools.loosen import loosened, spelled
from skill.devtools.nlu import FALLBACK, Utterances


def test_loosened_forms_set_carriers_aside_fewest_first() -> None:
    forms = list(loosened("um could you give us a question for us please"))
    assert forms[0] == "could you give us a question for us please"
    assert "give us a question" in forms
    assert forms.index("give us a question for us") < forms.index("give us a question")


def test_words_that_change_the_request_stay() -> None:
    assert "start the plan" not in set(loosened("start the plan again"))
    assert "what's the ritual" not in set(loosened("what's the ritual today"))
    assert list(loosened("yes")) == []


def test_spellings_are_heard_as_one() -> None:
    assert (
        spelled("a marriage counsellor for the programme") == "a marriage counselor for the program"
    )


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("um could you please give us tonight's question for us", "TonightsQuestionIntent"),
        ("alright we'd love to do a check in tonight", "StartCheckInIntent"),
        ("we think we need couples counselling", "OutsideHelpIntent"),
        ("okay so what week are we on now please", "PlanWeekIntent"),
        ("ask closer together could you give us a question please", "TonightsQuestionIntent"),
        ("help please", "AMAZON.HelpIntent"),
        ("no not this time thanks", "AMAZON.NoIntent"),
    ],
)
def test_carried_requests_reach_their_intent(
    utterances: Utterances, said: str, intent: str
) -> None:
    assert utterances.understand(said).intent == intent


@pytest.mark.parametrize(
    "said",
    [
        "could you tell us the capital of france please",
        "um we'd like a pizza",
        "what is the weather like tonight",
        "please sing us a song",
    ],
)
def test_what_the_skill_does_not_do_still_falls_back(utterances: Utterances, said: str) -> None:
    assert utterances.understand(said).intent == FALLBACK


def test_a_restart_is_not_heard_as_a_start(utterances: Utterances) -> None:
    assert utterances.understand("could we start the plan over again please").intent != (
        "StartPlanIntent"
    )


def test_nearest_takes_a_sample_one_light_word_away(utterances: Utterances) -> None:
    assert utterances.nearest.intent("tell us the rituals for each day") == "DailyRitualsIntent"


@pytest.mark.parametrize(
    ("said", "not_this"),
    [
        ("start the eight week plan over", "StartPlanIntent"),
        ("we'd like to go on to next week", "NextQuestionIntent"),
        ("we're not ready to begin", "CheckInReadyIntent"),
        ("we are not ready to start yet", "CheckInReadyIntent"),
    ],
)
def test_nearest_never_leaves_out_or_swaps_a_word_that_matters(
    utterances: Utterances, said: str, not_this: str
) -> None:
    assert utterances.nearest.intent(said) in (None, utterances.understand(said).intent)
    assert utterances.understand(said).intent != not_this


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("yeah okay", "AMAZON.YesIntent"),
        ("sure of course", "AMAZON.YesIntent"),
        ("yes no", FALLBACK),
        ("stop help", FALLBACK),
    ],
)
def test_two_requests_said_together_reach_an_intent_only_when_they_agree(
    utterances: Utterances, said: str, intent: str
) -> None:
    assert utterances.understand(said).intent == intent
