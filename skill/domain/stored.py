"""Tolerant readers for stored household data: a malformed value reads as its default."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_count(value: Any) -> int:
    """A non-negative whole number, else 0."""
    return value if is_int(value) and value >= 0 else 0


def read_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def read_instant(value: Any) -> datetime | None:
    """An ISO timestamp with a zone, else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def read_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def read_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
