"""The compact sample templates of interaction_models/intents/*.json and how they expand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.devtools.models import build_model, carriers
from skill.devtools.templates import (
    MAX_SAMPLES_PER_INTENT,
    SAMPLE_LENGTH,
    Carriers,
    TemplateError,
    expand,
    intent_samples,
    spoken_forms,
)

CARRIERS = Carriers.read(
    {
        "fillers": {"um": ["$"], "okay": ["ask:$"]},
        "words": {"plan": "(plan|program)"},
        "carriers": {"do": ["$", "can you $", "$ please"], "ask": ["$"]},
    }
)


def test_alternatives_and_optional_words_expand_in_order() -> None:
    assert expand("(what|which) week [of the plan] is it") == [
        "what week is it",
        "what week of the plan is it",
        "which week is it",
        "which week of the plan is it",
    ]
    assert expand("[um|so] ready") == ["ready", "um ready", "so ready"]
    assert expand("turn [the [soft]] sounds on") == [
        "turn sounds on",
        "turn the sounds on",
        "turn the soft sounds on",
    ]


@pytest.mark.parametrize("bad", ["(what|which week", "what] week", "what|which", "(on )?x"])
def test_a_broken_template_is_refused_with_its_text(bad: str) -> None:
    with pytest.raises(TemplateError, match="template"):
        expand(bad)


def test_contractions_are_said_both_ways_but_never_wrongly_shortened() -> None:
    assert spoken_forms("what's the plan") == ["what's the plan", "what is the plan"]
    assert spoken_forms("we would like a question") == [
        "we would like a question",
        "we'd like a question",
    ]
    assert spoken_forms("tell us what week it is") == ["tell us what week it is"]
    assert spoken_forms("tell us where we are in the plan") == ["tell us where we are in the plan"]


def test_phrases_are_carried_and_fillers_lead_only_where_told() -> None:
    intent = {
        "name": "PlanWeekIntent",
        "phrases": {"do": ["tell us the <plan>"], "ask": ["what's the <plan>"]},
    }
    samples = intent_samples(intent, CARRIERS)
    assert "can you tell us the program" in samples
    assert "tell us the plan please" in samples
    assert "um tell us the plan" in samples
    assert "okay what's the plan" in samples and "what is the program" in samples
    assert "okay tell us the plan" not in samples
    assert "um can you tell us the plan" not in samples
    assert "um tell us the plan" not in intent_samples({**intent, "fillers": False}, CARRIERS)


def test_a_carrier_never_says_the_phrase_tail_twice() -> None:
    tails = Carriers.read({"carriers": {"we": ["$", "$ tonight", "$ please"]}})
    samples = intent_samples({"name": "X", "phrases": {"we": ["check in [tonight]"]}}, tails)
    assert "check in tonight" in samples and "check in tonight please" in samples
    assert "check in tonight tonight" not in samples
    said_so = intent_samples({"name": "X", "phrases": {"we": ["so so"]}}, tails)
    assert "so so tonight" in said_so


def test_an_intent_s_own_fillers_lead_its_questions_too() -> None:
    carriers = Carriers.read({"fillers": {"um": ["do:$"]}, "carriers": {"do": ["$"], "ask": ["$"]}})
    intent = {"name": "X", "phrases": {"do": ["give us the plan"], "ask": ["what's the plan"]}}
    assert "um what's the plan" not in intent_samples(intent, carriers)
    asked = intent_samples({**intent, "fillers": {"um": ["ask:$"], "so": ["ask:$"]}}, carriers)
    assert {"um give us the plan", "um what's the plan", "so what's the plan"} <= set(asked)
    assert "so give us the plan" not in asked


def test_a_long_form_is_said_on_its_own_unless_the_intent_carries_it() -> None:
    carriers = Carriers.read({"carriers": {"ask": ["$", "can you tell us $"]}})
    intent = {"name": "X", "phrases": {"ask": ["what is the plan"]}}
    assert intent_samples(intent, carriers) == [
        "what is the plan",
        "what's the plan",
        "can you tell us what's the plan",
    ]
    carried = intent_samples({**intent, "long_forms": "carried"}, carriers)
    assert "can you tell us what is the plan" in carried and len(carried) == 4


def test_plain_samples_stay_as_written_and_come_first() -> None:
    intent = {"name": "X", "samples": ["What's Up"], "templates": ["(a|b) c"]}
    assert intent_samples(intent, CARRIERS) == ["What's Up", "a c", "b c"]


def test_limits_are_kept() -> None:
    long = {"name": "X", "templates": ["word " * (SAMPLE_LENGTH // 5 + 1)]}
    with pytest.raises(TemplateError, match="longer than"):
        intent_samples(long, CARRIERS)
    many = {"name": "X", "templates": ["(a|b|c|d|e|f|g|h|i|j) " * 3 + "(k|l)"]}
    with pytest.raises(TemplateError, match=str(MAX_SAMPLES_PER_INTENT)):
        intent_samples(many, CARRIERS)
    with pytest.raises(TemplateError, match="unknown <nothing>"):
        intent_samples({"name": "X", "templates": ["<nothing>"]}, CARRIERS)


def test_a_feature_file_with_only_plain_samples_builds_unchanged(tmp_path: Path) -> None:
    intents = tmp_path / "intents"
    intents.mkdir()
    fragment: dict[str, Any] = {
        "intents": [
            {"name": "AMAZON.StopIntent", "samples": []},
            {"name": "DeckIntent", "samples": ["shuffle the deck", "deal us a card"]},
        ],
        "types": [],
    }
    (intents / "core.json").write_text(json.dumps({"intents": [], "types": []}))
    (intents / "decks.json").write_text(json.dumps(fragment))
    language = build_model("en-US", tmp_path)["interactionModel"]["languageModel"]
    assert language["intents"] == fragment["intents"]


def test_the_shared_carriers_hold_the_phrase_in_every_carrier() -> None:
    shared = carriers()
    assert shared.kinds and all("$" in c for kind in shared.kinds.values() for c in kind)
    assert "um" in shared.fillers


def test_a_carrier_leaves_out_the_phrases_it_is_never_said_with() -> None:
    carriers = Carriers.read(
        {
            "carriers": {"bare": ["$", "$ please"]},
            "not_with": {"bare:$ please": r"^(what|we're)\b"},
        }
    )
    assert carriers.carry("bare", "the weekly rituals") == [
        "the weekly rituals",
        "the weekly rituals please",
    ]
    assert carriers.carry("bare", "what week is it") == ["what week is it"]
    assert carriers.carry("bare", "we're ready") == ["we're ready"]
    assert carriers.with_words({"x": "(a|b)"}).unsaid == carriers.unsaid
