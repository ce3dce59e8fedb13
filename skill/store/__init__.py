"""Household state storage: the HouseholdStore contract and its two implementations.

``SQLiteHouseholdStore`` (stdlib, the embedded default) is re-exported here; the DynamoDB store
lives in ``skill.store.dynamodb`` so that importing this package does not import botocore.
"""

from __future__ import annotations

from skill.store.base import (
    HouseholdConflict,
    HouseholdStore,
    StoreDeadline,
    StoredHousehold,
    StoreError,
)
from skill.store.keys import HouseholdKeys
from skill.store.sqlite import SQLiteHouseholdStore

__all__ = [
    "HouseholdConflict",
    "HouseholdKeys",
    "HouseholdStore",
    "SQLiteHouseholdStore",
    "StoreDeadline",
    "StoreError",
    "StoredHousehold",
]
