"""The weekly appreciation round on the check-in's timed audio: a minute each, cued like the
check-in, no reflecting back; pause and resume with the time left; offered on the weekly
check-in day, once."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from skill.devtools.conversation import Conversation, Said
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD

NEW_YORK = ZoneInfo("America/New_York")
TUESDAY = datetime(2026, 3, 10, 20, 0, tzinfo=NEW_YORK)


def phase(turn: Said) -> str | None:
    return turn.session.get("check_in", {}).get("phase")


def check_in_of(store: SQLiteHouseholdStore) -> dict[str, Any]:
    found = store.load(HOUSEHOLD)
    return dict(found.data.get("check_in", {})) if found else {}


def test_start_explains_and_waits_for_ready(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together to start our appreciation round")
    assert turn.keys == ("check_in.round.intro",) and not turn.ended and turn.reprompt
    assert phase(turn) == "appreciation_setup"
    assert turn.session["check_in"]["appreciation"] is True
    assert alexa.say("help").keys[0] == "check_in.help.round"


def test_ready_plays_a_minute_each_with_cues_then_the_goodbye(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say("our names are Sam and Alex")
    alexa.say("start the appreciation round")
    turn = alexa.say("ready")
    assert turn.keys == (
        "check_in.cue.round",
        "check_in.cue.halfway",
        "check_in.cue.ten_seconds",
        "check_in.cue.round_next",
        "check_in.cue.halfway",
        "check_in.cue.ten_seconds",
        "check_in.round.goodbye",
    )
    lines = turn.timeline
    first = next(i for i, line in enumerate(lines) if line.startswith("[chime"))
    assert lines[first + 1].startswith("[silence 0:")
    assert "Sam" in lines[0] and "Alex" in lines[0]
    assert turn.ended and "check_in" not in turn.session
    record = check_in_of(store)
    assert record["rounds"] == 1
    assert record.get("count", 0) == 0, "a round is not counted as a check-in"
    assert "reflect" not in " ".join(turn.keys)


def test_pausing_before_it_starts_and_resuming(alexa: Conversation) -> None:
    alexa.say("start our appreciation round")
    paused = alexa.say("pause")
    assert phase(paused) == "paused" and paused.reprompt
    alexa.advance(minutes=3)
    resumed = alexa.say("resume")
    assert phase(resumed) == "appreciation_setup"
    assert resumed.keys[-1].startswith("check_in.round.intro")
    played = alexa.say("ready")
    assert played.keys[0] == "check_in.cue.round"
    assert played.keys[-1] == "check_in.round.goodbye"


def test_played_in_one_response_like_the_morning_check_in(alexa: Conversation) -> None:
    """Two minutes of turns and cues fit Alexa's 240 s of audio: one response, then goodbye."""
    alexa.say("start our appreciation round")
    turn = alexa.say("ready")
    silences = [line for line in turn.timeline if line.startswith("[silence")]
    assert len(silences) == 6, turn.timeline  # before halfway, to ten seconds, to the end; twice
    assert turn.timeline[-1].startswith(("Thank you both", "That's your appreciation round"))


def test_the_clock_past_the_audio_finds_the_round_done(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say("start our appreciation round")
    assert alexa.say("ready").ended
    alexa.advance(minutes=10)
    assert "check_in.welcome_back" not in alexa.launch().keys
    assert "active" not in check_in_of(store)
    again = alexa.say("start our appreciation round")
    assert again.keys == ("check_in.round.intro",) and phase(again) == "appreciation_setup"


def test_a_stopped_round_is_picked_up_as_a_round(alexa: Conversation) -> None:
    alexa.say("start our appreciation round")
    stopped = alexa.say("stop")
    assert stopped.keys == ("check_in.stopped",)
    alexa.advance(minutes=5)
    back = alexa.say("ask closer together to continue our check-in")
    assert back.keys[0] == "check_in.continue.back"
    assert phase(back) == "appreciation_setup"
    assert back.keys[-1].startswith("check_in.round.intro")


def test_offered_on_the_weekly_check_in_day_once(alexa: Conversation) -> None:
    alexa.now = datetime(2026, 3, 8, 20, 0, tzinfo=NEW_YORK)
    alexa.launch()
    alexa.say("set our weekly check-in to tuesday")
    alexa.now = TUESDAY
    assert alexa.launch().keys[-1] == "closeness.offer"  # rating the week comes first
    alexa.say("no")
    alexa.advance(minutes=5)
    turn = alexa.launch()
    assert turn.keys == ("launch.returning", "habits.round.offer")
    assert turn.session["pending"] == "habits.appreciation_round" and turn.reprompt
    turn = alexa.say("yes")
    assert turn.keys == ("check_in.round.intro",)
    alexa.say("stop")
    alexa.advance(hours=1)
    assert "habits.round.offer" not in alexa.launch().keys


def test_a_no_to_the_offer(alexa: Conversation) -> None:
    alexa.now = datetime(2026, 3, 8, 20, 0, tzinfo=NEW_YORK)
    alexa.launch()
    alexa.say("set our weekly check-in to tuesday")
    alexa.now = TUESDAY
    alexa.launch()
    alexa.say("no")  # to rating the week, offered first
    alexa.advance(minutes=5)
    alexa.launch()
    turn = alexa.say("no thanks")
    assert turn.keys == ("habits.round.declined",) and turn.ended
