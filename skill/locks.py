"""Turns of one household in one process take turns: no work lost to conflicts in-process.

Writes stay conditional on the version read (other processes and instances still race, and
their conflicts are run again); the lock only keeps the threads of one worker from racing each
other, which under a burst of devices is most of the waste. Striped: a fixed set of locks,
picked by the household id, so memory stays flat however many households there are. A lock is
waited on no longer than the turn's store deadline.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from skill.store import StoreDeadline
from skill.store.deadline import remaining

__all__ = ["HouseholdBusy", "HouseholdLocks"]


class HouseholdBusy(StoreDeadline):
    """Other turns of the household held it in this process until the deadline."""


class HouseholdLocks:
    def __init__(self, stripes: int = 64) -> None:
        self._locks = tuple(threading.Lock() for _ in range(stripes))

    @contextmanager
    def held(self, household_id: str | None) -> Iterator[None]:
        if not household_id:
            yield
            return
        lock = self._locks[hash(household_id) % len(self._locks)]
        left = remaining()
        if not lock.acquire(timeout=-1 if left is None else max(0.0, left)):
            raise HouseholdBusy("the household stayed busy past the store deadline")
        try:
            yield
        finally:
            lock.release()
