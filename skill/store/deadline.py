"""The store's share of a turn's time: every store call of one turn ends by one deadline.

The app opens ``store_deadline(seconds)`` around a turn; the stores ask ``remaining()`` before
each call (and before a retry), so a frozen engine or a locked file costs the turn at most
the deadline plus one call's own timeout, never a sum of timeouts. A context variable, so
each thread (gunicorn threads, test threads) has its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["expired", "remaining", "store_deadline"]

_DEADLINE: ContextVar[float | None] = ContextVar("closer_store_deadline", default=None)


@contextmanager
def store_deadline(seconds: float) -> Iterator[None]:
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining() -> float | None:
    """Seconds left for store work in this turn (may be negative); None outside a turn."""
    deadline = _DEADLINE.get()
    return None if deadline is None else deadline - time.monotonic()


def expired() -> bool:
    left = remaining()
    return left is not None and left <= 0
