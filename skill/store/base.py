"""The household store contract shared by the SQLite and DynamoDB implementations.

One item per household: a version number, the household state as one compact JSON string, and
an optional ``expires_at`` (epoch seconds). Every write is conditional on the version that was
read; ``expected_version=None`` means "the household must not exist yet". An item whose
``expires_at`` has passed is treated as absent everywhere (reads, and the conditions of writes),
because DynamoDB deletes expired items lazily and local engines never do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "HouseholdConflict",
    "HouseholdStore",
    "StoreError",
    "StoredHousehold",
    "decode_data",
    "encode_data",
    "household_key",
    "is_expired",
    "next_version",
]

KEY_PREFIX = "household#"


@dataclass(frozen=True)
class StoredHousehold:
    household_id: str
    version: int  # 1 after the first write
    data: dict[str, Any]  # JSON-compatible: str, int, bool, None, list, dict


class StoreError(Exception):
    """The store could not answer (engine down, throttled, timeout, locked, disk full)."""


class HouseholdConflict(StoreError):
    """The item changed since it was read (version mismatch or it already exists)."""


class HouseholdStore(Protocol):
    def load(self, household_id: str) -> StoredHousehold | None:
        """Exactly one read. None if the household does not exist or has expired."""
        ...

    def save(
        self,
        household_id: str,
        data: dict[str, Any],
        expected_version: int | None,
        *,
        expires_at: int | None = None,
    ) -> int:
        """One conditional write; returns the new version (expected + 1, or 1 when new).

        Raises HouseholdConflict when the stored version is not ``expected_version``
        (``None``: when a live item already exists).
        """
        ...

    def delete(self, household_id: str) -> None:
        """One write; deleting a missing household is not an error."""
        ...

    def close(self) -> None: ...


def household_key(household_id: str) -> str:
    """The partition key of a household's item."""
    return KEY_PREFIX + household_id


def encode_data(data: dict[str, Any]) -> str:
    """The household state as one compact, canonical JSON string."""
    if not isinstance(data, dict):
        raise TypeError(f"household data must be a dict, not {type(data).__name__}")
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def decode_data(text: str) -> dict[str, Any]:
    """Parse a stored state string; a corrupt item is a StoreError, not a crash."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StoreError("household item holds invalid JSON") from exc
    if not isinstance(data, dict):
        raise StoreError("household item does not hold a JSON object")
    return data


def is_expired(expires_at: int | None, now: float) -> bool:
    """True when a TTL is set and already passed."""
    return expires_at is not None and expires_at < now


def next_version(expected_version: int | None) -> int:
    """The version a successful save writes: 1 for a new household, else expected + 1."""
    if expected_version is None:
        return 1
    if isinstance(expected_version, bool) or expected_version < 1:
        raise ValueError(f"expected_version must be None or >= 1, not {expected_version!r}")
    return expected_version + 1
