"""Opening, help, stop, fallback and repeat, through the real endpoint."""

from __future__ import annotations

from skill.devtools.conversation import Conversation


def test_first_visit_gets_the_first_welcome_and_a_reprompt(alexa: Conversation) -> None:
    turn = alexa.say("open closer together")
    assert turn.status == 200
    assert turn.keys[0] == "launch.first"
    assert not turn.ended
    assert turn.reprompt


def test_a_returning_household_gets_a_shorter_welcome(alexa: Conversation) -> None:
    alexa.say("open closer together")
    alexa.say("stop")
    alexa.advance(days=1)
    turn = alexa.say("open closer together")
    assert turn.keys[0] == "launch.returning"
    assert len(turn.speech) < 200


def test_help_keeps_the_session_open(alexa: Conversation) -> None:
    alexa.launch()
    turn = alexa.say("help")
    assert turn.keys == ("help.main",)
    assert not turn.ended and turn.reprompt


def test_stop_and_cancel_say_goodbye_and_end(alexa: Conversation) -> None:
    for word in ("stop", "cancel"):
        alexa.launch()
        turn = alexa.say(word)
        assert turn.keys == ("goodbye",)
        assert turn.ended


def test_fallback_is_helpful_and_keeps_listening(alexa: Conversation) -> None:
    alexa.launch()
    turn = alexa.say("what is the capital of peru")
    assert turn.keys == ("fallback.main",)
    assert not turn.ended and turn.reprompt


def test_repeat_says_the_last_thing_again(alexa: Conversation) -> None:
    first = alexa.launch()
    again = alexa.say("say that again")
    assert again.speech == first.speech or again.keys == first.keys


def test_session_ended_gets_no_speech(alexa: Conversation) -> None:
    alexa.launch()
    turn = alexa.end("ERROR", {"type": "INVALID_RESPONSE", "message": "test"})
    assert turn.status == 200
    assert "outputSpeech" not in turn.response


def test_navigate_home_returns_to_the_start(alexa: Conversation) -> None:
    alexa.launch()
    turn = alexa.say("go home")
    assert turn.keys == ("launch.home",)
    assert not turn.ended


def test_a_household_that_used_a_one_shot_is_welcomed_back(alexa: Conversation) -> None:
    alexa.say("ask closer together for tonight's question")
    turn = alexa.say("open closer together")
    assert turn.keys[0] == "launch.returning"
