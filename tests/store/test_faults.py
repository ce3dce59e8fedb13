"""The stores turn engine failures into StoreError, quickly."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.client import BaseClient

from skill.store import HouseholdKeys, SQLiteHouseholdStore, StoreError
from skill.store.dynamodb import DynamoDBHouseholdStore, create_table
from tests.dynamo_server import free_port, make_client


@pytest.fixture
def read_only_db(tmp_path: Path) -> Iterator[Path]:
    """An existing households file that nobody (root included) may write."""
    path = tmp_path / "households.db"
    with SQLiteHouseholdStore(path) as store:
        store.save("h", {"n": 1}, None)
    path.chmod(0o444)
    immutable = False
    if os.access(path, os.W_OK):  # root ignores permission bits: make the file immutable
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)], check=False).returncode:
            pytest.skip("cannot make a file read-only for this user")
        immutable = True
    yield path
    if immutable:
        subprocess.run([str(shutil.which("chattr")), "-i", str(path)], check=True)
    path.chmod(0o644)


def test_sqlite_read_only_file_reads_but_a_write_is_a_store_error(read_only_db: Path) -> None:
    with SQLiteHouseholdStore(read_only_db) as store:
        assert store.load("h") is not None
        with pytest.raises(StoreError, match="readonly"):
            store.save("h", {"n": 2}, 1)
        with pytest.raises(StoreError, match="readonly"):
            store.delete("h")


def test_sqlite_locked_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "households.db"
    with SQLiteHouseholdStore(path, busy_timeout_ms=50) as store:
        blocker = sqlite3.connect(path, isolation_level=None)
        try:
            blocker.execute("BEGIN EXCLUSIVE")
            with pytest.raises(StoreError, match="locked"):
                store.save("h", {"n": 1}, None)
            blocker.execute("ROLLBACK")
        finally:
            blocker.close()
        assert store.save("h", {"n": 1}, None) == 1


def test_sqlite_closed_store_is_a_store_error(tmp_path: Path) -> None:
    store = SQLiteHouseholdStore(tmp_path / "households.db")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.load("h")


def test_dynamodb_unreachable_endpoint_fails_fast() -> None:
    client = make_client(f"http://127.0.0.1:{free_port()}")  # nobody listens there
    store = DynamoDBHouseholdStore(client, "households")
    try:
        for operation in (
            lambda: store.load("h"),
            lambda: store.save("h", {}, None),
            lambda: store.delete("h"),
        ):
            started = time.monotonic()
            with pytest.raises(StoreError, match="EndpointConnectionError"):
                operation()
            assert time.monotonic() - started < 3
    finally:
        store.close()


def test_dynamodb_missing_table_is_a_store_error(dynamo_client: BaseClient) -> None:
    store = DynamoDBHouseholdStore(dynamo_client, "no-such-table")
    with pytest.raises(StoreError, match="ResourceNotFoundException"):
        store.load("h")


def test_dynamodb_malformed_item_is_a_store_error(
    dynamo_client: BaseClient, table_name: str
) -> None:
    create_table(dynamo_client, table_name)
    dynamo_client.put_item(
        TableName=table_name,
        Item={
            "pk": {"S": HouseholdKeys().current("h")},
            "version": {"N": "1"},
            "data": {"S": "[1,"},
        },
    )
    with pytest.raises(StoreError, match="invalid JSON"):
        DynamoDBHouseholdStore(dynamo_client, table_name).load("h")


def test_create_table_is_idempotent_and_enables_ttl(
    dynamo_client: BaseClient, table_name: str
) -> None:
    assert create_table(dynamo_client, table_name) is True
    assert create_table(dynamo_client, table_name) is False

    table = dynamo_client.describe_table(TableName=table_name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = dynamo_client.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
