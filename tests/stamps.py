"""Reading the instants a check-in's state carries (as the codec stores them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from skill.domain.clock import read_stamp


def stamped(value: Any) -> datetime:
    """The instant a stored or session value names; fails the test if it names none."""
    moment = read_stamp(value)
    assert moment is not None, value
    return moment
