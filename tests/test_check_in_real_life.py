"""A check-in that survives real life: a pause that holds, interruptions that keep the
place, and long turns that never hand the floor to Alexa mid-share. The clock moves as a
real Echo's does: requests come after each response's audio, or into it at a moment."""

from __future__ import annotations

from datetime import timedelta

from skill.devtools.conversation import Conversation, Said
from skill.store.sqlite import SQLiteHouseholdStore
from tests.test_check_in_apla import into, wait_out
from tests.test_check_in_flow import check_in_of, phase


def named_and_begun(alexa: Conversation) -> Said:
    alexa.say("our names are Sam and Alex")
    alexa.say("start a check-in")
    return alexa.say("ready")


def opening_words(turn: Said) -> str:
    """What is said before the first chime: any lead and the cue that (re)starts the step."""
    lines = turn.timeline
    end = next((i for i, line in enumerate(lines) if line.startswith("[chime")), len(lines))
    return " ".join(lines[:end])


def first_slot(turn: Said) -> list[object]:
    return list(turn.session["check_in"]["slots"][0])


def test_a_pause_waits_quietly_for_minutes_then_asks_gently(alexa: Conversation) -> None:
    named_and_begun(alexa)
    into(alexa, "speak_1", 40)
    paused = alexa.say("pause")
    assert paused.keys == ("check_in.ask.pause_hold", "check_in.ask.pause_over")
    assert any(line.startswith("[silence 3:") for line in paused.timeline)
    assert paused.audio_ms > 180_000
    assert not paused.ended
    assert "open Closer Together" in paused.reprompt
    assert phase(paused) == "paused"


def test_not_yet_at_the_re_ask_waits_again_and_go_on_keeps_the_time(
    alexa: Conversation,
) -> None:
    named_and_begun(alexa)
    into(alexa, "speak_1", 40)
    alexa.say("pause")
    wait_out(alexa)
    again = alexa.say("not yet")
    assert again.keys[-2:] == ("check_in.ask.pause_hold", "check_in.ask.pause_over")
    wait_out(alexa)
    resumed = alexa.say("go on")
    assert resumed.keys[0] == "check_in.cue.resume"
    slot = first_slot(resumed)
    assert slot[0] == "speak_1" and 38_000 <= int(str(slot[2])) <= 42_000
    assert "one minute and 20 seconds" in opening_words(resumed)


def test_a_pause_whose_session_ends_resumes_the_time_left_later(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    named_and_begun(alexa)
    into(alexa, "speak_1", 40)
    alexa.say("pause")
    wait_out(alexa)
    assert alexa.silence() is None
    alexa.silence()
    assert check_in_of(store)["active"]["phase"] == "ended"
    alexa.advance(minutes=12)
    back = alexa.say("ask closer together to continue our check-in")
    assert back.keys[:2] == ("check_in.continue.back", "check_in.cue.resume")
    assert "one minute and 20 seconds" in opening_words(back)
    assert "2 minutes" not in opening_words(back)


def test_a_question_mid_share_keeps_the_place_and_the_time(alexa: Conversation) -> None:
    named_and_begun(alexa)
    into(alexa, "speak_1", 40)
    answer = alexa.say("when should we get outside help")
    assert answer.keys[-1] == "check_in.interrupted.offer"
    assert not answer.ended
    alexa.advance(minutes=1)
    back = alexa.say("continue our check-in")
    assert back.keys[0] == "check_in.cue.resume"
    slot = first_slot(back)
    assert slot[0] == "speak_1"
    assert "one minute and 20 seconds" in opening_words(back)
    assert "30 seconds" not in opening_words(back)


def test_a_second_interruption_does_not_jump_past_the_reflection(alexa: Conversation) -> None:
    named_and_begun(alexa)
    into(alexa, "speak_1", 40)
    alexa.say("when should we get outside help")
    alexa.advance(minutes=1)
    alexa.say("continue our check-in")
    into(alexa, "reflect_1", 20)
    alexa.say("what are the ground rules")
    alexa.advance(minutes=2)
    back = alexa.say("yes")
    assert back.keys[0] == "check_in.cue.resume"
    assert first_slot(back)[0] == "reflect_1"
    assert back.keys[-1] == "check_in.ask.confirm"
    assert "40 seconds" in opening_words(back)


def test_no_to_going_back_says_how_to_come_back(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    named_and_begun(alexa)
    into(alexa, "speak_1", 40)
    alexa.say("what are repair attempts")
    later = alexa.say("no")
    assert later.keys == ("check_in.interrupted.later",)
    assert "Alexa, open Closer Together" in later.speech
    assert later.ended
    assert check_in_of(store)["active"]["phase"] == "ended"
    alexa.advance(minutes=20)
    alexa.say("open closer together")
    back = alexa.say("continue our check-in")
    assert "check_in.cue.resume" in back.keys
    assert first_slot(back)[0] == "speak_1"


def test_tonights_question_mid_check_in_asks_first(alexa: Conversation) -> None:
    named_and_begun(alexa)
    into(alexa, "speak_1", 40)
    asked = alexa.say("what's tonight's question")
    assert asked.keys == ("check_in.interrupted.leave_for_question",)
    assert not asked.ended
    stay = alexa.say("no")
    assert stay.keys[0] == "check_in.cue.resume"
    assert first_slot(stay)[0] == "speak_1"
    into(alexa, "speak_1", 60)
    alexa.say("what's tonight's question")
    left = alexa.say("yes")
    assert "questions.tonight" in left.keys


def test_a_long_share_carries_on_through_anything_heard_with_nothing_said(
    alexa: Conversation,
) -> None:
    alexa.say("make the turns five minutes")
    named_and_begun(alexa)
    turn = alexa.last
    assert turn is not None and phase(turn) == "hold"
    assert turn.keys[-1] == "check_in.ask.keep_going"
    wait_out(alexa)
    for words in ("and then I felt like nobody was listening", "yes", "what week is it"):
        heard = alexa.say(words)
        assert heard.speech == ""
        assert heard.timeline[0].startswith("[silence")
        assert "check_in.fallback" not in heard.keys
        assert "check_in.fallback_timed" not in heard.keys
        if phase(heard) != "hold":
            break
        alexa.now = alexa.now + timedelta(seconds=1)
        wait_out(alexa)
    assert phase(heard) in ("confirm_1", "hold")


def test_pause_still_works_between_parts_of_a_long_share(alexa: Conversation) -> None:
    alexa.say("make the turns five minutes")
    named_and_begun(alexa)
    wait_out(alexa)
    paused = alexa.say("pause")
    assert paused.keys[0] == "check_in.ask.pause_hold"
