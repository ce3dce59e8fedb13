"""The check-in's lines: every one must fill in from the parameters the feature passes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skill.content.catalog import ContentError, LocaleCatalog

PREFIX = "check_in."
SAMPLE_PARAMS: Mapping[str, Any] = {
    "speaker": "Sam",
    "listener": "Alex",
    "first": "Sam",
    "second": "Alex",
    "person": "Sam",
    "time": "2 minutes",
    "seconds": 30,
    "minutes": 2,
}
"""Every parameter a check-in line may use."""


def check(catalog: LocaleCatalog) -> None:
    """Raise ContentError if a check-in line asks for a parameter the feature never passes."""
    for key in catalog.keys(PREFIX):
        try:
            catalog.texts(key, SAMPLE_PARAMS)
        except KeyError as exc:
            raise ContentError(f"{catalog.locale}: check-in line {key!r}: {exc}") from None
