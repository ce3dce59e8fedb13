"""The embedded default store: one SQLite file, WAL mode, version-conditional writes.

Semantics match the DynamoDB store exactly: a save with ``expected_version=None`` succeeds only
when no live item exists; a save with a version succeeds only when the live item still has it.
Each thread gets its own connection (the app runs under gunicorn threads), all closed by
``close()``. Every sqlite3 failure (locked, read-only, disk full, corrupt) becomes a StoreError.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from skill.store.base import (
    HouseholdConflict,
    StoredHousehold,
    StoreError,
    decode_data,
    encode_data,
    household_key,
    is_expired,
    next_version,
)

__all__ = ["SQLiteHouseholdStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS households (
    pk TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    expires_at INTEGER
)
"""

_SELECT = "SELECT version, data, expires_at FROM households WHERE pk = ?"

# A new household may replace an item only when that item has expired (TTL deletion is lazy).
_INSERT = """
INSERT INTO households (pk, version, data, expires_at) VALUES (?, 1, ?, ?)
ON CONFLICT (pk) DO UPDATE
    SET version = 1, data = excluded.data, expires_at = excluded.expires_at
    WHERE households.expires_at IS NOT NULL AND households.expires_at < ?
"""

# An update needs the version that was read, on an item that is still live.
_UPDATE = """
UPDATE households SET version = ?, data = ?, expires_at = ?
WHERE pk = ? AND version = ? AND (expires_at IS NULL OR expires_at >= ?)
"""

_DELETE = "DELETE FROM households WHERE pk = ?"


class SQLiteHouseholdStore:
    """HouseholdStore on a local SQLite file (created with its parent directories)."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_ms: int = 2000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self._busy_timeout_ms = busy_timeout_ms
        self._clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"sqlite open failed: {exc.strerror or exc}") from exc
        try:
            with self._errors("open"):
                self._connection().execute(_SCHEMA)
        except BaseException:
            self.close()
            raise

    def load(self, household_id: str) -> StoredHousehold | None:
        with self._errors("load"):
            row = self._connection().execute(_SELECT, (household_key(household_id),)).fetchone()
        if row is None:
            return None
        version, text, expires_at = row
        if is_expired(expires_at, self._clock()):
            return None
        return StoredHousehold(household_id, int(version), decode_data(text))

    def save(
        self,
        household_id: str,
        data: dict[str, Any],
        expected_version: int | None,
        *,
        expires_at: int | None = None,
    ) -> int:
        version = next_version(expected_version)
        text = encode_data(data)
        key = household_key(household_id)
        now = self._clock()
        with self._errors("save"):
            if expected_version is None:
                cursor = self._connection().execute(_INSERT, (key, text, expires_at, now))
            else:
                params = (version, text, expires_at, key, expected_version, now)
                cursor = self._connection().execute(_UPDATE, params)
        if cursor.rowcount != 1:
            if expected_version is None:
                raise HouseholdConflict(f"household {household_id!r} already exists")
            raise HouseholdConflict(
                f"household {household_id!r} is no longer at version {expected_version}"
            )
        return version

    def delete(self, household_id: str) -> None:
        with self._errors("delete"):
            self._connection().execute(_DELETE, (household_key(household_id),))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()

    def __enter__(self) -> SQLiteHouseholdStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("sqlite store is closed")
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        with self._lock:
            if self._closed:
                raise StoreError("sqlite store is closed")
            # Autocommit: every statement is its own transaction, so one save is one write.
            connection = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout_ms / 1000,
                isolation_level=None,
                check_same_thread=False,  # close() runs on whichever thread shuts down
            )
            self._connections.append(connection)
        connection.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        connection.execute("PRAGMA journal_mode = WAL")
        self._local.connection = connection
        return connection

    @contextmanager
    def _errors(self, operation: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite {operation} failed: {exc}") from exc
