"""The content checks every locale passes at start-up (and in the tests)."""

from __future__ import annotations

from collections.abc import Callable

from skill.content import check_in, decks, habits, plan, questions, rituals
from skill.content.catalog import Catalog, ContentError, LocaleCatalog
from skill.content.vocabulary import KEYS


def check_vocabulary(catalog: LocaleCatalog) -> None:
    """Every key the code speaks is defined, and no line is defined that nothing speaks."""
    missing = catalog.missing(sorted(KEYS))
    if missing:
        raise ContentError(f"{catalog.locale}: the line {missing[0]!r} is missing")
    unknown = sorted(set(catalog.keys()) - KEYS)
    if unknown:
        raise ContentError(f"{catalog.locale}: the line {unknown[0]!r} is not spoken by the skill")


CHECKS: tuple[Callable[[LocaleCatalog], None], ...] = (
    check_vocabulary,
    questions.check,
    decks.check,
    check_in.check,
    plan.check,
    rituals.check,
    habits.check,
)


def check_content(catalog: Catalog) -> None:
    """Run every feature's check in every locale; raises ContentError."""
    for locale in catalog.locales.values():
        for check in CHECKS:
            check(locale)
