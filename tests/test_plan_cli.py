"""The plan from the command line: `closer say` with --now and --tz, as the README shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.cli import main


@pytest.fixture(autouse=True)
def local_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOSER_SQLITE_PATH", str(tmp_path / "plan.db"))
    for name in ("CLOSER_STORE", "CLOSER_VERIFY", "CLOSER_SKILL_ID"):
        monkeypatch.delenv(name, raising=False)


def say(capsys: pytest.CaptureFixture[str], now: str, *utterances: str) -> str:
    assert main(["say", "--keys", "--tz", "Europe/London", "--now", now, *utterances]) == 0
    return capsys.readouterr().out


def test_week_three_after_fifteen_days_then_maintenance(capsys: pytest.CaptureFixture[str]) -> None:
    output = say(capsys, "2026-03-10T21:00", "ask closer together to start our plan")
    assert "keys: plan.started, plan.current_week, plan.offer_practices" in output
    output = say(capsys, "2026-03-25T21:00", "ask closer together what week are we on")
    assert "keys: plan.current_week, plan.offer_practices" in output
    assert "week 3" in output
    output = say(capsys, "2026-05-09T21:00", "ask closer together what week are we on")
    assert "keys: plan.maintenance, plan.offer_weekly" in output


def test_todays_ritual_morning_and_evening(capsys: pytest.CaptureFixture[str]) -> None:
    morning = say(capsys, "2026-03-25T07:30", "ask closer together what's today's ritual")
    evening = say(capsys, "2026-03-25T20:30", "ask closer together what's today's ritual")
    assert "keys: rituals.morning, rituals.offer_morning" in morning
    assert "keys: rituals.evening, rituals.offer_question" in evening
