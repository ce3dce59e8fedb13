"""What each backend does underneath the contract: API calls, files, keys."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from botocore.client import BaseClient

from skill.store import HouseholdKeys, SQLiteHouseholdStore, StoreError
from skill.store.base import MARKER_KEY, encode_data, pack_data, unpack_data
from skill.store.dynamodb import DynamoDBHouseholdStore, client_config, create_table

REAL_LENGTH_ID = "amzn1.ask.account." + "A" * 207  # real ids are about 225 characters


def test_household_key_is_a_fixed_length_digest_not_the_id() -> None:
    keys = HouseholdKeys()
    key = keys.current(REAL_LENGTH_ID)
    assert len(key) == len(keys.current("x")) == 24
    assert key.startswith("h#") and "amzn1" not in key
    assert key == keys.current(REAL_LENGTH_ID)
    assert key != keys.current(REAL_LENGTH_ID + "B")
    assert keys.older(REAL_LENGTH_ID) == ("household#" + REAL_LENGTH_ID,)


def test_a_deployment_secret_changes_every_key_and_keeps_the_previous_one_readable() -> None:
    built_in, first = HouseholdKeys(), HouseholdKeys.from_secrets("first secret")
    rotated = HouseholdKeys.from_secrets("second secret", previous="first secret")
    assert first.current("x") != built_in.current("x")
    assert rotated.current("x") != first.current("x")
    assert rotated.older("x") == (first.current("x"), "household#x")


def test_client_config_fails_fast() -> None:
    config = client_config()
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert (config.connect_timeout, config.read_timeout) == (0.5, 1.0)
    assert config.parameter_validation is False


def record_calls(client: BaseClient) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append((model.name, params))

    client.meta.events.register("provide-client-params.dynamodb.*", record)
    return calls


def test_dynamodb_turn_is_one_call_each(dynamo_client: BaseClient, table_name: str) -> None:
    create_table(dynamo_client, table_name)
    store = DynamoDBHouseholdStore(dynamo_client, table_name)
    store.load("someone else")  # the worker's first miss also reads the table's marker once
    calls = record_calls(dynamo_client)

    assert store.load("new") is None  # a household seen for the first time: one read
    store.save("h", {"n": 1}, None, expires_at=4_000_000_000)
    loaded = store.load("h")
    store.delete("h")

    assert loaded is not None
    assert [name for name, _ in calls] == ["GetItem", "PutItem", "GetItem", "DeleteItem"]
    _, put, get, _ = (params for _, params in calls)
    assert put["Item"] == {
        "pk": {"S": HouseholdKeys().current("h")},
        "version": {"N": "1"},
        "data": {"B": pack_data({"n": 1})},
        "expires_at": {"N": "4000000000"},
    }
    assert put["ConditionExpression"].startswith("attribute_not_exists(pk)")
    assert get["ConsistentRead"] is True
    assert get["ProjectionExpression"]


def test_a_table_without_the_marker_is_searched_for_raw_id_items_then_moved_whole(
    dynamo_client: BaseClient, table_name: str
) -> None:
    create_table(dynamo_client, table_name)
    dynamo_client.delete_item(TableName=table_name, Key={"pk": {"S": MARKER_KEY}})
    for who, visits in (("a", 2), ("b", 5)):
        raw = {"pk": {"S": "household#" + who}, "version": {"N": "4"}}
        item = {**raw, "data": {"S": f'{{"visits":{visits}}}'}}
        dynamo_client.put_item(TableName=table_name, Item=item)
    store = DynamoDBHouseholdStore(dynamo_client, table_name)
    calls = record_calls(dynamo_client)
    assert store.load("new") is None
    assert [name for name, _ in calls] == ["GetItem", "GetItem", "GetItem"]  # + marker, raw id
    store.save("b", {"visits": 9}, None)  # b came back on a new device before the move

    assert store.move_raw_keys() == 1

    keys = {item["pk"]["S"] for item in dynamo_client.scan(TableName=table_name)["Items"]}
    assert keys == {MARKER_KEY, store.keys.current("a"), store.keys.current("b")}
    moved, kept = store.load("a"), store.load("b")
    assert moved is not None and (moved.version, moved.data) == (4, {"visits": 2})
    assert kept is not None and kept.data == {"visits": 9}
    fresh = DynamoDBHouseholdStore(dynamo_client, table_name)
    fresh.load("first")  # reads the marker
    calls.clear()
    assert fresh.load("second") is None
    assert [name for name, _ in calls] == ["GetItem"]


def test_dynamodb_holds_the_state_deflated_and_reads_items_written_as_text(
    dynamo_client: BaseClient, table_name: str
) -> None:
    create_table(dynamo_client, table_name)
    store = DynamoDBHouseholdStore(dynamo_client, table_name)
    year = {
        "names": ["Samantha", "Alexander"],
        "closeness": [[f"2027-08-{day:02}", 3, 4] for day in range(2, 30, 7)],
        "questions": {"recent": [f"s2q{n:02}" for n in range(1, 13)], "night": "2027-10-19"},
    }
    store.save("h", year, None)
    packed = pack_data(year)
    assert len(packed) < len(encode_data(year)) * 0.6
    assert unpack_data(packed) == year
    key = {"pk": {"S": HouseholdKeys().current("old")}}
    text = {"version": {"N": "3"}, "data": {"S": '{"visits":4}'}}
    dynamo_client.put_item(TableName=table_name, Item={**key, **text})
    loaded = store.load("old")
    assert loaded is not None and (loaded.version, loaded.data) == (3, {"visits": 4})


def test_a_packed_state_that_does_not_unpack_is_a_store_error() -> None:
    for broken in (b"not deflate", pack_data({"a": 1})[:-3], b"\x03\x00" + b"junk"):
        with pytest.raises(StoreError):
            unpack_data(broken)


def test_sqlite_creates_parents_schema_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "households.db"
    with SQLiteHouseholdStore(path) as store:
        store.save("h", {"n": 1}, None, expires_at=4_000_000_000)

    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute(
            "SELECT * FROM households WHERE pk != ?", (MARKER_KEY,)
        ).fetchall() == [(HouseholdKeys().current("h"), 1, '{"n":1}', 4_000_000_000)]
        assert connection.execute(
            "SELECT version, expires_at FROM households WHERE pk = ?", (MARKER_KEY,)
        ).fetchall() == [(1, None)]
    finally:
        connection.close()


def test_sqlite_folder_and_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "households.db"
    with SQLiteHouseholdStore(path) as store:
        store.save("h", {"n": 1}, None)
        files = [path, path.with_name("households.db-wal"), path.with_name("households.db-shm")]
        assert all(f.exists() for f in files)
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert [stat.S_IMODE(f.stat().st_mode) for f in files] == [0o600] * 3


def test_sqlite_tightens_a_file_that_others_could_read(tmp_path: Path) -> None:
    path = tmp_path / "households.db"
    with SQLiteHouseholdStore(path) as store:
        store.save("h", {"n": 1}, None)
    os.chmod(path, 0o644)
    with SQLiteHouseholdStore(path) as store:
        assert store.load("h") is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def legacy_sqlite_item(path: Path, household_id: str, version: int, data: str) -> None:
    """An item as written before digests (keyed by the raw id), in a file from those days
    (without the marker that says it holds digest keys only)."""
    if not path.exists():
        SQLiteHouseholdStore(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("DELETE FROM households WHERE pk = ?", (MARKER_KEY,))
        connection.execute(
            "INSERT INTO households VALUES (?, ?, ?, NULL)",
            ("household#" + household_id, version, data),
        )
    finally:
        connection.close()


def test_an_item_under_the_raw_id_moves_to_its_digest_key_on_first_read(tmp_path: Path) -> None:
    path = tmp_path / "households.db"
    legacy_sqlite_item(path, REAL_LENGTH_ID, 7, '{"visits":7}')
    with SQLiteHouseholdStore(path) as store:
        loaded = store.load(REAL_LENGTH_ID)
        assert loaded is not None and (loaded.version, loaded.data) == (7, {"visits": 7})
        assert store.save(REAL_LENGTH_ID, {"visits": 8}, 7) == 8
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT pk, version FROM households").fetchall()
    finally:
        connection.close()
    assert rows == [(HouseholdKeys().current(REAL_LENGTH_ID), 8)]


def test_moving_every_raw_id_item_at_once_marks_the_file(tmp_path: Path) -> None:
    path = tmp_path / "households.db"
    legacy_sqlite_item(path, "a", 3, '{"visits":3}')
    legacy_sqlite_item(path, "b", 2, "{}")
    with SQLiteHouseholdStore(path) as store:
        assert store.move_raw_keys() == 2
    connection = sqlite3.connect(path)
    try:
        keys = {pk for (pk,) in connection.execute("SELECT pk FROM households")}
    finally:
        connection.close()
    keys_now = HouseholdKeys()
    assert keys == {MARKER_KEY, keys_now.current("a"), keys_now.current("b")}
    with SQLiteHouseholdStore(path) as store:
        loaded = store.load("a")
        assert loaded is not None and (loaded.version, loaded.data) == (3, {"visits": 3})


def test_rotating_the_secret_moves_households_on_their_next_read(tmp_path: Path) -> None:
    path = tmp_path / "households.db"
    with SQLiteHouseholdStore(path, keys=HouseholdKeys.from_secrets("old")) as store:
        store.save("h", {"n": 1}, None)
    rotated = HouseholdKeys.from_secrets("new", previous="old")
    with SQLiteHouseholdStore(path, keys=rotated) as store:
        loaded = store.load("h")
        assert loaded is not None and loaded.data == {"n": 1}
    with SQLiteHouseholdStore(path, keys=HouseholdKeys.from_secrets("new")) as store:
        assert store.load("h") is not None  # moved: no longer needs the old secret
        store.delete("h")
        assert store.load("h") is None


def test_forgetting_deletes_an_item_still_under_the_raw_id(tmp_path: Path) -> None:
    path = tmp_path / "households.db"
    legacy_sqlite_item(path, "h", 3, "{}")
    with SQLiteHouseholdStore(path) as store:
        store.delete("h")  # e.g. SkillDisabled, which reads nothing first
        assert store.load("h") is None


def test_sqlite_reopens_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "households.db"
    with SQLiteHouseholdStore(path) as store:
        store.save("h", {"n": 1}, None)
    with SQLiteHouseholdStore(path) as store:
        assert store.save("h", {"n": 2}, 1) == 2


def test_create_table_marks_a_table_it_finds_empty_but_not_one_holding_items(
    dynamo_client: BaseClient, table_name: str
) -> None:
    # As if an earlier create had landed and its answer was lost: the table exists, empty.
    dynamo_client.create_table(
        TableName=table_name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    assert create_table(dynamo_client, table_name) is False
    marker = {"pk": {"S": MARKER_KEY}}
    assert "Item" in dynamo_client.get_item(TableName=table_name, Key=marker)
    dynamo_client.delete_item(TableName=table_name, Key=marker)
    raw = {"pk": {"S": "household#someone"}, "version": {"N": "1"}, "data": {"S": "{}"}}
    dynamo_client.put_item(TableName=table_name, Item=raw)
    assert create_table(dynamo_client, table_name) is False
    assert "Item" not in dynamo_client.get_item(TableName=table_name, Key=marker)
