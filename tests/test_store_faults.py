"""When the store fails, every turn still answers fast and kindly, and nothing is half-written."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

from skill.devtools.conversation import Conversation
from skill.devtools.nlu import Utterances
from skill.store.dynamodb import DynamoDBHouseholdStore, create_table
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, AppFactory, poster
from tests.dynamo_server import free_port, make_client, moto_dynamodb

BUDGET_SECONDS = 3.0


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_dynamodb() as url:
        yield url


class Faults:
    """Injects a failure into every DynamoDB call of a boto3 client while armed."""

    def __init__(self) -> None:
        self.make: Callable[[], Any] | None = None
        self.only: str | None = None
        self.calls = 0

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        operation = kwargs.get("event_name", "").rsplit(".", 1)[-1]
        if self.make is None or (self.only and operation != self.only):
            return None
        self.calls += 1
        result = self.make()
        if isinstance(result, Exception):
            raise result
        return result


def aws_error(code: str, status: int) -> Callable[[], AWSResponse]:
    body = f'{{"__type":"com.amazonaws.dynamodb.v20120810#{code}","message":"injected"}}'

    def make() -> AWSResponse:
        return AWSResponse("https://dynamodb", status, {"x-amzn-ErrorType": code}, _Raw(body))

    return make


class _Raw:
    def __init__(self, body: str) -> None:
        self.body = body.encode()

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self.body

    def read(self, *args: Any) -> bytes:
        return self.body


FAULTS: dict[str, Callable[[], Any]] = {
    "throughput exceeded": aws_error("ProvisionedThroughputExceededException", 400),
    "throttling": aws_error("ThrottlingException", 400),
    "internal server error": aws_error("InternalServerError", 500),
    "read timeout": lambda: ReadTimeoutError(endpoint_url="https://dynamodb"),
    "connect timeout": lambda: ConnectTimeoutError(endpoint_url="https://dynamodb"),
    "endpoint down": lambda: EndpointConnectionError(endpoint_url="https://dynamodb"),
}


def timed(alexa: Conversation, text: str) -> tuple[Any, float]:
    started = time.monotonic()
    turn = alexa.say(text)
    return turn, time.monotonic() - started


@pytest.mark.parametrize("operation", ["GetItem", "PutItem"])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_dynamodb_faults_get_a_kind_apology_in_time(
    endpoint: str,
    make_app: AppFactory,
    utterances: Utterances,
    fault: str,
    operation: str,
    request: pytest.FixtureRequest,
) -> None:
    client = make_client(endpoint)
    table = f"faults-{abs(hash(request.node.name))}"
    create_table(client, table)
    faults = Faults()
    client.meta.events.register("before-send.dynamodb", faults)
    store = DynamoDBHouseholdStore(client, table)
    app = make_app(STORE=store)
    alexa = Conversation(poster(app), utterances, user_id=HOUSEHOLD)
    alexa.launch()
    before = store.load(HOUSEHOLD)
    assert before is not None

    faults.make, faults.only = FAULTS[fault], operation
    alexa.advance(days=1)
    turn, seconds = timed(alexa, "open closer together")
    assert turn.status == 200
    assert turn.keys == ("error.store",)
    assert seconds < BUDGET_SECONDS
    assert faults.calls <= 2, faults.calls  # botocore retries are bounded

    faults.make = None
    assert store.load(HOUSEHOLD) == before  # nothing half-written


def test_a_dynamodb_server_stopped_mid_conversation(
    make_app: AppFactory, utterances: Utterances
) -> None:
    with moto_dynamodb() as url:
        client = make_client(url)
        create_table(client, "stopping")
        app = make_app(STORE=DynamoDBHouseholdStore(client, "stopping"))
        alexa = Conversation(poster(app), utterances, user_id=HOUSEHOLD)
        assert alexa.launch().keys == ("launch.first",)
    alexa.advance(days=1)
    turn, seconds = timed(alexa, "open closer together")
    assert turn.status == 200 and turn.keys == ("error.store",)
    assert seconds < BUDGET_SECONDS


def test_a_dynamodb_endpoint_nobody_listens_on(
    make_app: AppFactory, utterances: Utterances
) -> None:
    client = make_client(f"http://127.0.0.1:{free_port()}")
    app = make_app(STORE=DynamoDBHouseholdStore(client, "nowhere"))
    turn, seconds = timed(
        Conversation(poster(app), utterances, user_id=HOUSEHOLD), "open closer together"
    )
    assert turn.status == 200 and turn.keys == ("error.store",)
    assert seconds < BUDGET_SECONDS


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteHouseholdStore]:
    store = SQLiteHouseholdStore(tmp_path / "faults.db")
    yield store
    store.close()


def sqlite_conversation(
    make_app: AppFactory, utterances: Utterances, store: SQLiteHouseholdStore
) -> Conversation:
    alexa = Conversation(poster(make_app(STORE=store)), utterances, user_id=HOUSEHOLD)
    assert alexa.launch().keys == ("launch.first",)
    alexa.advance(days=1)
    return alexa


def test_a_locked_sqlite_database(
    make_app: AppFactory, utterances: Utterances, sqlite_store: SQLiteHouseholdStore
) -> None:
    alexa = sqlite_conversation(make_app, utterances, sqlite_store)
    before = sqlite_store.load(HOUSEHOLD)
    locker = sqlite3.connect(sqlite_store.path, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        turn, seconds = timed(alexa, "open closer together")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert turn.status == 200 and turn.keys == ("error.store",)
    assert seconds < BUDGET_SECONDS
    assert sqlite_store.load(HOUSEHOLD) == before


def test_a_read_only_sqlite_database(
    make_app: AppFactory, utterances: Utterances, sqlite_store: SQLiteHouseholdStore
) -> None:
    alexa = sqlite_conversation(make_app, utterances, sqlite_store)
    before = sqlite_store.load(HOUSEHOLD)
    connection = sqlite_store._connection()  # the Flask test client runs in this thread
    connection.execute("PRAGMA query_only = ON")
    turn, seconds = timed(alexa, "open closer together")
    connection.execute("PRAGMA query_only = OFF")
    assert turn.status == 200 and turn.keys == ("error.store",)
    assert seconds < BUDGET_SECONDS
    assert sqlite_store.load(HOUSEHOLD) == before


class FullDisk:
    """A connection whose writes fail the way SQLite reports a full disk."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.real.execute(sql, *args)


def test_a_full_disk_under_sqlite(
    make_app: AppFactory, utterances: Utterances, sqlite_store: SQLiteHouseholdStore
) -> None:
    alexa = sqlite_conversation(make_app, utterances, sqlite_store)
    before = sqlite_store.load(HOUSEHOLD)
    real = sqlite_store._connection()
    sqlite_store._local.connection = FullDisk(real)
    try:
        turn, seconds = timed(alexa, "open closer together")
    finally:
        sqlite_store._local.connection = real
    assert turn.status == 200 and turn.keys == ("error.store",)
    assert seconds < BUDGET_SECONDS
    assert sqlite_store.load(HOUSEHOLD) == before
