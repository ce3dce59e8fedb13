"""Devices of one household talking at once: conflicts are run again, not apologised for.

Through the Flask app (two instances, as two workers), one thread per device, on SQLite and on a
DynamoDB-API server. Every
advance a device heard is in the household exactly once, and apologies stay rare (none with
two devices at once; at most 5% with eight devices hammering back to back).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator

import pytest

from skill.devtools.conversation import Conversation, Said
from skill.devtools.nlu import Utterances
from skill.store import HouseholdStore
from skill.store.dynamodb import DynamoDBHouseholdStore, create_table
from tests.conftest import EVENING, HOUSEHOLD, AppFactory, poster
from tests.dynamo_server import make_client, moto_dynamodb
from tests.test_exactly_once import NEW_QUESTION

NEXT = "ask closer together for the next question"


@pytest.fixture(params=["sqlite", "dynamodb"])
def household_store(request: pytest.FixtureRequest) -> Iterator[HouseholdStore]:
    if request.param == "sqlite":
        yield request.getfixturevalue("store")
        return
    with moto_dynamodb() as endpoint:
        table = f"contention-{uuid.uuid4().hex[:10]}"
        create_table(make_client(endpoint), table)
        dynamo = DynamoDBHouseholdStore(make_client(endpoint), table)
        yield dynamo
        dynamo.close()


def speakers(
    app_factory: AppFactory, store: HouseholdStore, utterances: Utterances, count: int
) -> list[Conversation]:
    """``count`` devices, spread over two apps on one store (as over two gunicorn workers:
    within one app a household's turns take turns; across apps they race)."""
    apps = [app_factory(STORE=store) for _ in range(2)]
    return [
        Conversation(
            poster(apps[index % 2]),
            utterances,
            user_id=HOUSEHOLD,
            device_id=f"amzn1.ask.device.{index}",
            now=EVENING,
            api_endpoint="http://127.0.0.1:9",
        )
        for index in range(count)
    ]


def run_devices(devices: list[Conversation], turns: int, *, together: bool) -> list[Said]:
    """Each device says NEXT ``turns`` times back to back (the first at one instant)."""
    barrier = threading.Barrier(len(devices), timeout=30)
    heard: list[Said] = []
    lock = threading.Lock()

    def device(alexa: Conversation) -> None:
        barrier.wait()
        for _ in range(turns):
            said = alexa.say(NEXT)
            with lock:
                heard.append(said)
            if together:
                barrier.wait()

    threads = [threading.Thread(target=device, args=(alexa,)) for alexa in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(heard) == len(devices) * turns
    return heard


def check_counts(store: HouseholdStore, heard: list[Said]) -> int:
    """Every advance heard is stored exactly once; returns how many apologies were heard."""
    assert all(said.status == 200 for said in heard)
    advances = [s for s in heard if any(key in s.keys for key in NEW_QUESTION)]
    apologies = [s for s in heard if "error.store" in s.keys]
    assert len(advances) + len(apologies) == len(heard)
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    questions = stored.data["questions"]
    assert questions["given"] == len(advances)
    assert questions["pos"] == len(advances) - 1
    return len(apologies)


def test_two_devices_at_once_never_hear_an_apology(
    make_app: AppFactory, household_store: HouseholdStore, utterances: Utterances
) -> None:
    heard = run_devices(speakers(make_app, household_store, utterances, 2), 6, together=True)
    assert check_counts(household_store, heard) == 0


def test_eight_devices_hammering_one_household(
    make_app: AppFactory,
    household_store: HouseholdStore,
    utterances: Utterances,
    caplog: pytest.LogCaptureFixture,
) -> None:
    devices = speakers(make_app, household_store, utterances, 8)
    with caplog.at_level(logging.INFO, logger="closer.request"):
        heard = run_devices(devices, 4, together=False)  # 32: within the 36 questions
    apologies = check_counts(household_store, heard)
    assert apologies <= 0.05 * len(heard), apologies
    entries = [json.loads(r.getMessage()) for r in caplog.records if r.name == "closer.request"]
    assert sum(e.get("conflicts", 0) for e in entries) > 0  # they did collide
    conflicted = [e for e in entries if e.get("conflicts")]
    assert all(e["outcome"] in ("ok", "conflict") and "faults" not in e for e in conflicted)
    assert len([e for e in entries if e["outcome"] == "conflict"]) == apologies


def test_within_one_app_a_households_turns_take_turns(
    make_app: AppFactory,
    store: HouseholdStore,
    utterances: Utterances,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(STORE=store)
    devices = [
        Conversation(poster(app), utterances, user_id=HOUSEHOLD, device_id=f"d{i}", now=EVENING)
        for i in range(8)
    ]
    with caplog.at_level(logging.INFO, logger="closer.request"):
        heard = run_devices(devices, 3, together=True)
    assert check_counts(store, heard) == 0
    entries = [json.loads(r.getMessage()) for r in caplog.records if r.name == "closer.request"]
    assert not any(e.get("conflicts") for e in entries)
