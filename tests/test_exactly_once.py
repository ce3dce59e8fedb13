"""Exactly once, whatever the network does: a turn is applied once and answered as applied.

A fault proxy sits between the skill and a DynamoDB-API server. It lets every write reach the
engine and then loses some answers: late (past the client's read timeout), dropped (the
connection closed), or late with botocore re-sending the write. Counters in the household must
match exactly what the household heard.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config

from skill.app import STORE_SECONDS
from skill.devtools.conversation import Conversation, Said
from skill.devtools.nlu import Utterances
from skill.store import HouseholdStore
from skill.store.dynamodb import (
    READ_TIMEOUT,
    DynamoDBHouseholdStore,
    client_config,
    create_table,
)
from tests.conftest import EVENING, HOUSEHOLD, AppFactory, poster
from tests.dynamo_server import make_client, moto_dynamodb
from tests.fault_proxy import FaultProxy

NEW_QUESTION = ("questions.tonight", "questions.next")
MORNING_DONE = "check_in.morning.goodbye"


@pytest.fixture(scope="module")
def engine() -> Iterator[str]:
    with moto_dynamodb() as url:
        yield url


@pytest.fixture
def proxy(engine: str) -> Iterator[FaultProxy]:
    with FaultProxy(engine) as running:
        yield running


def dynamo_store(engine: str, proxy: FaultProxy, *, botocore_retries: bool) -> HouseholdStore:
    table = f"once-{uuid.uuid4().hex[:10]}"
    create_table(make_client(engine), table)
    config = client_config()
    if botocore_retries:  # as the store was configured before: botocore re-sends a timed-out write
        config = config.merge(Config(retries={"mode": "standard", "total_max_attempts": 2}))
    client = make_client(proxy.endpoint, config)
    return DynamoDBHouseholdStore(client, table)


class Ledger:
    """What the household heard: new questions and completed morning check-ins."""

    def __init__(self) -> None:
        self.questions: list[str] = []
        self.check_ins = 0
        self.apologies = 0

    def hear(self, said: Said) -> Said:
        assert said.status == 200
        if "error.store" in said.keys:
            self.apologies += 1
        if any(key in said.keys for key in NEW_QUESTION):
            assert said.card is not None
            self.questions.append(str(said.card["content"]))
        if MORNING_DONE in said.keys:
            self.check_ins += 1
        return said

    def check(self, store: HouseholdStore) -> None:
        stored = store.load(HOUSEHOLD)
        assert stored is not None
        questions = stored.data.get("questions", {})
        assert len(set(self.questions)) == len(self.questions), "a question was heard twice"
        assert questions.get("given", 0) == len(self.questions)
        # pos counts the questions moved past: all heard but tonight's
        assert questions.get("pos", 0) == len(self.questions) - 1, "a question was skipped"
        assert stored.data.get("check_in", {}).get("count", 0) == self.check_ins


def a_week_of_turns(alexa: Conversation, ledger: Ledger, rounds: int) -> None:
    ledger.hear(alexa.launch())
    for round_ in range(rounds):
        ledger.hear(alexa.say("ask closer together for the next question"))
        if round_ % 3 == 0:
            started = ledger.hear(alexa.say("ask closer together to start a morning check-in"))
            if not started.ended:
                ledger.hear(alexa.say("ready"))
        alexa.advance(days=1)


FAULTS = {
    "late answer": ("late", False),
    "dropped connection": ("drop", False),
    "late answer, write re-sent by botocore": ("late", True),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_lost_write_answers_never_apply_a_turn_twice(
    engine: str,
    proxy: FaultProxy,
    make_app: AppFactory,
    utterances: Utterances,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    action, resend = FAULTS[fault]
    store = dynamo_store(engine, proxy, botocore_retries=resend)
    alexa = Conversation(poster(make_app(STORE=store)), utterances, user_id=HOUSEHOLD, now=EVENING)
    # every third write reaches the engine, but its answer is lost (a botocore re-send passes)
    proxy.plan = lambda op, count: action if op == "PutItem" and count % 3 == 1 else "pass"
    ledger = Ledger()
    with caplog.at_level(logging.INFO, logger="closer.request"):
        a_week_of_turns(alexa, ledger, rounds=7)
    proxy.plan = lambda operation, count: "pass"

    assert proxy.count(action) >= 4
    assert ledger.apologies == 0  # every landed write was recognised as the turn's own
    ledger.check(store)
    entries = [json.loads(r.getMessage()) for r in caplog.records if r.name == "closer.request"]
    recovered = [e for e in entries if e.get("recovered") == "own_write"]
    assert len(recovered) == proxy.count(action)
    assert all(e["outcome"] == "ok" for e in entries)


def test_a_replayed_request_is_answered_but_applied_once(
    make_app: AppFactory, utterances: Utterances, store: HouseholdStore
) -> None:
    post = poster(make_app())
    alexa = Conversation(post, utterances, user_id=HOUSEHOLD, now=EVENING)
    alexa.launch()
    first = alexa.say("ask closer together for tonight's question")
    envelope = alexa.envelope(
        {
            "type": "IntentRequest",
            "intent": {"name": "NextQuestionIntent", "confirmationStatus": "NONE", "slots": {}},
        }
    )
    barrier = threading.Barrier(8, timeout=10)
    answers: list[tuple[int, dict[str, Any]]] = []

    def copy() -> None:
        barrier.wait()
        status, body, _ = post(json.loads(json.dumps(envelope)))
        answers.append((status, body))

    threads = [threading.Thread(target=copy) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [status for status, _ in answers] == [200] * 8
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    assert stored.data["questions"]["given"] == 2  # tonight's, and one next: not eight
    spoken = [body["response"].get("outputSpeech", {}).get("ssml", "") for _, body in answers]
    assert all(spoken), "every copy gets a spoken answer"
    assert first.card is not None
    later = alexa.say("ask closer together to repeat the question")
    assert later.card is not None and later.card != first.card


def test_a_frozen_engine_is_answered_within_the_store_deadline(
    engine: str, proxy: FaultProxy, make_app: AppFactory, utterances: Utterances
) -> None:
    store = dynamo_store(engine, proxy, botocore_retries=False)
    alexa = Conversation(poster(make_app(STORE=store)), utterances, user_id=HOUSEHOLD, now=EVENING)
    alexa.launch()
    proxy.late_seconds = 6.0
    proxy.plan = lambda operation, count: "freeze"
    started = time.monotonic()
    turn = alexa.say("ask closer together for the next question")
    seconds = time.monotonic() - started
    assert turn.status == 200 and turn.keys == ("error.store",)
    assert seconds < STORE_SECONDS + READ_TIMEOUT + 1.5  # the deadline, one timeout, slack
    assert proxy.count("freeze") <= 2
