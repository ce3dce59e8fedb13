"""The conversation partner's clock: audio lengths, waiting for the mic, barge-ins and silences.

``Conversation(live=True)`` lives the evening as a household would: each request
arrives after the last response's audio is over. The default (a fixed step) stays as
the tests before it rely on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import pytest

from skill.devtools.audio import Part, response_parts
from skill.devtools.conversation import MIC_WINDOW, Conversation, Said
from skill.devtools.nlu import Utterances
from skill.speech.apla import AMBIENCE, SOUNDS, speech_ms
from tests.conftest import EVENING, ConversationFactory

CHIME = SOUNDS["start"]
STREAM = AMBIENCE["stream"]


def speech(words: str) -> dict[str, Any]:
    return {"type": "Speech", "contentType": "SSML", "content": f"<speak>{words}</speak>"}


def apla(*items: dict[str, Any]) -> dict[str, Any]:
    document = {"type": "APLA", "mainTemplate": {"item": {"type": "Sequencer", "items": items}}}
    return {"type": "Alexa.Presentation.APLA.RenderDocument", "document": document}


def test_a_response_lasts_its_speech_silences_sounds_and_longest_mixed_part() -> None:
    spoken = "<speak>Sam, begin at the chime.</speak>"
    cue = 'Ten seconds.<break time="500ms"/>'
    under = {
        "type": "Mixer",
        "items": [
            {"type": "Silence", "duration": 30_000},
            {"type": "Audio", "source": STREAM.source, "duration": "trimToParent"},
        ],
    }
    response = {
        "outputSpeech": {"type": "SSML", "ssml": spoken},
        "directives": [
            apla(
                {"type": "Audio", "source": CHIME.source},
                {"type": "Silence", "duration": 60_000},
                speech(cue),
                under,
            )
        ],
    }
    parts = response_parts(response)
    starts = [part.at_ms for part in parts]
    lead = speech_ms(spoken)
    assert [part.ms for part in parts] == [lead, CHIME.ms, 60_000, speech_ms(cue), 30_000]
    assert starts == [0, lead, lead + CHIME.ms, lead + CHIME.ms + 60_000, parts[3].end_ms]
    assert parts[2].text == "[silence 1:00]" and parts[3].text == "Ten seconds."
    assert parts[4].text.startswith("[together: [silence 0:30] | [sound: amzn_sfx_stream")
    said = Said(200, {"response": response})
    assert said.audio_ms == parts[-1].end_ms
    assert said.text().splitlines()[0] == "Sam, begin at the chime."


def test_a_mixer_lasts_as_long_as_its_longest_part_that_is_not_trimmed() -> None:
    mixer = {
        "type": "Mixer",
        "items": [speech("one two three"), {"type": "Silence", "duration": 9_000}],
    }
    (part,) = response_parts({"directives": [apla(mixer)]})
    assert part == Part(part.text, 0, 9_000)


# -- a household's clock ---------------------------------------------------------------


class Sent(list[dict[str, Any]]):
    """The requests a conversation sends, as it sends them."""

    def __init__(self, conversation: Conversation) -> None:
        super().__init__()
        post = conversation.post

        def remembering(envelope: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
            self.append(envelope["request"])
            return post(envelope)

        conversation.post = remembering

    def at(self, index: int) -> datetime:
        return datetime.fromisoformat(self[index]["timestamp"])


@pytest.fixture
def household(talk: ConversationFactory) -> Conversation:
    """Live: each request a short pause after the last response's audio."""
    return talk(live=True, step=timedelta(seconds=2))


def test_live_requests_wait_for_the_audio_to_end(household: Conversation) -> None:
    sent = Sent(household)
    household.say("start a check-in")
    ready = household.say("ready")
    household.say("yes")
    assert ready.audio_ms > 200_000
    assert sent.at(2) - sent.at(1) >= timedelta(milliseconds=ready.audio_ms)
    assert sent.at(2) - sent.at(1) <= timedelta(milliseconds=ready.audio_ms, seconds=3)


def test_by_default_the_clock_steps_five_seconds_as_the_older_tests_expect(
    alexa: Conversation,
) -> None:
    sent = Sent(alexa)
    alexa.say("start a check-in")
    alexa.say("ready")
    assert alexa.now == alexa.began == sent.at(-1)
    assert alexa.mic_opens is not None and alexa.mic_opens - alexa.now > timedelta(minutes=3)
    assert "check_in.swap" not in alexa.say("yes").keys
    assert sent.at(-1) - sent.at(-2) == timedelta(seconds=5)


def test_a_live_evening_reaches_the_swap_of_roles(household: Conversation) -> None:
    household.say("our names are Sam and Alex")
    household.say("start a check-in")
    household.say("ready")
    swap = household.say("yes")
    assert "check_in.swap" in swap.keys
    assert any(line.startswith("Alex") for line in swap.timeline[:2])


def test_a_barge_in_lands_at_its_moment_inside_the_audio(household: Conversation) -> None:
    sent = Sent(household)
    household.say("start a check-in")
    household.say("ready")
    paused = household.say("pause", into=timedelta(seconds=40))
    assert sent.at(-1) - sent.at(-2) == timedelta(seconds=40)
    assert paused.keys == ("check_in.ask.pause_hold", "check_in.ask.pause_over")


def test_a_barge_in_needs_something_to_interrupt(household: Conversation) -> None:
    with pytest.raises(ValueError, match="nothing has played"):
        household.say("pause", into=timedelta(seconds=40))


def test_silence_plays_the_reprompt_then_ends_the_session(household: Conversation) -> None:
    sent = Sent(household)
    household.say("start a check-in")
    asked = household.say("ready")
    opened = household.mic_opens
    assert opened is not None
    assert household.silence() is None
    assert len(sent) == 2
    reprompt_ms = asked.reprompt_parts[0].ms
    assert household.mic_opens == opened + MIC_WINDOW + timedelta(milliseconds=reprompt_ms)
    ended = household.silence()
    assert ended is not None
    waited = sent.at(-1) - household.mic_opens
    assert MIC_WINDOW - timedelta(seconds=1) < waited <= MIC_WINDOW
    assert ended.status == 200 and not household.in_session
    assert sent[-1]["type"] == "SessionEndedRequest"
    assert sent[-1]["reason"] == "EXCEEDED_MAX_REPROMPTS"


def test_without_a_reprompt_the_first_silence_ends_the_session(utterances: Utterances) -> None:
    requests: list[dict[str, Any]] = []

    def post(envelope: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        requests.append(envelope["request"])
        speech = {"type": "SSML", "ssml": "<speak>Still there?</speak>"}
        return 200, {"response": {"outputSpeech": speech, "shouldEndSession": False}}, {}

    quiet = Conversation(post, utterances, now=EVENING, live=True)
    quiet.launch()
    assert quiet.silence() is not None
    assert requests[-1]["type"] == "SessionEndedRequest"
    assert requests[-1]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    with pytest.raises(ValueError, match="no session"):
        quiet.silence()
