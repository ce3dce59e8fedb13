"""Use cases for the plan feature."""

from __future__ import annotations

from skill.speech.catalog import LocaleCatalog


def check_content(catalog: LocaleCatalog) -> None:
    """Raise ContentError if this feature's content is missing or malformed."""
