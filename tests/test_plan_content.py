"""The plan and ritual content: complete, within length limits, and refused when broken."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest

from skill.content import plan, rituals
from skill.content.catalog import ContentError, LocaleCatalog
from skill.devtools.models import load_model
from skill.domain.plan import PLAN_WEEKS
from skill.domain.rituals import DAILY, WEEKLY, Topic, Weekday

PLAN_INTENTS = (
    "StartPlanIntent",
    "PlanWeekIntent",
    "PlanPracticesIntent",
    "NextWeekIntent",
    "PreviousWeekIntent",
    "StayOnWeekIntent",
    "RestartPlanIntent",
    "PlanProgressIntent",
    "TodaysRitualIntent",
    "WeeklyRitualsIntent",
    "DailyRitualsIntent",
    "SetCheckInDayIntent",
    "GuidanceIntent",
    "OutsideHelpIntent",
)


def test_the_content_passes_its_own_check(en: LocaleCatalog) -> None:
    plan.check(en)
    rituals.check(en)


def test_eight_weeks_with_titles_summaries_and_practices(en: LocaleCatalog) -> None:
    weeks = plan.weeks(en)
    assert [w.number for w in weeks] == list(range(1, PLAN_WEEKS + 1))
    assert len({w.id for w in weeks}) == PLAN_WEEKS
    for week in weeks:
        assert week.title and week.tip
        assert plan.sentence_count(week.summary) == 2
        assert plan.word_count(week.summary) <= 50
        assert 2 <= len(week.practices) <= 3
    assert plan.week(en, 3).id == "safety"
    assert plan.week(en, 12).number == PLAN_WEEKS


def test_maintenance_follows_the_eight_weeks(en: LocaleCatalog) -> None:
    after = plan.maintenance(en)
    assert after.title and after.tip and plan.word_count(after.summary) <= 50


def test_every_ritual_is_described(en: LocaleCatalog) -> None:
    texts = rituals.ritual_texts(en)
    assert set(texts) == set(DAILY) | set(WEEKLY)
    for text in texts.values():
        assert text.name and len(text.how.split()) <= rituals.MAX_HOW_WORDS
    assert set(rituals.weekday_names(en)) == set(Weekday)


def test_every_guidance_topic_has_a_line(en: LocaleCatalog) -> None:
    for topic in Topic:
        assert en.has(rituals.guide_key(topic))
    assert "emergency services" in en.plain("guide.outside_help_safety")


@pytest.mark.parametrize(
    ("text", "count"),
    [("One. Two.", 2), ("One. Two", 2), ("Just one!", 1), ("Is it? Yes. No.", 3), ("", 0)],
)
def test_sentence_count(text: str, count: int) -> None:
    assert plan.sentence_count(text) == count


def broken(en: LocaleCatalog, **tables: Any) -> LocaleCatalog:
    return replace(en, tables={**en.tables, **tables})


def edited_weeks(en: LocaleCatalog, **changes: Any) -> list[Mapping[str, Any]]:
    weeks = [dict(w) for w in en.table("plan_weeks")]
    weeks[2].update(changes)
    return weeks


@pytest.mark.parametrize(
    "changes",
    [
        {"summary": "Only one sentence here."},
        {"summary": "One. Two. Three."},
        {"summary": ("word " * 49) + "end. Second sentence."},
        {"practices": ["Just one practice."]},
        {"practices": ["One.", "Two.", "Three.", "Four."]},
        {"title": ""},
        {"number": 7},
        {"summary": "Less < more. Two."},
    ],
)
def test_a_broken_week_is_refused(en: LocaleCatalog, changes: dict[str, Any]) -> None:
    with pytest.raises(ContentError):
        plan.check(broken(en, plan_weeks=edited_weeks(en, **changes)))


def test_seven_weeks_are_refused(en: LocaleCatalog) -> None:
    with pytest.raises(ContentError):
        plan.check(broken(en, plan_weeks=list(en.table("plan_weeks"))[:7]))


def test_a_missing_ritual_is_refused(en: LocaleCatalog) -> None:
    with pytest.raises(ContentError):
        rituals.check(broken(en, weekly_rituals=list(en.table("weekly_rituals"))[:2]))
    with pytest.raises(ContentError):
        rituals.check(broken(en, daily_rituals=[{"id": "brunch", "name": "x", "how": "y"}]))


def test_a_missing_weekday_is_refused(en: LocaleCatalog) -> None:
    days = {k: v for k, v in en.table("weekdays").items() if k != "sunday"}
    with pytest.raises(ContentError):
        rituals.check(broken(en, weekdays=days))


def model_samples() -> dict[str, list[str]]:
    language = load_model("en-US")["interactionModel"]["languageModel"]
    return {intent["name"]: list(intent.get("samples", [])) for intent in language["intents"]}


@pytest.mark.parametrize("intent", PLAN_INTENTS)
def test_each_intent_has_fifteen_natural_samples(intent: str) -> None:
    samples = model_samples()[intent]
    assert len(samples) >= 15
    for sample in samples:
        assert sample == sample.lower() and not set(sample) - set("abcdefghijklmnopqrstuvwxyz' {}")


def test_no_sample_belongs_to_two_intents() -> None:
    owners: dict[str, str] = {}
    for intent, samples in model_samples().items():
        for sample in samples:
            assert owners.setdefault(sample, intent) == intent, sample
