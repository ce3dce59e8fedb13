"""Every phrasing of tests/phrasings/*.toml reaches its intent, through the real endpoint.

Each phrasing is understood by the local matcher (the interaction model's own samples,
as Alexa would resolve them, without knowing the state) and sent to the endpoint in the
state it belongs to: a new session for a plain request or a one-shot, inside a session
(a running check-in for the check-in's in-session phrasings) for ``context = "in_session"``,
and for ``answers.toml`` right after the question it answers was asked. The handler that
answered must be one that handles that intent, with the slots the table expects. A bare
answer reaches AnswerIntent, which stands in state for the intent it completes
(``skill.handlers.answers.ANSWERS``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from skill.devtools.conversation import Conversation, Said
from skill.devtools.nlu import Understood, Utterances
from skill.envelope import Request
from skill.handlers import REQUEST_HANDLERS
from skill.handlers.answers import ANSWERS, BARE_ANSWERS, OPENING
from skill.reply import Question
from tests.conftest import ConversationFactory
from tests.test_check_in_apla import wait_out
from tests.test_phrasing_tables import FEATURES, Entry, answers, phrasings

LAUNCH = "LaunchRequest"
ANSWER_INTENT = "AnswerIntent"
AT = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)
FALLBACK_HANDLERS = frozenset({"FallbackIntentHandler", "CheckInFallbackHandler"})
CHECK_IN_SESSION = FEATURES["check_in"]


def handlers_of(intent: str) -> frozenset[str]:
    if intent == LAUNCH:
        return frozenset({"LaunchRequestHandler"})
    if intent == "AMAZON.FallbackIntent":
        return FALLBACK_HANDLERS
    return frozenset(type(h).__name__ for h in REQUEST_HANDLERS if intent in h.intents)


def slot_values(understood: Understood) -> dict[str, str]:
    """Slot values as the table writes them: resolved names, or what was said."""
    found = {}
    for name, slot in understood.slots.items():
        authorities = slot.get("resolutions", {}).get("resolutionsPerAuthority", [])
        resolved = [a["values"][0]["value"]["name"] for a in authorities if a.get("values")]
        found[name] = (resolved[0] if resolved else str(slot["value"])).lower()
    return found


def stands_for(understood: Understood, asked: Question | None, opening: bool) -> str | None:
    """The intent a phrasing reaches: AnswerIntent stands for what it completes in state."""
    if understood.launch:
        return LAUNCH
    if understood.intent not in BARE_ANSWERS:
        return understood.intent
    answer = ANSWERS.get(asked) if asked else (OPENING if opening else None)
    request = Request("IntentRequest", AT, intent=understood.intent, slots=understood.slots)
    return answer.completes if answer and answer.fits(request) else None


def handler_of(caplog: pytest.LogCaptureFixture) -> str:
    lines = [r.getMessage() for r in caplog.records if r.name == "closer.request"]
    return str(json.loads(lines[-1])["handler"])


Heard = Callable[[Conversation, str], tuple[Understood, Said, str]]


@pytest.fixture
def heard(utterances: Utterances, caplog: pytest.LogCaptureFixture) -> Heard:
    """Say a phrasing: what Alexa understands, the skill's answer, the handler that gave it."""

    def say(alexa: Conversation, text: str) -> tuple[Understood, Said, str]:
        understood = utterances.understand(text)
        with caplog.at_level(logging.INFO, logger="closer.request"):
            turn = alexa.say(text)
        return understood, turn, handler_of(caplog)

    return say


def check(
    entry: Entry, understood: Understood, reached: str | None, turn: Said, handler: str
) -> None:
    expected = entry["intent"]
    assert reached == expected, f"{entry['say']!r} reached {understood.intent}"
    wanted = {name: str(value) for name, value in entry.get("slots", {}).items()}
    assert {k: v for k, v in slot_values(understood).items() if k in wanted} == wanted
    assert turn.status == 200 and (turn.speech or turn.documents)
    allowed = handlers_of(expected)
    if understood.intent in BARE_ANSWERS:
        allowed |= {"AnswerIntentHandler"}
    assert handler in allowed, f"{entry['say']!r} was answered by {handler}"


def cases(*names: str) -> Iterator[Any]:
    for name in names:
        for entry in phrasings(name):
            yield pytest.param(entry, id=f"{name}:{entry['say']}")


@pytest.mark.parametrize("entry", list(cases(*FEATURES, "one_shots")))
def test_every_phrasing_reaches_its_intent_through_the_endpoint(
    entry: Entry, talk: ConversationFactory, heard: Heard
) -> None:
    alexa = talk()
    in_session = entry.get("context") == "in_session"
    if in_session:
        in_check_in = entry["intent"] in CHECK_IN_SESSION
        alexa.say("start a check in" if in_check_in else "open closer together")
    understood, turn, handler = heard(alexa, entry["say"])
    opening = not in_session or understood.invoked
    check(entry, understood, stands_for(understood, None, opening), turn, handler)


# -- answers, each right after its question --------------------------------------------------


WAIT_OUT = "(the audio plays to its end)"

ASKING: Mapping[str, tuple[tuple[str, ...], str, Question | None]] = {
    "which_day": (("set our check in day",), "rituals.which_day", Question.WHICH_DAY),
    "how_many_minutes": (
        ("make the turns nine minutes",),
        "check_in.settings.turn_range",
        Question.HOW_MANY_MINUTES,
    ),
    "which_topic": (
        ("open closer together", "what guidance do you have"),
        "guide.topics",
        Question.WHICH_TOPIC,
    ),
    "did_that_capture_it": (("start a check in", "ready", WAIT_OUT), "check_in.ask.confirm", None),
    "say_ready": (("start a check in",), "check_in.intro", None),
    "yes_no": (("start our plan",), "plan.offer_practices", None),
    "names": (
        ("open closer together", "remember our names"),
        "check_in.names.missing",
        Question.NAMES,
    ),
    "which_deck": (("what decks are there",), "decks.list", Question.WHICH_DECK),
    "rating": (("let's rate our week",), "closeness.ask", Question.RATING),
    "who_is_this": (
        ("our names are sam and alex", "this is robin"),
        "voices.who",
        Question.WHO_IS_THIS,
    ),
}
"""How to bring a conversation to each question: what is said, the key it is asked with,
and the open question it leaves in the session (None: a yes/no or check-in step)."""


def bring_to(alexa: Conversation, asked: str) -> Said:
    """Say what leads to the question; the turn that asked it."""
    steps, _, _ = ASKING[asked]
    turn = alexa.launch()
    for step in steps:
        if step == WAIT_OUT:
            wait_out(alexa)
        else:
            turn = alexa.say(step)
    return turn


@pytest.mark.parametrize(
    "entry", [pytest.param(e, id=f"{e['asked']}:{e['say']}") for e in answers()]
)
def test_every_answer_reaches_its_intent_right_after_its_question(
    entry: Entry, talk: ConversationFactory, heard: Heard
) -> None:
    alexa = talk()
    _, key, asked = ASKING[entry["asked"]]
    question = bring_to(alexa, entry["asked"])
    assert key in question.keys and not question.ended
    understood, turn, handler = heard(alexa, entry["say"])
    check(entry, understood, stands_for(understood, asked, opening=False), turn, handler)
