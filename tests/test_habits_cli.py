"""Each new flow in the terminal against the fake Alexa API (``closer say --fake-alexa-api``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.cli import main


@pytest.fixture
def terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOSER_SQLITE_PATH", str(tmp_path / "households.db"))
    monkeypatch.delenv("CLOSER_STORE", raising=False)


def say(capsys: pytest.CaptureFixture[str], *utterances: str) -> str:
    args = ["say", "--fake-alexa-api", "--now", "2026-03-10T20:30", "--keys", *utterances]
    assert main(args) == 0
    return capsys.readouterr().out


def test_the_reminder_in_the_terminal(terminal: None, capsys: pytest.CaptureFixture[str]) -> None:
    out = say(
        capsys,
        "ask closer together to remind us every night at nine",
        "i approve",
        "ask closer together to move our reminder to 8:30",
        "ask closer together to stop the reminders",
    )
    assert "Say 'I approve' or 'no'" in out
    assert "[Alexa API] POST /v1/alerts/reminders" in out
    assert "[Alexa API] PUT /v1/alerts/reminders/" in out
    assert "[Alexa API] DELETE /v1/alerts/reminders/" in out
    assert "keys: habits.reminder.stopped" in out


def test_the_timer_capsule_and_round_in_the_terminal(
    terminal: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = say(
        capsys,
        "ask closer together to start our screen free time",
        "yes",
        "ask closer together to start a time capsule",
        "ask closer together to start our appreciation round",
        "ready",
    )
    assert "[Alexa API] POST /v1/alerts/timers" in out
    assert "keys: habits.timer.started" in out
    assert "keys: habits.capsule.explain, habits.capsule.sealed" in out
    assert "keys: check_in.cue.round" in out and "[silence" in out


def test_without_the_fake_nothing_leaves_the_machine(
    terminal: None, capsys: pytest.CaptureFixture[str]
) -> None:
    said = ["ask closer together to remind us every night at nine", "i approve"]
    assert main(["say", "--keys", *said]) == 0
    out = capsys.readouterr().out
    assert "habits.permission.ask_reminders" in out
    assert "keys: habits.reminder.failed" in out, "the API is a closed local port"
