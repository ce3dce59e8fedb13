"""The embedded default store: one SQLite file, WAL mode, version-conditional writes.

Semantics match the DynamoDB store exactly: a save with ``expected_version=None`` succeeds only
when no live item exists; a save with a version succeeds only when the live item still has it.
Each thread gets its own connection (the app runs under gunicorn threads), all closed by
``close()``. Every sqlite3 failure (locked, read-only, disk full, corrupt) becomes a StoreError.
A locked file waits no longer than the turn's store deadline (``skill.store.deadline``).

Households are private: a directory the store creates is 0700, and the file (with its -wal and
-shm, which SQLite creates with the file's mode) is 0600, tightened if it was looser.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from skill.store.base import (
    HouseholdConflict,
    KeyedStore,
    Live,
    StoreDeadline,
    StoreError,
    decode_data,
    encode_data,
    is_expired,
)
from skill.store.deadline import remaining
from skill.store.keys import LEGACY_PREFIX, HouseholdKeys

__all__ = ["SQLiteHouseholdStore"]

log = logging.getLogger(__name__)

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600

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
INSERT INTO households (pk, version, data, expires_at) VALUES (?, ?, ?, ?)
ON CONFLICT (pk) DO UPDATE
    SET version = excluded.version, data = excluded.data, expires_at = excluded.expires_at
    WHERE households.expires_at IS NOT NULL AND households.expires_at < ?
"""

# An update needs the version that was read, on an item that is still live.
_UPDATE = """
UPDATE households SET version = ?, data = ?, expires_at = ?
WHERE pk = ? AND version = ? AND (expires_at IS NULL OR expires_at >= ?)
"""

_DELETE = "DELETE FROM households WHERE pk = ?"

_HAS_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'households'"

_RAW_KEYS = "SELECT pk FROM households WHERE substr(pk, 1, ?) = ?"


class SQLiteHouseholdStore(KeyedStore):
    """HouseholdStore on a local SQLite file (created with its parent directories)."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_ms: int = 2000,
        clock: Callable[[], float] = time.time,
        keys: HouseholdKeys | None = None,
    ) -> None:
        self.path = Path(path)
        self.keys = keys or HouseholdKeys()
        self._busy_timeout_ms = busy_timeout_ms
        self._clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        try:
            _private_file(self.path)
        except OSError as exc:
            raise StoreError(f"sqlite open failed: {exc.strerror or exc}") from exc
        try:
            with self._errors("open"):
                connection = self._connection()
                new = connection.execute(_HAS_TABLE).fetchone() is None
                connection.execute(_SCHEMA)
            if new:
                self.mark_digest_only()  # a new file has never held a raw-id key
        except BaseException:
            self.close()
            raise

    def _get(self, key: str) -> Live | None:
        with self._errors("load"):
            row = self._statement().execute(_SELECT, (key,)).fetchone()
        if row is None:
            return None
        version, text, expires_at = row
        if is_expired(expires_at, self._clock()):
            return None
        return Live(int(version), decode_data(text), expires_at)

    def _create(self, key: str, data: dict[str, Any], version: int, expires_at: int | None) -> None:
        params = (key, version, encode_data(data), expires_at, self._clock())
        self._write("save", _INSERT, params)

    def _update(
        self, key: str, data: dict[str, Any], expected: int, expires_at: int | None
    ) -> None:
        params = (expected + 1, encode_data(data), expires_at, key, expected, self._clock())
        self._write("save", _UPDATE, params)

    def _write(self, operation: str, sql: str, params: tuple[Any, ...]) -> None:
        with self._errors(operation):
            cursor = self._statement().execute(sql, params)
        if cursor.rowcount != 1:
            raise HouseholdConflict("the household changed since it was read")

    def _remove(self, key: str) -> None:
        with self._errors("delete"):
            self._statement().execute(_DELETE, (key,))

    def _raw_keys(self) -> Iterator[str]:
        with self._errors("scan"):
            rows = self._statement().execute(_RAW_KEYS, (len(LEGACY_PREFIX), LEGACY_PREFIX))
            keys = [str(pk) for (pk,) in rows.fetchall()]
        yield from keys

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
        self._local.busy_ms = self._busy_timeout_ms
        return connection

    def _statement(self) -> sqlite3.Connection:
        """This thread's connection, waiting on a lock no longer than the turn's deadline."""
        connection = self._connection()
        left = remaining()
        if left is not None and left <= 0:
            raise StoreDeadline("sqlite: store deadline passed")
        wait_ms = self._busy_timeout_ms
        if left is not None and left * 1000 < wait_ms:
            wait_ms = int(left * 1000) // 100 * 100  # in steps, so the pragma rarely changes
        if getattr(self._local, "busy_ms", None) != wait_ms:
            with self._errors("configure"):
                connection.execute(f"PRAGMA busy_timeout = {wait_ms}")
            self._local.busy_ms = wait_ms
        return connection

    @contextmanager
    def _errors(self, operation: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"sqlite {operation} failed: {exc}") from exc


def _private_file(path: Path) -> None:
    """Create missing directories 0700 and the file 0600; tighten a file that is looser."""
    missing = [parent for parent in (path.parent, *path.parent.parents) if not parent.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    for directory in missing:
        os.chmod(directory, DIRECTORY_MODE)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and stat.S_IMODE(file.stat().st_mode) & 0o077:
            try:
                os.chmod(file, FILE_MODE)
            except OSError:
                log.warning("could not make %s private (chmod 600 it)", file.name)
    if stat.S_IMODE(path.parent.stat().st_mode) & 0o077 and not missing:
        log.warning("the directory holding the households file is readable by others")
