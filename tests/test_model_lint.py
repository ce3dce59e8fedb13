"""The interaction models: one source for every locale, and nothing the Alexa console rejects."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from skill.content.catalog import Catalog
from skill.devtools.model_lint import (
    REQUIRED_BUILT_INS,
    STATE_GATED_INTENTS,
    lint_invocation_name,
    lint_model,
    main,
    normalised,
)
from skill.devtools.models import LOCALES, build_model, model_path, render_model
from skill.devtools.templates import MAX_SAMPLES_PER_INTENT


@pytest.mark.parametrize("locale", LOCALES)
def test_the_written_model_is_what_the_source_builds(locale: str) -> None:
    path = model_path(locale)
    assert path.exists(), f"run `closer models` to write {path.name}"
    assert path.read_text(encoding="utf-8") == render_model(build_model(locale))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_passes_the_linter(locale: str) -> None:
    written = json.loads(model_path(locale).read_text(encoding="utf-8"))
    assert [str(problem) for problem in lint_model(written)] == []


def test_the_command_line_checks_every_locale(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out.count(": ok") == len(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_model_locale_is_served_by_a_catalog(catalog: Catalog, locale: str) -> None:
    served = catalog.for_locale(locale)
    assert served.locale in (locale, "en-US")
    assert set(catalog.base.lines) <= set(served.lines)


def valid() -> dict[str, Any]:
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": "closer together",
                "intents": [
                    *({"name": name, "samples": []} for name in REQUIRED_BUILT_INS),
                    {
                        "name": "TonightIntent",
                        "slots": [{"name": "person", "type": "AMAZON.FirstName"}],
                        "samples": ["tonight's question", "a question for {person}"],
                    },
                    {
                        "name": "Pick_Set",
                        "slots": [{"name": "set", "type": "SetName"}],
                        "samples": ["use the {set} set", "go to set {set} please"],
                    },
                ],
                "types": [
                    {"name": "SetName", "values": [{"id": "one", "name": {"value": "first"}}]}
                ],
            }
        }
    }


def language(model: dict[str, Any]) -> dict[str, Any]:
    return model["interactionModel"]["languageModel"]


def intent(model: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in language(model)["intents"] if i["name"] == name)


def messages(model: dict[str, Any]) -> list[str]:
    return [str(problem) for problem in lint_model(model)]


def one_problem(model: dict[str, Any], *fragments: str) -> None:
    found = messages(model)
    assert len(found) == 1, found
    assert all(fragment in found[0] for fragment in fragments), found


def test_a_small_valid_model_passes() -> None:
    assert messages(valid()) == []


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("Closer Together", "lowercase"),
        ("closer", "two words"),
        ("closer-together", "letters, spaces"),
        ("closer together 2", "letters, spaces"),
        ("closer together!", "letters, spaces"),
        ("alexa closer together", "'alexa'"),
        ("closer together skill", "'skill'"),
        ("closer together app", "'app'"),
        ("launch closer together", "'launch'"),
        ("ask closer together", "'ask'"),
        ("tell us closer", "'tell'"),
        ("open closer together", "'open'"),
        ("the closeness", "connecting word"),
        ("'closer together", "apostrophes only inside"),
        ("closer ab. together", "periods only after one letter"),
        ("", "missing"),
        ("a " * 30, "characters long"),
    ],
)
def test_invocation_name_rules(name: str, fragment: str) -> None:
    found = [str(problem) for problem in lint_invocation_name(name)]
    assert any(fragment in message for message in found), found


@pytest.mark.parametrize("name", ["closer together", "sam's science trivia", "a. b. c. quiz"])
def test_acceptable_invocation_names(name: str) -> None:
    assert lint_invocation_name(name) == ()


@pytest.mark.parametrize("missing", REQUIRED_BUILT_INS)
def test_required_built_ins_must_be_present(missing: str) -> None:
    model = valid()
    language(model)["intents"] = [i for i in language(model)["intents"] if i["name"] != missing]
    one_problem(model, missing, "missing")


def test_a_sample_may_belong_to_one_intent_only_whatever_its_case_and_spacing() -> None:
    model = valid()
    intent(model, "Pick_Set")["samples"].append("Tonight's   question")
    one_problem(model, "Tonight's   question", "also in TonightIntent")


def test_a_sample_may_not_repeat_within_an_intent() -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"].append("tonight's question ")
    one_problem(model, "appears twice")


def test_slot_references_must_name_the_intents_own_slots() -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"].append("ask about {set}")
    one_problem(model, "{set}", "not defined")


def test_slot_types_must_be_defined_or_built_in() -> None:
    model = valid()
    intent(model, "Pick_Set")["slots"][0]["type"] = "SetNames"
    one_problem(model, "undefined slot type 'SetNames'")
    model = valid()
    intent(model, "Pick_Set")["slots"][0]["type"] = "AMAZON.first name"
    one_problem(model, "invalid built-in type")


def test_custom_intents_need_samples_built_ins_do_not() -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"] = []
    one_problem(model, "TonightIntent", "at least one sample")


@pytest.mark.parametrize(
    ("sample", "fragment"),
    [
        ("what's tonight's question?", "'?'"),
        ("start a check-in", "'-'"),
        ("question number 2", "'2'"),
        ("question, please", "','"),
        ("a question for {person", "unmatched brace"),
        ("{person} {person}", "only slots"),
        ("  {person} {person} ", "only slots"),
        ("for {person}{person} please", "nothing between them"),
        ("", "empty sample"),
        ("a very long question " * 12, "longer than 200"),
    ],
)
def test_sample_characters_and_shape(sample: str, fragment: str) -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"].append(sample)
    found = messages(model)
    assert any(fragment in message for message in found), found


@pytest.mark.parametrize("name", ["Tonight Intent", "TonightIntent2", "AMAZON.", "amazon-help"])
def test_intent_names_must_be_letters_and_underscores(name: str) -> None:
    model = valid()
    intent(model, "TonightIntent")["name"] = name
    assert any("invalid intent name" in message for message in messages(model))


def test_intent_slot_and_type_names_must_be_unique_and_valid() -> None:
    model = valid()
    language(model)["intents"].append(copy.deepcopy(intent(model, "Pick_Set")))
    intent_twice = messages(model)
    assert any("defined twice" in message for message in intent_twice)

    model = valid()
    intent(model, "TonightIntent")["slots"].append({"name": "person", "type": "AMAZON.FirstName"})
    one_problem(model, "slot 'person' is defined twice")

    model = valid()
    intent(model, "TonightIntent")["slots"][0]["name"] = "first name"
    found = messages(model)
    assert any("invalid slot name" in message for message in found), found

    model = valid()
    language(model)["types"].append(copy.deepcopy(language(model)["types"][0]))
    one_problem(model, "slot type 'SetName' is defined twice")


def test_custom_slot_types_need_values() -> None:
    model = valid()
    language(model)["types"][0]["values"] = []
    one_problem(model, "at least one value")


def test_a_model_without_a_language_model_is_one_problem() -> None:
    assert [str(p) for p in lint_model({})] == [
        "interactionModel: no interactionModel.languageModel"
    ]


@pytest.mark.parametrize(
    "sample",
    [
        "{person}",
        "{person} please",
        "the {person}",
        "what's {person}",
        "our {person}",
        "about {person}",
        "the {person} please",
        "on {person} please",
        "{person} and {person}",
    ],
)
def test_catch_all_samples_are_refused(sample: str) -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"].append(sample)
    found = messages(model)
    assert any(sample in m and ("catch-all" in m or "only slots" in m) for m in found), found


@pytest.mark.parametrize(
    "sample",
    ["explain {person}", "what's the {person}", "a question for {person}", "tell us of {person}"],
)
def test_slots_with_words_of_their_own_are_not_catch_alls(sample: str) -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"] = [sample]
    assert messages(model) == []


def test_only_a_state_gated_intent_may_hold_bare_answers() -> None:
    model = valid()
    language(model)["intents"].append(
        {
            "name": "AnswerIntent",
            "slots": [{"name": "day", "type": "SetName"}],
            "samples": ["{day}", "on {day} please", "the {day}"],
        }
    )
    assert messages(model) == []
    assert "AnswerIntent" in STATE_GATED_INTENTS


@pytest.mark.parametrize(
    "again",
    ["um, Tonight's question please", "okay tonight's question", "so tonight's question"],
)
def test_the_same_sample_in_two_intents_is_found_after_normalising(again: str) -> None:
    model = valid()
    intent(model, "Pick_Set")["samples"].append(again.replace(",", ""))
    one_problem(model, "also in TonightIntent")


def test_contractions_and_long_forms_are_one_sample() -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"].append("what's the set")
    intent(model, "Pick_Set")["samples"].append("what is the set")
    one_problem(model, "'what is the set' also in TonightIntent")
    assert normalised("Um, we'd like IT please") == "we would like it"


def test_one_intent_may_say_a_thing_with_and_without_contractions() -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"] += ["what's the set", "what is the set"]
    assert messages(model) == []


def test_sample_counts_are_kept_sane() -> None:
    model = valid()
    intent(model, "TonightIntent")["samples"] = [
        f"question {chr(97 + i // 26)}{chr(97 + i % 26)} {j}".replace("0", "a")
        for i in range(26 * 26)
        for j in ("one", "two", "three")
    ][: MAX_SAMPLES_PER_INTENT + 1]
    assert len(intent(model, "TonightIntent")["samples"]) > MAX_SAMPLES_PER_INTENT
    assert any("more than" in message for message in messages(model))
