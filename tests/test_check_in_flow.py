"""The check-in as couples live it, through the real endpoint: start to finish, interruptions,
picking it up later, names and settings by voice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skill.cli import main
from skill.devtools.conversation import Conversation, Said
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD
from tests.test_check_in_apla import into, wait_out


def stored(store: SQLiteHouseholdStore) -> dict[str, Any]:
    found = store.load(HOUSEHOLD)
    return dict(found.data) if found else {}


def check_in_of(store: SQLiteHouseholdStore) -> dict[str, Any]:
    return dict(stored(store).get("check_in", {}))


def phase(turn: Said) -> str | None:
    return turn.session.get("check_in", {}).get("phase")


def begun(alexa: Conversation) -> Said:
    alexa.say("start a check-in")
    return alexa.say("ready")


def test_ready_plays_two_minutes_with_a_halfway_cue_then_the_reflection(
    alexa: Conversation,
) -> None:
    turn = begun(alexa)
    lines = turn.timeline
    start = next(i for i, line in enumerate(lines) if line.startswith("[chime"))
    assert lines[start + 1] == "[silence 1:00]"
    assert "halfway" in lines[start + 2].lower()
    assert turn.keys[:4] == (
        "check_in.cue.share",
        "check_in.cue.halfway",
        "check_in.cue.ten_seconds",
        "check_in.cue.reflect",
    )
    assert turn.keys[-1] == "check_in.ask.confirm"
    assert not turn.ended and turn.reprompt
    assert phase(turn) == "confirm_1"
    assert turn.session["context"] == "check_in"


def test_closer_say_shows_the_timed_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOSER_SQLITE_PATH", str(tmp_path / "households.db"))
    monkeypatch.delenv("CLOSER_STORE", raising=False)
    assert main(["say", "--keys", "start a check-in", "ready"]) == 0
    output = capsys.readouterr().out
    assert "[silence 1:00]" in output and "alfway." in output
    assert "keys: check_in.intro" in output
    assert output.rstrip().endswith("(listening...)")


def test_a_whole_check_in_is_counted_once(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    assert check_in_of(store).get("count", 0) == 0
    alexa.say("start a check-in")
    alexa.say("ready")
    wait_out(alexa)
    swap = alexa.say("yes")
    assert swap.keys[:2] == ("check_in.swap", "check_in.cue.share")
    assert phase(swap) == "confirm_2"
    wait_out(alexa)
    close = alexa.say("yes")
    assert close.keys == (
        "check_in.cue.appreciate",
        "check_in.cue.appreciate_next",
        "check_in.goodbye",
    )
    assert close.ended
    record = check_in_of(store)
    assert record["count"] == 1
    assert record["last_date"] == "2026-03-10"
    assert 5 <= record["total_minutes"] <= 15
    assert "active" not in record
    assert record["next_starter"] == 1


def test_a_no_gives_the_speaker_a_moment_to_clarify(alexa: Conversation) -> None:
    begun(alexa)
    wait_out(alexa)
    turn = alexa.say("no")
    assert turn.keys[:3] == (
        "check_in.cue.clarify",
        "check_in.cue.ten_seconds",
        "check_in.cue.reflect_again",
    )
    assert phase(turn) == "hold"
    assert turn.keys[-1] == "check_in.ask.next_speaker"
    wait_out(alexa)
    nxt = alexa.say("ready")
    assert nxt.keys[0] == "check_in.cue.share"
    assert phase(nxt) == "confirm_2"


def test_a_check_in_left_after_step_two_resumes_at_step_three(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    begun(alexa)
    into(alexa, "reflect_1", 5)
    stop = alexa.say("stop")
    assert stop.keys == ("check_in.stopped",)
    assert stop.ended
    assert check_in_of(store)["active"]["phase"] == "ended"
    assert check_in_of(store).get("count", 0) == 0
    alexa.advance(minutes=10)
    turn = alexa.say("ask closer together to continue our check-in")
    assert turn.keys[:2] == ("check_in.continue.back", "check_in.cue.resume")
    slot = turn.session["check_in"]["slots"][0]
    assert slot[0] == "reflect_1" and 4_000 <= slot[2] <= 6_000  # the time it had left
    assert turn.keys[-1] == "check_in.ask.confirm"
    assert phase(turn) == "confirm_1"
    assert not turn.ended


def test_a_session_that_closed_mid_reflection_resumes_there(alexa: Conversation) -> None:
    begun(alexa)
    into(alexa, "reflect_1", 30)
    assert alexa.end("USER_INITIATED").status == 200
    alexa.advance(minutes=10)
    turn = alexa.say("ask closer together to continue our check-in")
    assert turn.keys[:2] == ("check_in.continue.back", "check_in.cue.resume")
    assert turn.session["check_in"]["slots"][0][0] == "reflect_1"


def test_a_check_in_left_long_ago_starts_fresh(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    begun(alexa)
    into(alexa, "reflect_1", 5)
    alexa.say("stop")
    alexa.advance(minutes=40)
    turn = alexa.say("ask closer together to continue our check-in")
    assert turn.keys == ("check_in.continue.stale", "check_in.intro")
    assert phase(turn) == "setup"


def test_an_unanswered_question_is_asked_again_later(alexa: Conversation) -> None:
    begun(alexa)
    wait_out(alexa)
    alexa.advance(seconds=20)
    alexa.end("EXCEEDED_MAX_REPROMPTS")
    alexa.advance(minutes=5)
    turn = alexa.say("ask closer together to continue our check-in")
    assert turn.keys == ("check_in.continue.back", "check_in.ask.confirm")
    assert alexa.say("yes").keys[:2] == ("check_in.swap", "check_in.cue.share")


def test_continuing_with_nothing_left_starts_a_new_one(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together to continue our check-in")
    assert turn.keys == ("check_in.continue.nothing", "check_in.intro")


def test_opening_the_skill_mentions_a_check_in_to_continue(alexa: Conversation) -> None:
    begun(alexa)
    into(alexa, "speak_1", 30)
    alexa.say("stop")
    alexa.advance(minutes=2)
    assert "check_in.welcome_back" in alexa.say("open closer together").keys


def test_pause_and_resume_keep_the_time_that_was_left(alexa: Conversation) -> None:
    begun(alexa)
    into(alexa, "speak_1", 40)
    paused = alexa.say("pause")
    assert paused.keys == ("check_in.ask.pause_hold", "check_in.ask.pause_over")
    assert not paused.ended and paused.reprompt
    alexa.advance(minutes=4)
    resumed = alexa.say("resume")
    assert resumed.keys[0] == "check_in.cue.resume"
    first = resumed.session["check_in"]["slots"][0]
    assert first[0] == "speak_1"
    assert 35_000 <= first[2] <= 45_000
    assert "left" in resumed.timeline[0] or "to go" in resumed.timeline[0]


def test_more_time_adds_a_minute(alexa: Conversation) -> None:
    begun(alexa)
    into(alexa, "speak_1", 100)
    turn = alexa.say("we need more time")
    assert turn.keys[:2] == ("check_in.more_time", "check_in.cue.resume")
    slot = turn.session["check_in"]["slots"][0]
    assert slot[0] == "speak_1" and slot[4] == 180_000
    assert "check_in.cue.halfway" not in turn.keys


def test_skip_moves_to_the_next_step(alexa: Conversation) -> None:
    begun(alexa)
    into(alexa, "speak_1", 20)
    turn = alexa.say("skip")
    assert turn.keys[:2] == ("check_in.skipped", "check_in.cue.reflect")


def test_time_out_is_a_calm_minute_then_a_choice(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    begun(alexa)
    into(alexa, "speak_1", 50)
    breathe = alexa.say("time out")
    assert breathe.keys == (
        "check_in.cue.breathe",
        "check_in.cue.breathe_mid",
        "check_in.ask.after_breath",
    )
    assert "[silence 0:" in "\n".join(breathe.timeline)
    assert phase(breathe) == "after_breath"
    wait_out(alexa)
    done = alexa.say("no")
    assert done.keys == ("check_in.stopped",) and done.ended
    assert check_in_of(store).get("count", 0) == 0


def test_stop_ends_kindly_and_records_nothing(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    begun(alexa)
    wait_out(alexa)
    for word in ("stop", "cancel"):
        turn = alexa.say(word)
        assert turn.keys == ("check_in.stopped",) and turn.ended
        alexa.say("start a check-in")
    assert check_in_of(store).get("count", 0) == 0


def test_help_fits_the_step(alexa: Conversation) -> None:
    alexa.say("start a check-in")
    assert alexa.say("help").keys == ("check_in.help.setup", "check_in.intro_short")
    alexa.say("ready")
    into(alexa, "speak_1", 30)
    timed = alexa.say("help")
    assert timed.keys[:2] == ("check_in.help.timed", "check_in.cue.resume")
    wait_out(alexa)
    asked = alexa.say("what can i say")
    assert asked.keys == ("check_in.help.confirm", "check_in.ask.confirm")


def test_repeat_and_unexpected_answers_stay_with_the_step(alexa: Conversation) -> None:
    alexa.say("start a check-in")
    assert alexa.say("say that again").keys == ("check_in.intro",)
    assert alexa.say("more time").keys == ("check_in.invalid", "check_in.intro_short")
    alexa.say("ready")
    wait_out(alexa)
    assert alexa.say("repeat").keys == ("check_in.ask.confirm",)
    assert alexa.say("what is the capital of peru").keys == (
        "check_in.fallback",
        "check_in.ask.confirm",
    )


def test_outside_a_check_in_the_usual_answers_apply(alexa: Conversation) -> None:
    alexa.launch()
    assert alexa.say("yes").keys == ("yes_no.unexpected",)
    assert alexa.say("ready").keys == ("check_in.none",)
    assert alexa.say("pause").keys == ("check_in.none",)
    assert alexa.say("time out").keys == ("check_in.none",)
    assert alexa.say("help").keys == ("help.main",)
    assert alexa.say("resume").keys == ("check_in.nothing_to_resume",)
    assert alexa.say("stop").keys == ("goodbye",)


def test_names_are_used_and_the_first_speaker_alternates(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    saved = alexa.say("tell closer together our names are sam and alex")
    assert saved.keys == ("check_in.names.saved", "check_in.settings.next")
    assert saved.speech.endswith("?") and not saved.ended
    assert stored(store)["names"] == ["Sam", "Alex"]
    first = begun(alexa)
    assert first.timeline[0].startswith("Sam,")
    alexa.say("stop")
    second = begun(alexa)
    assert second.timeline[0].startswith("Alex,")


def test_without_names_the_cues_say_first_and_second_speaker(alexa: Conversation) -> None:
    turn = begun(alexa)
    assert turn.timeline[0].startswith("First speaker,")
    assert "Second speaker" in turn.timeline[0]


def test_names_need_both(alexa: Conversation) -> None:
    turn = alexa.intent("SetNamesIntent", firstName="Sam")
    assert turn.keys == ("check_in.names.missing",)
    assert not turn.ended


def test_turn_length_is_set_by_voice(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    keys = ("check_in.settings.turn_length", "check_in.settings.next")
    assert alexa.say("make the turns three minutes").keys == keys
    assert check_in_of(store)["settings"]["turn_s"] == 180
    turn = begun(alexa)
    assert "3 minutes" in turn.timeline[0]
    assert turn.timeline[2] == "[silence 1:30]"


def test_turn_length_outside_one_to_five_minutes_is_refused(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    turn = alexa.say("make the turns nine minutes")
    assert turn.keys == ("check_in.settings.turn_range",)
    assert not turn.ended
    assert "settings" not in check_in_of(store)


def test_the_instructions_can_be_skipped(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    alexa.say("start a check-in")
    turn = alexa.say("we know how it works")
    assert turn.keys == ("check_in.settings.skip_intro", "check_in.intro_short")
    assert phase(turn) == "setup"
    assert check_in_of(store)["settings"]["skip_intro"] is True
    alexa.say("stop")
    assert alexa.say("start a check-in").keys == ("check_in.intro_short",)


def test_soft_sounds_are_a_household_setting(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    assert alexa.say("play soft sounds during the check-in").keys == (
        "check_in.settings.sounds_on",
        "check_in.settings.next",
    )
    assert check_in_of(store)["settings"]["soft_sounds"] is True
    off = alexa.say("turn off the soft sounds")
    assert off.keys == ("check_in.settings.sounds_off", "check_in.settings.next")
    assert "settings" not in check_in_of(store)


def test_a_setting_changed_mid_check_in_carries_on(alexa: Conversation) -> None:
    begun(alexa)
    wait_out(alexa)
    turn = alexa.say("play soft sounds")
    assert turn.keys == ("check_in.settings.sounds_on", "check_in.ask.confirm")
    assert phase(turn) == "confirm_1"


def test_the_morning_check_in_is_two_minutes_without_reflection(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    intro = alexa.say("start a morning check-in")
    assert intro.keys == ("check_in.morning.intro",)
    turn = alexa.say("ready")
    assert turn.keys == (
        "check_in.cue.morning",
        "check_in.cue.ten_seconds",
        "check_in.cue.morning_next",
        "check_in.cue.ten_seconds",
        "check_in.morning.goodbye",
    )
    assert turn.ended
    record = check_in_of(store)
    assert record["count"] == 1 and record["morning_count"] == 1
    assert record["recent"][0][2] == 1
