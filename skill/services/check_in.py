"""Use cases for the check_in feature."""

from __future__ import annotations

from skill.speech.catalog import LocaleCatalog


def check_content(catalog: LocaleCatalog) -> None:
    """Raise ContentError if this feature's content is missing or malformed."""
