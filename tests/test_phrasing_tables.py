"""The phrasing tables in tests/phrasings/ are well formed and big enough to measure the model by.

These checks only look at the tables themselves; matching each phrasing against the skill is a
separate test. Set CLOSER_HELDOUT_PHRASINGS to a held-out table outside the repository to check
that it is well formed too and shares no phrasing with the tables here.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.test_plan_content import PLAN_INTENTS
from tests.test_questions_content import INTENTS as QUESTION_INTENTS

TABLES = Path(__file__).resolve().parent / "phrasings"

FEATURES: Mapping[str, frozenset[str]] = {
    "questions": frozenset(QUESTION_INTENTS),
    "check_in": frozenset(
        {
            "StartCheckInIntent",
            "MorningCheckInIntent",
            "ContinueCheckInIntent",
            "CheckInReadyIntent",
            "CheckInSkipIntent",
            "CheckInMoreTimeIntent",
            "CheckInTimeOutIntent",
            "SetNamesIntent",
            "FirstSpeakerIntent",
            "CheckInTurnLengthIntent",
            "SkipCheckInInstructionsIntent",
            "CheckInSoundsOnIntent",
            "CheckInSoundsOffIntent",
        }
    ),
    "plan": frozenset(PLAN_INTENTS),
    "privacy": frozenset({"ForgetUsIntent"}),
    "safety": frozenset({"SafetyIntent", "CrisisIntent"}),
    "core": frozenset(
        {
            "AMAZON.YesIntent",
            "AMAZON.NoIntent",
            "AMAZON.HelpIntent",
            "AMAZON.StopIntent",
            "AMAZON.CancelIntent",
            "AMAZON.RepeatIntent",
            "AMAZON.PauseIntent",
            "AMAZON.ResumeIntent",
            "AMAZON.NavigateHomeIntent",
            "AMAZON.FallbackIntent",
        }
    ),
}
CUSTOM = frozenset().union(*(FEATURES[name] for name in FEATURES if name != "core"))
INTENTS = frozenset().union(*FEATURES.values())
LAUNCH = "LaunchRequest"
MAIN_INTENTS = (
    "TonightsQuestionIntent",
    "StartCheckInIntent",
    "PlanWeekIntent",
    "TodaysRitualIntent",
    "OutsideHelpIntent",
    "SafetyIntent",
)

WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
TOPICS = frozenset(
    {
        "soft start up", "repair attempts", "ground rules", "pause word", "outside help",
        "grounding", "non defensive replies", "owning your part", "a reluctant partner",
        "slow progress", "a struggling partner", "betrayal", "being unsure",
    }
)  # fmt: skip
SLOTS: Mapping[str, Mapping[str, str]] = {
    "SetNamesIntent": {"firstName": "name", "secondName": "name"},
    "FirstSpeakerIntent": {"name": "name"},
    "CheckInTurnLengthIntent": {"minutes": "number"},
    "SetCheckInDayIntent": {"day": "weekday"},
    "GuidanceIntent": {"topic": "topic"},
}
SLOT_VALUE = {
    "name": re.compile(r"^[a-z][a-z'-]*$"),
    "number": re.compile(r"^[1-9][0-9]*$"),
}
SAY = re.compile(r"^[a-z']+(?: [a-z']+)*$")
CONTEXTS = frozenset({"in_session"})

ASKED = frozenset(
    {
        "which_day",
        "how_many_minutes",
        "which_topic",
        "did_that_capture_it",
        "say_ready",
        "yes_no",
        "names",
    }
)
MEANINGS = frozenset({"yes", "no", "partly", "wait", "ready"})
MUST_ANSWER = (
    "sunday",
    "sundays",
    "on sunday",
    "three",
    "three minutes",
    "make it three",
    "repair attempts",
    "the ground rules one",
    "yes it did",
    "that's right",
    "pretty much",
    "not quite",
    "mostly",
    "sort of",
    "not really",
    "yep",
    "sure",
    "go ahead",
    "not yet",
    "give us a minute",
    "hang on",
    "one sec",
)
ONE_SHOT_FORMS = (
    "ask closer together to ",
    "ask closer together for ",
    "ask closer together about ",
    "ask closer together what week ",
    "ask closer together whether ",
    "tell closer together ",
    "open closer together and ",
    "launch closer together and ",
    "start closer together and ",
)
PLAIN_LAUNCHES = ("open closer together", "start closer together", "closer together")
UNSEEN = (
    "unseen",
    "unseen_later",
    "unseen_third",
    "unseen_fourth",
    "unseen_fifth",
    "unseen_sixth",
    "unseen_seventh",
    "unseen_eighth",
    "unseen_ninth",
    "unseen_tenth",
    "unseen_eleventh",
    "unseen_twelfth",
    "unseen_thirteenth",
    "unseen_fourteenth",
    "unseen_fifteenth",
    "unseen_sixteenth",
    "unseen_seventeenth",
)
"""Fresh phrasings the matcher is measured by, not made to pass (tests/test_nlu_unseen.py)."""

Entry = Mapping[str, Any]


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def phrasings(name: str) -> list[Entry]:
    return load(TABLES / f"{name}.toml")["phrasing"]


def answers() -> list[Entry]:
    return load(TABLES / "answers.toml")["answer"]


def feature_phrasings() -> list[Entry]:
    return [entry for name in FEATURES for entry in phrasings(name)]


def every_entry() -> list[Entry]:
    return feature_phrasings() + phrasings("one_shots") + answers()


def slot_problems(entry: Entry) -> list[str]:
    expected = SLOTS.get(entry["intent"], {})
    given = entry.get("slots", {})
    if not isinstance(given, dict):
        return ["slots is not a table"]
    problems = [f"no slot {name}" for name in expected if name not in given]
    for name, value in given.items():
        kind = expected.get(name)
        if kind is None:
            problems.append(f"{entry['intent']} has no slot {name}")
        elif not isinstance(value, str) or not slot_value_ok(kind, value):
            problems.append(f"{name} = {value!r} is not a {kind}")
    return problems


def slot_value_ok(kind: str, value: str) -> bool:
    if kind == "weekday":
        return value in WEEKDAYS
    if kind == "topic":
        return value in TOPICS
    return bool(SLOT_VALUE[kind].match(value))


def entry_problems(entry: Entry, known: frozenset[str]) -> list[str]:
    say = entry.get("say")
    if not isinstance(say, str) or not SAY.match(say):
        return [f"say {say!r} is not lower-case words and apostrophes"]
    if entry.get("intent") not in known:
        return [f"{say!r}: unknown intent {entry.get('intent')!r}"]
    problems = [f"{say!r}: {problem}" for problem in slot_problems(entry)]
    if entry.get("context", "in_session") not in CONTEXTS:
        problems.append(f"{say!r}: unknown context {entry['context']!r}")
    allowed = {"say", "intent", "slots", "context", "asked", "meaning"}
    problems += [f"{say!r}: unknown field {key}" for key in entry if key not in allowed]
    return problems


def answer_problems(entry: Entry) -> list[str]:
    problems = entry_problems(entry, INTENTS)
    if entry.get("asked") not in ASKED:
        problems.append(f"{entry.get('say')!r}: unknown question {entry.get('asked')!r}")
    if entry.get("meaning", "yes") not in MEANINGS:
        problems.append(f"{entry.get('say')!r}: unknown meaning {entry['meaning']!r}")
    return problems


def duplicates(says: Iterable[str]) -> list[str]:
    return sorted(say for say, count in Counter(says).items() if count > 1)


@pytest.mark.parametrize("name", [*FEATURES, "one_shots", "answers"])
def test_every_table_parses_and_holds_only_its_own_kind(name: str) -> None:
    table = load(TABLES / f"{name}.toml")
    kind = "answer" if name == "answers" else "phrasing"
    assert set(table) == {kind}
    assert all(isinstance(entry, dict) for entry in table[kind])


def test_no_other_tables_lie_in_the_folder() -> None:
    names = {path.stem for path in TABLES.glob("*.toml")}
    assert names == {*FEATURES, "one_shots", "answers", *UNSEEN}


@pytest.mark.parametrize("name", list(FEATURES))
def test_feature_phrasings_are_well_formed_and_stay_in_their_feature(name: str) -> None:
    problems = [p for entry in phrasings(name) for p in entry_problems(entry, FEATURES[name])]
    assert not problems


def test_one_shots_are_well_formed() -> None:
    known = INTENTS | {LAUNCH}
    problems = [p for entry in phrasings("one_shots") for p in entry_problems(entry, known)]
    assert not problems


def test_answers_are_well_formed() -> None:
    assert not [p for entry in answers() for p in answer_problems(entry)]


def test_no_say_appears_twice_across_the_tables() -> None:
    assert not duplicates(entry["say"] for entry in every_entry())


def test_feature_tables_hold_enough_phrasings_for_every_intent() -> None:
    counts = Counter(entry["intent"] for entry in feature_phrasings())
    assert sum(counts.values()) >= 480
    assert not {intent: counts[intent] for intent in CUSTOM if counts[intent] < 8}
    assert not {intent: counts[intent] for intent in MAIN_INTENTS if counts[intent] < 20}
    assert not [intent for intent in FEATURES["core"] if counts[intent] < 1]


def test_one_shots_cover_every_way_of_invoking() -> None:
    entries = phrasings("one_shots")
    says = [entry["say"] for entry in entries]
    assert len(says) >= 60
    assert not [form for form in ONE_SHOT_FORMS if not any(s.startswith(form) for s in says)]
    launches = {entry["say"] for entry in entries if entry["intent"] == LAUNCH}
    assert launches >= set(PLAIN_LAUNCHES)
    assert all(s.startswith(("ask ", "tell ")) or " and " in s for s in set(says) - launches)


def test_every_question_the_skill_asks_has_enough_answers() -> None:
    counts = Counter(entry["asked"] for entry in answers())
    assert not {asked: counts[asked] for asked in ASKED if counts[asked] < 12}
    said = {entry["say"] for entry in answers()}
    assert not [say for say in MUST_ANSWER if say not in said]


def test_half_answers_to_a_reflection_are_marked_partly() -> None:
    half = {"pretty much", "not quite", "mostly", "sort of"}
    marked = {e["say"]: e.get("meaning") for e in answers() if e["say"] in half}
    assert marked == dict.fromkeys(half, "partly")
