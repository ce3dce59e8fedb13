"""The daily and weekly rituals, weekday names and guidance topics as the content holds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skill.content.catalog import ContentError, LocaleCatalog, per_catalog, table_text
from skill.domain.rituals import DAILY, WEEKLY, Ritual, Topic, Weekday

MAX_NAME_WORDS = 8
MAX_HOW_WORDS = 30
TABLES: tuple[tuple[str, tuple[Ritual, ...]], ...] = (
    ("daily_rituals", DAILY),
    ("weekly_rituals", WEEKLY),
)


@dataclass(frozen=True)
class RitualText:
    """A ritual as the content names and describes it."""

    ritual: Ritual
    name: str
    how: str


@per_catalog
def ritual_texts(catalog: LocaleCatalog) -> Mapping[Ritual, RitualText]:
    """Every ritual's name and how-to, from ``[[daily_rituals]]`` and ``[[weekly_rituals]]``."""
    found: dict[Ritual, RitualText] = {}
    for table, expected in TABLES:
        where = f"{catalog.locale}: [[{table}]]"
        texts = [_ritual(where, item) for item in _rows(where, catalog.table(table))]
        ids = sorted(text.ritual.value for text in texts)
        if ids != sorted(r.value for r in expected):
            raise ContentError(f"{where}: needs exactly {[r.value for r in expected]}, found {ids}")
        found.update((text.ritual, text) for text in texts)
    return found


def _rows(where: str, raw: Any) -> list[Mapping[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        raise ContentError(f"{where} must be a list of tables")
    return raw


def _ritual(where: str, item: Mapping[str, Any]) -> RitualText:
    ident = item.get("id")
    try:
        ritual = Ritual(ident)
    except ValueError:
        raise ContentError(f"{where}: unknown ritual id {ident!r}") from None
    place = f"{where} {ident}"
    return RitualText(ritual, table_text(place, item, "name"), table_text(place, item, "how"))


@per_catalog
def weekday_names(catalog: LocaleCatalog) -> Mapping[Weekday, str]:
    raw = catalog.table("weekdays")
    where = f"{catalog.locale}: [weekdays]"
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where} must be a table")
    return {day: table_text(where, raw, day.value) for day in Weekday}


def guide_key(topic: Topic) -> str:
    return f"guide.{topic.value}"


def check(catalog: LocaleCatalog) -> None:
    """Raise ContentError unless every ritual, weekday and guidance topic is present."""
    for text in ritual_texts(catalog).values():
        where = f"{catalog.locale}: ritual {text.ritual.value}"
        if len(text.name.split()) > MAX_NAME_WORDS:
            raise ContentError(f"{where}: the name is over {MAX_NAME_WORDS} words")
        if len(text.how.split()) > MAX_HOW_WORDS:
            raise ContentError(f"{where}: the how-to is over {MAX_HOW_WORDS} words")
    weekday_names(catalog)
    for topic in Topic:
        if not catalog.has(guide_key(topic)):
            raise ContentError(f"{catalog.locale}: no guidance for {topic.value}")
