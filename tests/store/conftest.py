"""Fixtures for the store suite: one moto server per session, a fresh store per test."""

from __future__ import annotations

import sqlite3
import uuid
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from botocore.client import BaseClient

from skill.store import HouseholdStore, SQLiteHouseholdStore
from skill.store.dynamodb import DynamoDBHouseholdStore, create_table
from tests.dynamo_server import make_client, moto_dynamodb

RawReader = Callable[[str], "str | None"]


@pytest.fixture(scope="session")
def dynamo_endpoint() -> Iterator[str]:
    with moto_dynamodb() as endpoint:
        yield endpoint


@pytest.fixture
def dynamo_client(dynamo_endpoint: str) -> Iterator[BaseClient]:
    client = make_client(dynamo_endpoint)
    yield client
    client.close()


@pytest.fixture
def table_name() -> str:
    return f"households-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, table_name: str
) -> Iterator[HouseholdStore]:
    if request.param == "sqlite":
        # A directory that does not exist yet: the store creates its parents.
        sqlite_store = SQLiteHouseholdStore(tmp_path / "state" / "households.db")
        yield sqlite_store
        sqlite_store.close()
        return
    client = make_client(request.getfixturevalue("dynamo_endpoint"))
    create_table(client, table_name)
    dynamo_store = DynamoDBHouseholdStore(client, table_name)
    yield dynamo_store
    client.delete_table(TableName=table_name)
    dynamo_store.close()


@pytest.fixture
def read_raw(store: HouseholdStore) -> RawReader:
    """The stored JSON of a household, bypassing the store (None if no item); on DynamoDB
    the item holds it deflated."""

    def read(household_id: str) -> str | None:
        assert isinstance(store, SQLiteHouseholdStore | DynamoDBHouseholdStore)
        key = store.keys.current(household_id)
        if isinstance(store, SQLiteHouseholdStore):
            with sqlite3.connect(store.path) as connection:
                row = connection.execute("SELECT data FROM households WHERE pk = ?", (key,))
                found = row.fetchone()
            connection.close()
            return None if found is None else str(found[0])
        assert isinstance(store, DynamoDBHouseholdStore)
        response = store.client.get_item(
            TableName=store.table_name, Key={"pk": {"S": key}}, ConsistentRead=True
        )
        item = response.get("Item")
        if item is None:
            return None
        packed = item["data"]["B"]  # DynamoDB holds the JSON deflated
        return zlib.decompress(packed, -15).decode()

    return read
