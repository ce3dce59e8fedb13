"""The app as a whole: health, start-up checks, logging, store trouble and conflicts."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from pathlib import Path
from typing import Any

import pytest

from skill.app import create_app
from skill.content.catalog import ContentError, load_catalog
from skill.devtools.conversation import Conversation
from skill.devtools.nlu import Utterances
from skill.settings import Settings, SettingsError
from skill.store import HouseholdConflict, StoredHousehold, StoreError
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, AppFactory, poster


def test_healthz_answers(make_app: AppFactory) -> None:
    answer = make_app().test_client().get("/healthz")
    assert answer.status_code == 200 and answer.get_json() == {"status": "ok"}
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_verification_on_without_a_skill_id_refuses_to_start(make_app: AppFactory) -> None:
    with pytest.raises(SettingsError, match="CLOSER_SKILL_ID"):
        make_app(SETTINGS=Settings(verify=True))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CLOSER_VERIFY": "maybe"}, "CLOSER_VERIFY"),
        ({"CLOSER_VERIFY": "off", "CLOSER_STORE": "postgres"}, "CLOSER_STORE"),
        ({"CLOSER_VERIFY": "off", "CLOSER_STORE": "dynamodb"}, "AWS_REGION"),
        ({"CLOSER_VERIFY": "off", "CLOSER_DEFAULT_TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
    ],
)
def test_bad_settings_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env).check()


def write_content(root: Path, text: str) -> Path:
    (root / "en-US").mkdir(parents=True)
    (root / "en-US" / "core.toml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[speech]\nhello = "Fish & chips"\n', "unescaped '&'"),
        ('[speech]\nhello = "Hi {Name}"\n', "bad placeholder"),
        ('[speech]\nhello = ["Hi {name}", "Hi there"]\n', "different placeholders"),
        ("[speech]\nhello = [ ]\n", "non-empty"),
        ('[speech\nhello = "x"\n', "not valid TOML"),
    ],
)
def test_broken_content_refuses_to_load(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ContentError, match=problem):
        load_catalog(write_content(tmp_path, text))


def test_a_locale_override_must_match_the_base(tmp_path: Path) -> None:
    write_content(tmp_path, '[speech]\nhello = "Hi {name}"\n')
    (tmp_path / "en-GB").mkdir()
    (tmp_path / "en-GB" / "core.toml").write_text('[speech]\nhello = "Hiya"\n')
    with pytest.raises(ContentError, match="other placeholders"):
        load_catalog(tmp_path)


def test_the_app_refuses_to_start_on_missing_content(tmp_path: Path) -> None:
    settings = Settings(verify=False, content_dir=tmp_path / "nowhere")
    with (
        SQLiteHouseholdStore(tmp_path / "h.db") as store,
        pytest.raises(ContentError, match="missing base content"),
    ):
        create_app({"SETTINGS": settings, "STORE": store})


def test_unknown_locales_speak_the_base_english(alexa: Conversation) -> None:
    alexa.locale = "xx-YY"
    turn = alexa.launch()
    assert turn.status == 200 and turn.keys == ("launch.first",)


def test_one_log_line_per_request_without_ids_or_speech(
    alexa: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        alexa.launch()
        turn = alexa.say("help")
        alexa.say("stop")
    lines = [r.getMessage() for r in caplog.records if r.name == "closer.request"]
    assert len(lines) == 3
    entry = json.loads(lines[1])
    assert entry["request_type"] == "IntentRequest"
    assert entry["intent"] == "AMAZON.HelpIntent"
    assert entry["handler"] == "HelpIntentHandler"
    assert entry["outcome"] == "ok" and entry["latency_ms"] >= 0
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert HOUSEHOLD not in everything and alexa.device_id not in everything
    assert turn.speech[:40] not in everything


class FlakyStore:
    """A store that fails in a chosen way, around a real one."""

    def __init__(
        self, inner: SQLiteHouseholdStore, fail_load: Exception | None = None, conflicts: int = 0
    ) -> None:
        self.inner, self.fail_load, self.conflicts = inner, fail_load, conflicts
        self.saves = 0

    def load(self, household_id: str) -> StoredHousehold | None:
        if self.fail_load:
            raise self.fail_load
        return self.inner.load(household_id)

    def save(
        self,
        household_id: str,
        data: dict[str, Any],
        expected_version: int | None,
        *,
        expires_at: int | None = None,
    ) -> int:
        self.saves += 1
        if self.conflicts:
            self.conflicts -= 1
            raise HouseholdConflict("changed meanwhile")
        return self.inner.save(household_id, data, expected_version, expires_at=expires_at)

    def delete(self, household_id: str) -> None:
        self.inner.delete(household_id)

    def close(self) -> None:
        self.inner.close()


def test_a_store_outage_gets_a_kind_apology(
    make_app: AppFactory, store: SQLiteHouseholdStore, utterances: Utterances
) -> None:
    app = make_app(STORE=FlakyStore(store, fail_load=StoreError("down")))
    turn = Conversation(poster(app), utterances, user_id=HOUSEHOLD).launch()
    assert turn.status == 200
    assert turn.keys == ("error.store",)


def test_a_conflict_reruns_the_turn_once(
    make_app: AppFactory,
    store: SQLiteHouseholdStore,
    utterances: Utterances,
    caplog: pytest.LogCaptureFixture,
) -> None:
    flaky = FlakyStore(store, conflicts=1)
    app = make_app(STORE=flaky)
    with caplog.at_level(logging.INFO):
        turn = Conversation(poster(app), utterances, user_id=HOUSEHOLD).launch()
    assert turn.keys == ("launch.first",)
    assert flaky.saves == 2
    entry = json.loads([r.getMessage() for r in caplog.records if r.name == "closer.request"][-1])
    assert entry["attempts"] == 2 and entry["outcome"] == "ok"
    stored = store.load(HOUSEHOLD)
    assert stored is not None and stored.data["visits"] == 1


def test_conflicts_are_run_again_with_jitter_until_the_turn_lands(
    make_app: AppFactory, store: SQLiteHouseholdStore, utterances: Utterances
) -> None:
    flaky = FlakyStore(store, conflicts=5)
    turn = Conversation(poster(make_app(STORE=flaky)), utterances, user_id=HOUSEHOLD).launch()
    assert turn.status == 200 and turn.keys == ("launch.first",)
    assert flaky.saves == 6
    stored = store.load(HOUSEHOLD)
    assert stored is not None and stored.data["visits"] == 1


def test_conflicts_past_the_deadline_get_the_apology_logged_as_conflicts(
    make_app: AppFactory,
    store: SQLiteHouseholdStore,
    utterances: Utterances,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(STORE=FlakyStore(store, conflicts=10**6))
    app.extensions["closer"].store_seconds = 0.3
    with caplog.at_level(logging.INFO):
        turn = Conversation(poster(app), utterances, user_id=HOUSEHOLD).launch()
    assert turn.status == 200 and turn.keys == ("error.store",)
    entry = json.loads([r.getMessage() for r in caplog.records if r.name == "closer.request"][-1])
    assert entry["outcome"] == "conflict" and entry["conflicts"] >= 3
    assert "faults" not in entry


def test_two_devices_racing_on_one_household_lose_no_visit(
    make_app: AppFactory, store: SQLiteHouseholdStore, utterances: Utterances
) -> None:
    """Both devices read before either writes; the loser re-reads and counts on top."""
    barrier = threading.Barrier(2, timeout=5)

    class Racing(FlakyStore):
        def load(self, household_id: str) -> StoredHousehold | None:
            loaded = self.inner.load(household_id)
            if loaded is None:
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait()
            return loaded

    # two apps, as two workers: within one app a household's turns take turns
    apps = [make_app(STORE=Racing(store)) for _ in range(2)]
    answers: list[int] = []

    def device(index: int) -> None:
        alexa = Conversation(
            poster(apps[index]), utterances, user_id=HOUSEHOLD, device_id=f"device-{index}"
        )
        answers.append(alexa.launch().status)

    threads = [threading.Thread(target=device, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert answers == [200, 200]
    stored = store.load(HOUSEHOLD)
    assert stored is not None and stored.version == 1 and stored.data["visits"] == 1


def test_a_failing_handler_gets_a_kind_word_and_no_stack_trace(
    alexa: Conversation, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from skill.services import session

    def broken(turn: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(session, "help", broken)
    alexa.launch()
    with caplog.at_level(logging.ERROR):
        turn = alexa.say("help")
    assert turn.status == 200
    assert turn.keys == ("error.generic",)
    assert "secret internals" not in json.dumps(turn.body)
    assert "Traceback" not in json.dumps(turn.body)
    assert any("secret internals" in str(r.exc_info) for r in caplog.records)


def test_content_tables_are_parsed_once_per_catalog(catalog: Any) -> None:
    from dataclasses import replace

    from skill.content import plan, questions

    en = catalog.base
    assert questions.catalog_questions(en) is questions.catalog_questions(en)
    assert plan.weeks(en) is plan.weeks(en)
    emptied = replace(en, tables={})
    with pytest.raises(ContentError):
        questions.catalog_questions(emptied)
