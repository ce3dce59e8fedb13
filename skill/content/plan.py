"""The eight-week plan as the content holds it: the weeks, life after week eight, and checks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skill.content.catalog import (
    ContentError,
    LocaleCatalog,
    check_ssml_safe,
    per_catalog,
    table_text,
)
from skill.domain.plan import PLAN_WEEKS, PlanWeek

MAX_TITLE_WORDS = 8
MAX_SUMMARY_WORDS = 50
SUMMARY_SENTENCES = 2
PRACTICES = (2, 3)
MAX_PRACTICE_WORDS = 45
MAX_TIP_WORDS = 20
SENTENCE = re.compile(r"[^.!?]+[.!?]+(?:\s+|$)")


@dataclass(frozen=True)
class Maintenance:
    """What the content says about life after week eight."""

    title: str
    summary: str
    tip: str


@per_catalog
def weeks(catalog: LocaleCatalog) -> tuple[PlanWeek, ...]:
    """The plan's weeks, in order, read from the ``[[plan_weeks]]`` table."""
    raw = catalog.table("plan_weeks")
    if not isinstance(raw, list):
        raise ContentError(f"{catalog.locale}: [[plan_weeks]] must be a list of tables")
    return tuple(_week(catalog.locale, index, item) for index, item in enumerate(raw, start=1))


def week(catalog: LocaleCatalog, number: int) -> PlanWeek:
    """Week ``number`` (1-8) of the plan."""
    return weeks(catalog)[min(max(number, 1), PLAN_WEEKS) - 1]


@per_catalog
def maintenance(catalog: LocaleCatalog) -> Maintenance:
    raw = catalog.table("plan_maintenance")
    where = f"{catalog.locale}: [plan_maintenance]"
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where} must be a table")
    return Maintenance(
        title=table_text(where, raw, "title"),
        summary=table_text(where, raw, "summary"),
        tip=table_text(where, raw, "tip"),
    )


def _week(locale: str, index: int, item: Any) -> PlanWeek:
    where = f"{locale}: plan week {index}"
    if not isinstance(item, Mapping):
        raise ContentError(f"{where} must be a table")
    practices = item.get("practices")
    if not isinstance(practices, list) or not all(
        isinstance(p, str) and p.strip() for p in practices
    ):
        raise ContentError(f"{where}: practices must be a list of lines")
    number = item.get("number")
    if number != index:
        raise ContentError(f"{where}: number is {number!r}, expected {index}")
    return PlanWeek(
        number=index,
        id=table_text(where, item, "id"),
        title=table_text(where, item, "title"),
        summary=table_text(where, item, "summary"),
        practices=tuple(p.strip() for p in practices),
        tip=table_text(where, item, "tip"),
    )


def word_count(text: str) -> int:
    return len(text.split())


def sentence_count(text: str) -> int:
    """Sentences ending in . ! or ?; text left over without an ending counts as one more."""
    found = SENTENCE.findall(text.strip())
    rest = SENTENCE.sub("", text.strip()).strip()
    return len(found) + (1 if rest else 0)


def check(catalog: LocaleCatalog) -> None:
    """Raise ContentError unless the plan's weeks and maintenance are complete and speakable."""
    plan_weeks = weeks(catalog)
    if len(plan_weeks) != PLAN_WEEKS:
        raise ContentError(f"{catalog.locale}: the plan needs {PLAN_WEEKS} weeks")
    ids = [w.id for w in plan_weeks]
    if len(set(ids)) != len(ids):
        raise ContentError(f"{catalog.locale}: plan week ids repeat: {ids}")
    for plan_week in plan_weeks:
        _check_week(f"{catalog.locale}: plan week {plan_week.number}", plan_week)
    _check_summary(f"{catalog.locale}: [plan_maintenance]", maintenance(catalog).summary)


def _check_week(where: str, plan_week: PlanWeek) -> None:
    if word_count(plan_week.title) > MAX_TITLE_WORDS:
        raise ContentError(f"{where}: the title is longer than {MAX_TITLE_WORDS} words")
    _check_summary(where, plan_week.summary)
    low, high = PRACTICES
    if not low <= len(plan_week.practices) <= high:
        raise ContentError(f"{where}: needs {low} to {high} practices")
    for practice in plan_week.practices:
        check_ssml_safe(practice, f"{where}: practice")
        if word_count(practice) > MAX_PRACTICE_WORDS:
            raise ContentError(f"{where}: a practice is over {MAX_PRACTICE_WORDS} words")
    if word_count(plan_week.tip) > MAX_TIP_WORDS:
        raise ContentError(f"{where}: the tip is over {MAX_TIP_WORDS} words")


def _check_summary(where: str, summary: str) -> None:
    if sentence_count(summary) != SUMMARY_SENTENCES:
        raise ContentError(f"{where}: the summary must be {SUMMARY_SENTENCES} sentences")
    if word_count(summary) > MAX_SUMMARY_WORDS:
        raise ContentError(f"{where}: the summary is over {MAX_SUMMARY_WORDS} words")
