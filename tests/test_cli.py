"""`closer say`, `closer create-table` and `closer models`, as a newcomer would run them."""

from __future__ import annotations

import io
import re
import sqlite3
from contextlib import closing
from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest

from skill.cli import main
from skill.devtools.talk import RealTime
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
        assert main(["move-keys"]) == 2  # the items would move to keys of the built-in secret
        monkeypatch.setenv("CLOSER_HOUSEHOLD_SECRET", "the service's secret")
        assert main(["move-keys"]) == 0
    output = capsys.readouterr().out
    assert "created and is ACTIVE" in output and "already exists" in output
    assert len(replies(output)) == 4
    assert "keys: launch.returning" in output
    assert "0 households moved to digest keys" in output


def test_move_keys_moves_a_file_from_before_digests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "households.db"
    monkeypatch.setenv("CLOSER_SQLITE_PATH", str(path))
    sqlite3.connect(path).close()
    with closing(sqlite3.connect(path, isolation_level=None)) as old:
        old.execute(
            "CREATE TABLE households (pk TEXT PRIMARY KEY, version INTEGER NOT NULL,"
            " data TEXT NOT NULL, expires_at INTEGER)"
        )
        old.execute(
            "INSERT INTO households VALUES ('household#amzn1.ask.account.x', 2, '{}', NULL)"
        )
    assert main(["move-keys"]) == 0
    assert main(["move-keys"]) == 0
    output = capsys.readouterr().out
    assert "1 households moved" in output and "0 households moved" in output
    with closing(sqlite3.connect(path)) as moved:
        keys = [pk for (pk,) in moved.execute("SELECT pk FROM households ORDER BY pk")]
    assert keys[0].startswith("h#") and keys[1] == "meta#digest-keys"


def test_bad_options_are_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["say", "--tz", "Mars/Olympus", "help"]) == 2
    assert "--tz" in capsys.readouterr().err
    assert main(["say", "--now", "tonight", "help"]) == 2


def test_the_written_models_are_up_to_date() -> None:
    assert main(["models", "--check"]) == 0


# -- the terminal simulator lives the evening as a household would ----------------------

EVENING = ["--now", "2026-03-10T21:00"]
SWAP = ["our names are Sam and Alex", "start a check in", "ready", "yes"]
MIC = re.compile(r"\((\d+):(\d\d) of audio, then the mic opens at (\d\d):(\d\d):(\d\d)\)")


def after(output: str, said: str) -> str:
    """The output from the line ``you>   {said}`` on."""
    return output[output.index(f"you>   {said}\n") :]


def mic_times(output: str) -> list[tuple[int, int]]:
    """Each response's length of audio and when the mic opens after it, in seconds."""
    return [
        (int(m) * 60 + int(s), int(hh) * 3600 + int(mm) * 60 + int(ss))
        for m, s, hh, mm, ss in MIC.findall(output)
    ]


def test_say_waits_for_the_audio_and_reaches_alexas_turn(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["say", "--keys", *EVENING, *SWAP]) == 0
    output = capsys.readouterr().out
    swap = after(output, "yes")
    assert "check_in.swap" in swap
    assert any(line.startswith("Alex") for line in swap.replace("alexa> ", "").split("\n       "))
    heard = mic_times(output)
    assert len(heard) == len(SWAP) and heard[2][0] > 200
    for (_, opened), (played, opens) in pairwise(heard):
        assert abs(opens - opened - (played + 2)) <= 2


def test_say_with_a_fixed_clock_answers_five_seconds_into_the_audio(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["say", "--keys", "--fixed-clock", *EVENING, *SWAP]) == 0
    output = capsys.readouterr().out
    assert "check_in.swap" not in after(output, "yes")
    assert "fixed clock: the next request comes 5 s later" in output


def test_say_interrupts_at_a_moment_and_lets_the_mic_go_unanswered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = ["start a check in", "ready", "@+40s pause", "(silence)", "(silence)", "(silence)"]
    assert main(["say", "--keys", *EVENING, *lines]) == 0
    output = capsys.readouterr().out
    paused = after(output, "@+40s pause")
    assert paused.splitlines()[1].startswith("       (0:40 into 3:")
    assert 'as "Alexa, pause" would' in paused and "keys: check_in.ask.pause_hold" in paused
    first, second, third = after(paused, "(silence)").split("you>   (silence)\n")[1:]
    assert "so Alexa asks again" in first and "\nalexa> " in first
    assert "then the mic opens at" in first
    assert "EXCEEDED_MAX_REPROMPTS" in second and second.rstrip().endswith("(session ended)")
    assert "no session is open" in third


def test_say_explains_a_moment_it_cannot_use(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["say", "@+soon pause"]) == 2
    assert "@+40s" in capsys.readouterr().err
    assert main(["say", "@+40s pause"]) == 2
    assert "none has played" in capsys.readouterr().err


def test_fresh_starts_from_nothing_and_leaves_the_state_file_alone(
    local_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = local_env / "households.db"
    assert main(["say", "--keys", *EVENING, "open closer together"]) == 0
    kept = state.read_bytes()
    assert (
        main(["say", "--keys", "--fresh", "--now", "2026-03-11T21:00", "open closer together"]) == 0
    )
    assert state.read_bytes() == kept
    assert main(["say", "--keys", "--now", "2026-03-12T21:00", "open closer together"]) == 0
    first, fresh, returning = capsys.readouterr().out.split("you>   ")[1:]
    assert "keys: launch.first" in first and "keys: launch.first" in fresh
    assert "keys: launch.returning" in returning


def test_chat_reads_lines_barge_ins_and_silences(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = ["open closer together", "@+3s help", "@+later help", "(silence)", "stop"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(typed) + "\n\n"))
    assert main(["chat", "--keys", "--fresh", *EVENING]) == 0
    output = capsys.readouterr().out
    assert "Household state: " in output and "new and empty" in output
    assert "you>   open closer together" in output and "keys: launch.first" in output
    helped = after(output, "@+3s help")
    assert "(0:03 into 0:" in helped and "keys: help.main" in helped
    assert "@+40s or @+2m30s" in after(output, "@+later help")
    assert "so Alexa asks again" in after(output, "(silence)")
    assert output.rstrip().endswith("(session ended)")


class FakeClock:
    """A wall clock that moves only when slept on; notes what was printed before each sleep."""

    def __init__(self, capsys: pytest.CaptureFixture[str], interrupt_at: float | None) -> None:
        self.capsys = capsys
        self.seconds = 0.0
        self.interrupt_at = interrupt_at
        self.sleeps: list[tuple[str, float]] = []

    def wall(self) -> float:
        return self.seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append((self.capsys.readouterr().out, seconds))
        if self.interrupt_at is not None and seconds >= self.interrupt_at:
            self.interrupt_at = None
            raise KeyboardInterrupt
        self.seconds += seconds


def chat_in_real_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock, typed: list[str]) -> None:
    monkeypatch.setattr(
        "skill.devtools.talk.RealTime", partial(RealTime, sleep=clock.sleep, wall=clock.wall)
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(typed) + "\n"))
    assert main(["chat", "--keys", "--real-time", *EVENING]) == 0


def test_chat_in_real_time_shows_each_part_as_it_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock(capsys, interrupt_at=None)
    chat_in_real_time(monkeypatch, clock, SWAP)
    heard = [
        (printed.rstrip().rsplit("\n", 1)[-1].strip(), slept) for printed, slept in clock.sleeps
    ]
    assert any(text == "[silence 1:00]" and abs(slept - 60) < 1e-6 for text, slept in heard)
    output = "".join(printed for printed, _ in clock.sleeps) + capsys.readouterr().out
    assert "check_in.swap" in after(output, "yes")
    played = [length for length, _ in mic_times(output)]
    assert len(played) == len(SWAP)
    assert abs(clock.seconds - sum(played)) <= len(played) / 2


def test_ctrl_c_in_real_time_skips_to_the_end_of_the_response(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock(capsys, interrupt_at=50.0)
    chat_in_real_time(monkeypatch, clock, SWAP)
    output = "".join(printed for printed, _ in clock.sleeps) + capsys.readouterr().out
    ready = after(output, "ready")
    assert ready.count("(Ctrl-C: skipping to the end of this response)") == 1
    rest = ready.split("(Ctrl-C: skipping to the end of this response)")[1]
    assert "[chime: amzn_sfx_bell_timer_01]" in rest.split("you>   yes")[0]
    assert "check_in.swap" in after(output, "yes")
    played = [length for length, _ in mic_times(output)]
    assert clock.seconds < sum(played) - 150
