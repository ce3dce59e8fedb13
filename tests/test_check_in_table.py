"""The check-in's transition table, over every (Phase, Event) pair.

Valid moves land where they should; events that do not fit a phase are
answered with a helpful reprompt for the step the couple is in, never an
exception, both in the pure domain and through the endpoint.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import product
from pathlib import Path

import pytest

from skill.codec import encode_progress
from skill.devtools.conversation import Conversation
from skill.domain.check_in import (
    ACTIVE,
    HOLDING,
    NEXT,
    TABLE,
    TIMED,
    CheckInSettings,
    Event,
    Jump,
    Phase,
    Progress,
    Slot,
    Spot,
    apply,
)
from tests.conftest import EVENING

SETTINGS = CheckInSettings()
HELD = Spot(Phase.SPEAK_1, 30_000, 120_000)
PAIRS = list(product(Phase, Event))
MORNING_PHASES = {Phase.MORNING_SETUP, Phase.MORNING_1, Phase.MORNING_2}
ROUND_PHASES = {Phase.APPRECIATION_SETUP, Phase.APPRECIATION_1, Phase.APPRECIATION_2}


def situation(phase: Phase, at: datetime) -> Progress:
    """A check-in that is in ``phase`` at ``at`` (20 s into it, when it is timed)."""
    morning, appreciation = phase in MORNING_PHASES, phase in ROUND_PHASES
    if phase in TIMED:
        length = SETTINGS.length_ms(phase)
        begin = 5_000
        return Progress(
            phase=Phase.DONE if morning or appreciation else Phase.CONFIRM_1,
            since=at - timedelta(milliseconds=begin + 20_000),
            until=at + timedelta(minutes=2),
            morning=morning,
            appreciation=appreciation,
            slots=(Slot(phase, begin, 0, length, length),),
            held=HELD if phase is Phase.BREATHING else None,
        )
    held = HELD if phase in HOLDING | {Phase.ENDED} else None
    return Progress(
        phase=phase, since=at, until=at, morning=morning, appreciation=appreciation, held=held
    )


def resolved(phase: Phase, event: Event) -> Phase | None:
    raw = TABLE.get((phase, event))
    if raw is Jump.BACK:
        return HELD.phase
    if raw is Jump.PAST:
        past = TABLE[HELD.phase, Event.SKIP]
        assert isinstance(past, Phase)
        return past
    return raw


@pytest.mark.parametrize(("phase", "event"), PAIRS)
def test_every_pair_moves_by_the_table_or_stays_put(phase: Phase, event: Event) -> None:
    progress = situation(phase, EVENING)
    move = apply(progress, event, EVENING, SETTINGS)
    assert move.here is phase
    expected = resolved(phase, event)
    if expected is None:
        assert not move.valid
        assert move.progress == progress
        assert move.play == move.spot
        return
    assert move.valid
    assert move.goal is expected
    if expected in TIMED:
        assert move.play is not None and move.play.phase is expected
        assert move.play.length_ms > move.play.at_ms >= 0
    else:
        assert move.play is None
        assert move.progress.phase is expected
    if expected in HOLDING | {Phase.ENDED, Phase.BREATHING}:
        assert move.progress.held is not None


EXPECTED = [
    (Phase.SETUP, Event.READY, Phase.SPEAK_1),
    (Phase.SETUP, Event.YES, Phase.SPEAK_1),
    (Phase.MORNING_SETUP, Event.READY, Phase.MORNING_1),
    (Phase.SPEAK_1, Event.ELAPSED, Phase.REFLECT_1),
    (Phase.REFLECT_1, Event.ELAPSED, Phase.CONFIRM_1),
    (Phase.CONFIRM_1, Event.YES, Phase.SPEAK_2),
    (Phase.CONFIRM_1, Event.NO, Phase.CLARIFY_1),
    (Phase.CLARIFY_1, Event.ELAPSED, Phase.REFLECT_AGAIN_1),
    (Phase.REFLECT_AGAIN_1, Event.ELAPSED, Phase.SPEAK_2),
    (Phase.SPEAK_2, Event.ELAPSED, Phase.REFLECT_2),
    (Phase.REFLECT_2, Event.ELAPSED, Phase.CONFIRM_2),
    (Phase.CONFIRM_2, Event.YES, Phase.APPRECIATE),
    (Phase.CONFIRM_2, Event.NO, Phase.CLARIFY_2),
    (Phase.REFLECT_AGAIN_2, Event.ELAPSED, Phase.APPRECIATE),
    (Phase.APPRECIATE, Event.ELAPSED, Phase.DONE),
    (Phase.MORNING_1, Event.ELAPSED, Phase.MORNING_2),
    (Phase.MORNING_2, Event.ELAPSED, Phase.DONE),
    (Phase.SPEAK_1, Event.SKIP, Phase.REFLECT_1),
    (Phase.CONFIRM_1, Event.SKIP, Phase.SPEAK_2),
    (Phase.SPEAK_1, Event.PAUSE, Phase.PAUSED),
    (Phase.PAUSED, Event.RESUME, Phase.SPEAK_1),
    (Phase.HOLD, Event.READY, Phase.SPEAK_1),
    (Phase.HOLD, Event.SKIP, Phase.REFLECT_1),
    (Phase.SPEAK_1, Event.MORE_TIME, Phase.SPEAK_1),
    (Phase.CONFIRM_1, Event.MORE_TIME, Phase.SPEAK_1),
    (Phase.REFLECT_1, Event.TIME_OUT, Phase.BREATHING),
    (Phase.BREATHING, Event.ELAPSED, Phase.AFTER_BREATH),
    (Phase.AFTER_BREATH, Event.YES, Phase.SPEAK_1),
    (Phase.AFTER_BREATH, Event.NO, Phase.ENDED),
    (Phase.REFLECT_2, Event.STOP, Phase.ENDED),
    (Phase.ENDED, Event.CONTINUE, Phase.SPEAK_1),
    (Phase.CONFIRM_2, Event.CONTINUE, Phase.CONFIRM_2),
    (Phase.DONE, Event.START, Phase.SETUP),
    (Phase.SPEAK_2, Event.START_MORNING, Phase.MORNING_SETUP),
    (Phase.DONE, Event.START_APPRECIATION, Phase.APPRECIATION_SETUP),
    (Phase.APPRECIATION_SETUP, Event.READY, Phase.APPRECIATION_1),
    (Phase.APPRECIATION_1, Event.ELAPSED, Phase.APPRECIATION_2),
    (Phase.APPRECIATION_2, Event.ELAPSED, Phase.DONE),
    (Phase.APPRECIATION_2, Event.PAUSE, Phase.PAUSED),
    (Phase.SPEAK_1, Event.START_APPRECIATION, Phase.APPRECIATION_SETUP),
    (Phase.PAUSED, Event.NO, Phase.PAUSED),
    (Phase.PAUSED, Event.PAUSE, Phase.PAUSED),
]


@pytest.mark.parametrize(("phase", "event", "goal"), EXPECTED)
def test_the_exchange_goes_where_the_issue_says(phase: Phase, event: Event, goal: Phase) -> None:
    assert resolved(phase, event) is goal


@pytest.mark.parametrize(
    ("phase", "event"),
    [
        (Phase.SETUP, Event.MORE_TIME),
        (Phase.CONFIRM_1, Event.ELAPSED),
        (Phase.SPEAK_1, Event.YES),
        (Phase.BREATHING, Event.TIME_OUT),
        (Phase.IDLE, Event.YES),
        (Phase.DONE, Event.SKIP),
        (Phase.HOLD, Event.MORE_TIME),
        (Phase.SETUP, Event.ELAPSED),
        (Phase.APPRECIATION_SETUP, Event.NO),
        (Phase.APPRECIATION_1, Event.YES),
    ],
)
def test_events_that_do_not_fit_are_not_in_the_table(phase: Phase, event: Event) -> None:
    assert (phase, event) not in TABLE


def test_the_table_knows_its_phases() -> None:
    for phase in ACTIVE:
        assert TABLE[phase, Event.STOP] is Phase.ENDED
        assert TABLE[phase, Event.HELP] is phase
        assert TABLE[phase, Event.REPEAT] is phase
    for phase in TIMED:
        assert TABLE[phase, Event.ELAPSED] is NEXT[phase]


def test_resuming_gives_back_the_time_that_was_left() -> None:
    progress = situation(Phase.SPEAK_1, EVENING)
    paused = apply(progress, Event.PAUSE, EVENING, SETTINGS)
    assert paused.progress.held == Spot(Phase.SPEAK_1, 20_000, 120_000)
    later = EVENING + timedelta(minutes=5)
    resumed = apply(paused.progress, Event.RESUME, later, SETTINGS)
    assert resumed.play == Spot(Phase.SPEAK_1, 20_000, 120_000)
    picked_up = apply(paused.progress, Event.CONTINUE, later, SETTINGS)
    assert picked_up.play == Spot(Phase.SPEAK_1, 20_000, 120_000)


def test_more_time_adds_a_minute_to_whoever_is_talking() -> None:
    move = apply(situation(Phase.REFLECT_1, EVENING), Event.MORE_TIME, EVENING, SETTINGS)
    assert move.play == Spot(Phase.REFLECT_1, 20_000, 120_000, 60_000)
    after = apply(situation(Phase.CONFIRM_1, EVENING), Event.MORE_TIME, EVENING, SETTINGS)
    assert after.play == Spot(Phase.SPEAK_1, 0, 60_000)


# -- through the endpoint ------------------------------------------------------------

INTENTS: dict[Event, str] = {
    Event.START: "StartCheckInIntent",
    Event.START_MORNING: "MorningCheckInIntent",
    Event.START_APPRECIATION: "AppreciationRoundIntent",
    Event.READY: "CheckInReadyIntent",
    Event.YES: "AMAZON.YesIntent",
    Event.NO: "AMAZON.NoIntent",
    Event.SKIP: "CheckInSkipIntent",
    Event.PAUSE: "AMAZON.PauseIntent",
    Event.RESUME: "AMAZON.ResumeIntent",
    Event.CONTINUE: "ContinueCheckInIntent",
    Event.MORE_TIME: "CheckInMoreTimeIntent",
    Event.TIME_OUT: "CheckInTimeOutIntent",
    Event.STOP: "AMAZON.StopIntent",
    Event.REPEAT: "AMAZON.RepeatIntent",
    Event.HELP: "AMAZON.HelpIntent",
}
SPOKEN = {Event.CONTINUE: Event.RESUME}
"""Within a session, "continue our check-in" resumes."""


@pytest.mark.parametrize(("phase", "event"), [p for p in PAIRS if p[1] in INTENTS])
def test_every_pair_through_the_endpoint_answers_kindly(
    alexa: Conversation, phase: Phase, event: Event
) -> None:
    at = alexa.now + alexa.step
    progress = situation(phase, at)
    alexa.session_id = "amzn1.echo-api.session.table"
    alexa.attributes = {"check_in": encode_progress(progress), "context": "check_in"}
    turn = alexa.intent(INTENTS[event])
    assert turn.status == 200
    assert turn.speech or turn.documents
    if not turn.ended:
        assert turn.reprompt
    if not progress.active:
        return
    fits = resolved(phase, SPOKEN.get(event, event)) is not None
    invalid_keys = {"check_in.invalid", "check_in.invalid_timed"}
    if fits:
        assert not invalid_keys & set(turn.keys)
        return
    assert turn.keys[0] in invalid_keys
    if phase in TIMED:
        assert turn.keys[1].startswith("check_in.cue.resume")
    else:
        assert not turn.ended
        assert turn.session["check_in"]["phase"] == phase.value


def test_closer_check_in_table_prints_every_pair_and_the_doc_is_current(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from skill.cli import main

    assert main(["check-in-table"]) == 0
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.startswith("| **")]
    assert len(rows) == len(Phase)
    assert all(line.count("|") == len(Event) + 2 for line in rows)
    setup = next(line for line in rows if line.startswith("| **setup**"))
    assert "| speak_1 |" in setup
    hold = next(line for line in rows if line.startswith("| **hold**"))
    assert "(back)" in hold and "(past)" in hold
    doc = Path(__file__).resolve().parent.parent / "docs" / "check-in-table.md"
    assert doc.read_text(encoding="utf-8") == printed, "run: closer check-in-table > docs/..."
