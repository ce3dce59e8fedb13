"""What each backend does underneath the contract: API calls, files, keys."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from botocore.client import BaseClient

from skill.store import SQLiteHouseholdStore, household_key
from skill.store.dynamodb import DynamoDBHouseholdStore, client_config, create_table


def test_household_key() -> None:
    assert household_key("amzn1.ask.account.X") == "household#amzn1.ask.account.X"


def test_client_config_fails_fast() -> None:
    config = client_config()
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}
    assert (config.connect_timeout, config.read_timeout) == (0.5, 1.0)


def test_dynamodb_turn_is_one_call_each(dynamo_client: BaseClient, table_name: str) -> None:
    create_table(dynamo_client, table_name)
    store = DynamoDBHouseholdStore(dynamo_client, table_name)
    calls: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append((model.name, params))

    dynamo_client.meta.events.register("provide-client-params.dynamodb.*", record)

    store.save("h", {"n": 1}, None, expires_at=4_000_000_000)
    loaded = store.load("h")
    store.delete("h")

    assert loaded is not None
    assert [name for name, _ in calls] == ["PutItem", "GetItem", "DeleteItem"]
    put, get, _ = (params for _, params in calls)
    assert put["Item"] == {
        "pk": {"S": "household#h"},
        "version": {"N": "1"},
        "data": {"S": '{"n":1}'},
        "expires_at": {"N": "4000000000"},
    }
    assert put["ConditionExpression"].startswith("attribute_not_exists(pk)")
    assert get["ConsistentRead"] is True
    assert get["ProjectionExpression"]


def test_sqlite_creates_parents_schema_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "households.db"
    with SQLiteHouseholdStore(path) as store:
        store.save("h", {"n": 1}, None, expires_at=4_000_000_000)

    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("SELECT * FROM households").fetchall() == [
            ("household#h", 1, '{"n":1}', 4_000_000_000)
        ]
    finally:
        connection.close()


def test_sqlite_reopens_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "households.db"
    with SQLiteHouseholdStore(path) as store:
        store.save("h", {"n": 1}, None)
    with SQLiteHouseholdStore(path) as store:
        assert store.save("h", {"n": 2}, 1) == 2
