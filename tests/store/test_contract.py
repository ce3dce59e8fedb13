"""One contract, run against every HouseholdStore (SQLite and DynamoDB via moto)."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from skill.store import HouseholdConflict, HouseholdStore, StoredHousehold
from tests.store.conftest import RawReader

HOUSEHOLD = "amzn1.ask.account.AEXAMPLE"


def test_load_missing_is_none(store: HouseholdStore) -> None:
    assert store.load(HOUSEHOLD) is None


def test_create_then_update_counts_versions(store: HouseholdStore) -> None:
    assert store.save(HOUSEHOLD, {"set": 1}, None) == 1
    assert store.load(HOUSEHOLD) == StoredHousehold(HOUSEHOLD, 1, {"set": 1})

    assert store.save(HOUSEHOLD, {"set": 2}, 1) == 2
    assert store.load(HOUSEHOLD) == StoredHousehold(HOUSEHOLD, 2, {"set": 2})


def test_stale_version_conflicts_and_keeps_the_item(store: HouseholdStore) -> None:
    store.save(HOUSEHOLD, {"n": 1}, None)
    store.save(HOUSEHOLD, {"n": 2}, 1)

    with pytest.raises(HouseholdConflict):
        store.save(HOUSEHOLD, {"n": 99}, 1)
    with pytest.raises(HouseholdConflict):
        store.save(HOUSEHOLD, {"n": 99}, 3)
    assert store.load(HOUSEHOLD) == StoredHousehold(HOUSEHOLD, 2, {"n": 2})


def test_update_of_missing_household_conflicts(store: HouseholdStore) -> None:
    with pytest.raises(HouseholdConflict):
        store.save(HOUSEHOLD, {"n": 1}, 1)
    assert store.load(HOUSEHOLD) is None


def test_create_when_it_exists_conflicts(store: HouseholdStore) -> None:
    store.save(HOUSEHOLD, {"who": "first"}, None)

    with pytest.raises(HouseholdConflict):
        store.save(HOUSEHOLD, {"who": "second"}, None)
    assert store.load(HOUSEHOLD) == StoredHousehold(HOUSEHOLD, 1, {"who": "first"})


def test_delete_is_idempotent(store: HouseholdStore) -> None:
    store.delete(HOUSEHOLD)  # nothing there yet
    store.save(HOUSEHOLD, {"n": 1}, None)

    store.delete(HOUSEHOLD)
    store.delete(HOUSEHOLD)
    assert store.load(HOUSEHOLD) is None
    assert store.save(HOUSEHOLD, {"n": 1}, None) == 1


def test_households_are_separate(store: HouseholdStore) -> None:
    store.save("a", {"who": "a"}, None)
    store.save("b", {"who": "b"}, None)
    store.delete("a")

    assert store.load("a") is None
    assert store.load("b") == StoredHousehold("b", 1, {"who": "b"})


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"nested": {"deeper": {"deepest": [1, 2, {"x": None}]}}, "flag": True, "off": False},
        {"names": ["Zoë", "Ana-María", "李雷", "Ølaf"], "note": 'tea ☕ & "quotes" \\ <b>'},
        {"big": 2**53, "negative": -7, "zero": 0, "empty": [], "blank": ""},
    ],
    ids=["empty", "nested", "unicode", "numbers"],
)
def test_data_round_trips(store: HouseholdStore, data: dict[str, Any]) -> None:
    store.save(HOUSEHOLD, data, None)
    loaded = store.load(HOUSEHOLD)

    assert loaded is not None
    assert loaded.data == data
    assert json.dumps(loaded.data, sort_keys=True) == json.dumps(data, sort_keys=True)


def test_item_is_written_as_compact_sorted_json(store: HouseholdStore, read_raw: RawReader) -> None:
    data = {"b": [1, 2], "a": {"z": "Zoë", "y": None}}
    store.save(HOUSEHOLD, data, None)

    assert read_raw(HOUSEHOLD) == '{"a":{"y":null,"z":"Zo\\u00eb"},"b":[1,2]}'


def test_expired_item_reads_as_absent_and_can_be_recreated(store: HouseholdStore) -> None:
    past = int(time.time()) - 60
    store.save(HOUSEHOLD, {"old": True}, None, expires_at=past)

    assert store.load(HOUSEHOLD) is None
    with pytest.raises(HouseholdConflict):  # its old version is gone with it
        store.save(HOUSEHOLD, {"old": False}, 1)
    assert store.save(HOUSEHOLD, {"new": True}, None) == 1
    assert store.load(HOUSEHOLD) == StoredHousehold(HOUSEHOLD, 1, {"new": True})


def test_future_expiry_is_live_and_a_save_without_it_clears_it(store: HouseholdStore) -> None:
    soon = int(time.time()) + 3600
    store.save(HOUSEHOLD, {"n": 1}, None, expires_at=soon)
    assert store.load(HOUSEHOLD) == StoredHousehold(HOUSEHOLD, 1, {"n": 1})
    with pytest.raises(HouseholdConflict):  # a live item blocks a create
        store.save(HOUSEHOLD, {"n": 0}, None)

    store.save(HOUSEHOLD, {"n": 2}, 1)  # no expires_at: the item no longer expires
    store.save(HOUSEHOLD, {"n": 3}, 2, expires_at=int(time.time()) - 1)
    assert store.load(HOUSEHOLD) is None


def test_bad_expected_version_is_a_programming_error(store: HouseholdStore) -> None:
    with pytest.raises(ValueError):
        store.save(HOUSEHOLD, {}, 0)


def test_two_writers_of_one_version_exactly_one_wins(store: HouseholdStore) -> None:
    store.save(HOUSEHOLD, {"n": 0}, None)
    both_read = threading.Barrier(2)

    def turn(value: int) -> bool:
        current = store.load(HOUSEHOLD)
        assert current is not None
        both_read.wait()
        try:
            store.save(HOUSEHOLD, {"n": value}, current.version)
        except HouseholdConflict:
            return False
        return True

    with ThreadPoolExecutor(max_workers=2) as pool:
        won = list(pool.map(turn, [1, 2]))

    assert sorted(won) == [False, True]
    winner = 1 if won[0] else 2
    assert store.load(HOUSEHOLD) == StoredHousehold(HOUSEHOLD, 2, {"n": winner})


def test_racing_read_modify_write_loses_no_update(store: HouseholdStore) -> None:
    threads, increments = 2, 20
    start = threading.Barrier(threads)
    deadline = time.monotonic() + 30

    def worker() -> None:
        start.wait()
        for _ in range(increments):
            while True:
                assert time.monotonic() < deadline, "race did not settle"
                current = store.load(HOUSEHOLD)
                try:
                    if current is None:
                        store.save(HOUSEHOLD, {"count": 1}, None)
                    else:
                        count = current.data["count"] + 1
                        store.save(HOUSEHOLD, {"count": count}, current.version)
                    break
                except HouseholdConflict:
                    pass  # another device won: reload and run the turn again

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(worker) for _ in range(threads)]
        for future in futures:
            future.result()

    total = threads * increments
    assert store.load(HOUSEHOLD) == StoredHousehold(HOUSEHOLD, total, {"count": total})
