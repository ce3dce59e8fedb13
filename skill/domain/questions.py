"""Pure domain logic for the questions feature."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QuestionProgress:
    """What the household item keeps for this feature."""

    def to_data(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> QuestionProgress:
        return cls()
