"""The household store contract shared by the SQLite and DynamoDB implementations.

One item per household, keyed by a digest of its id (``skill.store.keys``): a version number,
the household state as one compact JSON string, and an optional ``expires_at`` (epoch
seconds). Every write is conditional on the version that was read; ``expected_version=None``
means "the household must not exist yet". An item whose ``expires_at`` has passed is treated
as absent everywhere (reads, and the conditions of writes), because DynamoDB deletes expired
items lazily and local engines never do.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from skill.store.keys import LEGACY_PREFIX, HouseholdKeys

__all__ = [
    "MARKER_KEY",
    "HouseholdConflict",
    "HouseholdStore",
    "KeyedStore",
    "Live",
    "StoreDeadline",
    "StoreError",
    "StoredHousehold",
    "decode_data",
    "encode_data",
    "is_expired",
    "next_version",
    "pack_data",
    "unpack_data",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredHousehold:
    household_id: str
    version: int  # 1 after the first write
    data: dict[str, Any]  # JSON-compatible: str, int, bool, None, list, dict


class StoreError(Exception):
    """The store could not answer (engine down, throttled, timeout, locked, disk full).

    ``uncertain`` marks a write whose answer was lost (a timeout or a dropped connection after
    it was sent): it may have landed, so the caller reads the item again before deciding.
    """

    def __init__(self, message: str = "", *, uncertain: bool = False) -> None:
        super().__init__(message)
        self.uncertain = uncertain


class StoreDeadline(StoreError):
    """The turn's store deadline passed before the call could start."""


class HouseholdConflict(StoreError):
    """The item changed since it was read (version mismatch or it already exists).

    ``current`` is the item as the failed write found it, when the engine says (DynamoDB
    returns it with the failure): the caller can run the turn again without reading first.
    """

    current: StoredHousehold | None = None
    found: Live | None = None


class HouseholdStore(Protocol):
    def load(self, household_id: str) -> StoredHousehold | None:
        """One read; on a miss, one more for each older key the household may still be under
        (a previous secret's digest; the raw id while the table may hold such items), and an
        item found there is moved. None if the household does not exist or has expired."""
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


class Live(NamedTuple):
    """A live item as an engine holds it."""

    version: int
    data: dict[str, Any]
    expires_at: int | None


MARKER_KEY = "meta#digest-keys"
"""An item (not a household) saying the table holds no item keyed by a raw id: written on a
table the skill creates, and by ``move_raw_keys`` once it has moved every such item."""
MARKER_RECHECK_SECONDS = 600.0
"""While the marker is absent, how long a worker trusts that answer before reading it again."""


class KeyedStore:
    """load/save/delete by household id, on an engine's four keyed operations.

    The item lives under ``keys.current(id)``. A household found only under an older key (the
    raw id, or a digest with the previous secret) is moved on that read: created under the
    current key with its version, then the old item deleted; a device that moved it first wins
    and the other reads the moved item. The raw-id key is only looked up while the table may
    still hold such items (no ``MARKER_KEY`` item), so on a table the skill created a household
    seen for the first time costs one read, not two.
    """

    keys: HouseholdKeys
    _digest_only: bool = False
    _marker_read_at: float | None = None

    def _get(self, key: str) -> Live | None:
        """One read; None when absent or expired."""
        raise NotImplementedError

    def _create(self, key: str, data: dict[str, Any], version: int, expires_at: int | None) -> None:
        """One write that succeeds only when no live item has the key (else HouseholdConflict)."""
        raise NotImplementedError

    def _update(
        self, key: str, data: dict[str, Any], expected: int, expires_at: int | None
    ) -> None:
        """One write that succeeds only on the live item at ``expected`` (else a conflict)."""
        raise NotImplementedError

    def _remove(self, key: str) -> None:
        raise NotImplementedError

    def _raw_keys(self) -> Iterator[str]:
        """Every key in the table written before digests (``LEGACY_PREFIX`` + raw id)."""
        raise NotImplementedError

    def load(self, household_id: str) -> StoredHousehold | None:
        found = self._get(self.keys.current(household_id)) or self._move(household_id)
        return None if found is None else StoredHousehold(household_id, found.version, found.data)

    def save(
        self,
        household_id: str,
        data: dict[str, Any],
        expected_version: int | None,
        *,
        expires_at: int | None = None,
    ) -> int:
        version = next_version(expected_version)
        key = self.keys.current(household_id)
        try:
            if expected_version is None:
                self._create(key, data, version, expires_at)
            else:
                self._update(key, data, expected_version, expires_at)
        except HouseholdConflict as conflict:
            if conflict.found is not None:
                found = conflict.found
                conflict.current = StoredHousehold(household_id, found.version, found.data)
            raise
        return version

    def delete(self, household_id: str) -> None:
        older = self.keys.older(household_id, raw=self._raw_keys_possible())
        for key in (self.keys.current(household_id), *older):
            self._remove(key)

    def mark_digest_only(self) -> None:
        """Record that no item in the table is keyed by a raw id (a new table, or all moved)."""
        with contextlib.suppress(HouseholdConflict):  # already marked
            self._create(MARKER_KEY, {"digest_keys_only": True}, 1, None)
        self._digest_only = True

    def move_raw_keys(self) -> int:
        """Move every item still keyed by a raw id to its digest key, then mark the table;
        returns how many moved. Where a household already has an item under its digest key
        (it came back on a device and started afresh), that item stays and the old one goes."""
        moved = 0
        for old in list(self._raw_keys()):
            household_id = old.removeprefix(LEGACY_PREFIX)
            if self._get(self.keys.current(household_id)) is not None:
                self._remove(old)
            elif self._move(household_id, raw=True) is not None:
                moved += 1
        self.mark_digest_only()
        return moved

    def _raw_keys_possible(self) -> bool:
        """Whether the table may still hold items keyed by a raw id (the marker is absent)."""
        if not self.keys.read_legacy or self._digest_only:
            return False
        now = time.monotonic()
        if self._marker_read_at is None or now - self._marker_read_at >= MARKER_RECHECK_SECONDS:
            self._digest_only = self._get(MARKER_KEY) is not None
            self._marker_read_at = now
        return not self._digest_only

    def _move(self, household_id: str, *, raw: bool | None = None) -> Live | None:
        key = self.keys.current(household_id)
        older = self.keys.older(household_id, raw=self._raw_keys_possible() if raw is None else raw)
        for old in older:
            found = self._get(old)
            if found is None:
                continue
            try:
                self._create(key, found.data, found.version, found.expires_at)
            except HouseholdConflict:
                return self._get(key)  # another device moved it first
            self._remove(old)
            log.info("household item moved to its digest key")
            return found
        return None


def encode_data(data: dict[str, Any]) -> str:
    """The household state as one compact, canonical JSON string."""
    if not isinstance(data, dict):
        raise TypeError(f"household data must be a dict, not {type(data).__name__}")
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def pack_data(data: dict[str, Any]) -> bytes:
    """The state as DynamoDB holds it: the canonical JSON, deflated (raw, no header).

    DynamoDB bills a write unit per started kilobyte of the item; a household's JSON repeats
    its dates, names and keys, so deflate about halves it (a year of daily use: ~1.1 KB of
    JSON, ~0.6 KB stored), for ~60 µs per write."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(encode_data(data).encode()) + packer.flush()


MAX_UNPACKED = 400 * 1024
"""DynamoDB's item limit: no stored state unpacks to more."""


def unpack_data(stored: str | bytes) -> dict[str, Any]:
    """The state from what the store holds: packed bytes (``pack_data``) or JSON text."""
    if isinstance(stored, str):
        return decode_data(stored)
    try:
        unpacker = zlib.decompressobj(-15)
        text = unpacker.decompress(stored, MAX_UNPACKED)
    except zlib.error as exc:
        raise StoreError("household item holds an unreadable packed state") from exc
    if unpacker.unconsumed_tail or not unpacker.eof:
        raise StoreError("household item holds an unreadable packed state")
    return decode_data(text.decode("utf-8", errors="replace"))


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
