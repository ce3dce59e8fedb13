"""Words that mean different things in different states, and every way of invoking the skill.

The overlaps are resolved by state, in the handlers that own them: "skip this" (a check-in
step, or tonight's question), "another minute" and "another one", "pause the plan" and
"pause", "next" alone, "continue" alone. The local matcher takes the invocation phrases
Alexa documents for English: ask/tell <name> [to|for|about|if|whether|that] ...,
<launch word> <name> and ..., use <name> to ..., ... from|using|with <name>, with "the"
before the name and "can you" before it all.
"""

from __future__ import annotations

import pytest

from skill.devtools.conversation import Conversation
from skill.devtools.nlu import Utterances
from tests.test_check_in_apla import into, wait_out
from tests.test_check_in_flow import phase


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("ask closer together what week it is", "PlanWeekIntent"),
        ("ask closer together to start a check in", "StartCheckInIntent"),
        ("ask closer together for tonight's question", "TonightsQuestionIntent"),
        ("ask closer together about next week", "NextWeekIntent"),
        ("ask closer together if there's a ritual today", "TodaysRitualIntent"),
        ("ask closer together whether we should see a therapist", "OutsideHelpIntent"),
        ("ask closer together how far along we are", "PlanProgressIntent"),
        ("tell closer together that we need outside help", "OutsideHelpIntent"),
        ("tell closer together our names are sam and alex", "SetNamesIntent"),
        ("open closer together and start our plan", "StartPlanIntent"),
        ("talk to closer together and ask us a question", "TonightsQuestionIntent"),
        ("use closer together to start a check in", "StartCheckInIntent"),
        ("give us tonight's question from closer together", "TonightsQuestionIntent"),
        ("what's today's ritual on closer together", "TodaysRitualIntent"),
        ("can you ask closer together what week we're on", "PlanWeekIntent"),
        ("ask the closer together for today's ritual", "TodaysRitualIntent"),
        ("alexa ask closer together for help", "AMAZON.HelpIntent"),
    ],
)
def test_the_documented_invocation_phrases_are_understood(
    utterances: Utterances, said: str, intent: str
) -> None:
    understood = utterances.understand(said)
    assert understood.intent == intent and understood.invoked and understood.one_shot


@pytest.mark.parametrize(
    "said",
    ["closer together", "open closer together", "ask closer together", "start the closer together"],
)
def test_a_plain_invocation_is_a_launch(utterances: Utterances, said: str) -> None:
    assert utterances.understand(said).launch


def test_a_request_without_the_name_stays_in_the_session(utterances: Utterances) -> None:
    understood = utterances.understand("what week are we on")
    assert understood.intent == "PlanWeekIntent" and not understood.invoked


# -- overlaps by state ----------------------------------------------------------------------


def in_speaking_turn(alexa: Conversation) -> None:
    alexa.say("start a check in")
    alexa.say("ready")
    into(alexa, "speak_1", 30)


def test_skip_this_skips_the_step_in_a_check_in(alexa: Conversation) -> None:
    in_speaking_turn(alexa)
    assert alexa.say("skip this").keys[:2] == ("check_in.skipped", "check_in.cue.reflect")
    in_speaking_turn(alexa)
    assert alexa.say("skip this one").keys[0] == "check_in.skipped"


def test_skip_this_after_tonights_question_skips_the_question(alexa: Conversation) -> None:
    alexa.say("ask closer together for tonight's question")
    assert "questions.skipped" in alexa.say("ask closer together to skip this").keys


def test_another_minute_is_more_time_and_another_one_is_the_next_question(
    alexa: Conversation,
) -> None:
    in_speaking_turn(alexa)
    assert alexa.say("another minute").keys[0] == "check_in.more_time"
    alexa.say("ask closer together for tonight's question")
    assert "questions.next" in alexa.say("ask closer together for another one").keys


def test_pause_the_plan_holds_the_week_and_pause_pauses_the_check_in(
    alexa: Conversation,
) -> None:
    alexa.say("ask closer together to start our plan")
    alexa.advance(days=3)
    assert alexa.say("ask closer together to pause the plan").keys == ("plan.held",)
    in_speaking_turn(alexa)
    assert phase(alexa.say("pause")) == "paused"
    alexa.launch()
    assert alexa.say("pause").keys == ("check_in.none",)


def test_next_alone_follows_the_conversation(alexa: Conversation) -> None:
    in_speaking_turn(alexa)
    assert alexa.say("next").keys[0] == "check_in.skipped"
    alexa.say("ask closer together to start our plan")
    assert alexa.say("next").keys[0] in ("plan.next_week", "plan.next_is_maintenance")
    assert "questions.tonight" in alexa.say("ask closer together next").keys


def test_continue_alone_moves_on_picks_up_or_says_there_is_nothing(
    alexa: Conversation,
) -> None:
    alexa.launch()
    assert alexa.say("continue").keys == ("check_in.nothing_to_resume",)
    alexa.say("start a check in")
    alexa.say("ready")
    wait_out(alexa)
    assert alexa.say("continue").keys[:2] == ("check_in.swap", "check_in.cue.share")
    into(alexa, "speak_2", 20)
    alexa.say("stop")
    assert alexa.say("ask closer together to continue").keys[0] == "check_in.continue.back"
