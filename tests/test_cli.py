"""`closer say`, `closer create-table` and `closer models`, as a newcomer would run them."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.cli import main
from tests.dynamo_server import moto_dynamodb


@pytest.fixture(autouse=True)
def local_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLOSER_SQLITE_PATH", str(tmp_path / "households.db"))
    for name in (
        "CLOSER_STORE",
        "CLOSER_VERIFY",
        "CLOSER_SKILL_ID",
        "CLOSER_DYNAMODB_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def replies(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("alexa> ")]


def test_say_prints_one_reply_per_utterance(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["say", "--keys", "open closer together", "help", "stop"]) == 0
    output = capsys.readouterr().out
    assert len(replies(output)) == 3
    assert "keys: launch.first" in output and "keys: help.main" in output
    assert "keys: goodbye" in output
    assert output.rstrip().endswith("(session ended)")


def test_say_remembers_the_household_between_runs(capsys: pytest.CaptureFixture[str]) -> None:
    main(["say", "--keys", "--now", "2026-03-10T21:00", "open closer together"])
    main(["say", "--keys", "--now", "2026-03-11T21:00", "open closer together"])
    output = capsys.readouterr().out
    assert "keys: launch.first" in output and "keys: launch.returning" in output


def test_say_works_on_dynamodb_after_create_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with moto_dynamodb() as endpoint:
        monkeypatch.setenv("CLOSER_STORE", "dynamodb")
        monkeypatch.setenv("CLOSER_DYNAMODB_ENDPOINT_URL", endpoint)
        monkeypatch.setenv("CLOSER_DYNAMODB_TABLE", "closer-cli-test")
        monkeypatch.setenv("AWS_REGION", "us-east-1")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        assert main(["create-table"]) == 0
        assert main(["create-table"]) == 0
        assert main(["say", "--keys", "open closer together", "help", "stop"]) == 0
        assert main(["say", "--keys", "--now", "2030-01-01T20:00", "open closer together"]) == 0
    output = capsys.readouterr().out
    assert "created and is ACTIVE" in output and "already exists" in output
    assert len(replies(output)) == 4
    assert "keys: launch.returning" in output


def test_bad_options_are_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["say", "--tz", "Mars/Olympus", "help"]) == 2
    assert "--tz" in capsys.readouterr().err
    assert main(["say", "--now", "tonight", "help"]) == 2


def test_the_written_models_are_up_to_date() -> None:
    assert main(["models", "--check"]) == 0
