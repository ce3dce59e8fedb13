"""Everyday phrasings the samples were not written from reach the right intent, or none.

``tests/phrasings/unseen.toml`` is the dev set: fresh phrasings across every intent, the
built-ins and one-shots, written from each intent's meaning before the matcher learnt to
look past carriers and fillers. ``unseen_later``, ``unseen_third`` and ``unseen_fourth``
were each written before the next change and measured it on their first run: 83% right
and none wrong; 85% and one wrong (the nearest-sample guess was made stricter after it);
94% and none wrong. ``unseen_fifth`` was written before the model was measured
strictly: on its first run 69% right by the local matcher and 39% (66 of 169) strictly,
none wrong. ``unseen_sixth`` to ``unseen_seventeenth`` came after carriers with leads and
tails, each written whole before the changes it led to; the phrasings already in another
table are left out of each, so what remains is the part the model had not seen. On their
first runs, strictly: 65% (78 of 121), 64% (88 of 138), 72% (59 of 82), 63% (52 of 83),
52% (46 of 88), 64% (34 of 53), 66% (42 of 64), 66% (57 of 87), 64% (67 of 104), 38% (68
of 178, a chatty couple's long sentences), 52% (55 of 105, a British couple) and 44% (76 of
172, one partner speaking for both), none wrong. The floors below sit a little under what
they reach now.

The skill is also judged by a nearly word-for-word resolver: the strict score takes only the
samples as written, with slot values filled (``Utterances.understand(text, strict=True)``), and the
later sets (not the dev set, which the samples were tuned on) must reach their strict floors
with none wrong there either. Strictly, before the model learnt carriers with leads and
tails: 55%, 68%, 61% and 39%; after: 99%, 100%, 94% and 95%. The later sets' misses guided
that work, so those figures flatter it: the next fresh batch gives the honest one. The local
matcher must send most of them to the intent they mean and never one to another intent:
a fallback ("sorry, say that again") costs a couple a turn, a wrong intent sends them
somewhere they did not ask to go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from skill.devtools.nlu import FALLBACK, Understood, Utterances
from tests.test_phrasing_tables import (
    UNSEEN,
    Entry,
    duplicates,
    entry_problems,
    every_entry,
    phrasings,
)
from tests.test_phrasings_understood import LAUNCH, slot_values, stands_for

DEV_SET = UNSEEN[0]
FLOORS: dict[str, tuple[float, float]] = {name: (0.95, 0.95) for name in UNSEEN[1:]} | {
    "unseen_fourth": (0.95, 0.90),
    "unseen_fifth": (0.93, 0.90),
}
"""Each later set's floors: the share that must reach its intent with its slots, and the
share that must reach it by the samples as written."""
LATER_SETS = tuple(FLOORS)
SETS = (DEV_SET, *LATER_SETS)
RIGHT_SHARE = {DEV_SET: 0.95} | {name: right for name, (right, _) in FLOORS.items()}
"""The share of each set that must reach its intent with its slots."""
STRICT_SHARE = {name: strict for name, (_, strict) in FLOORS.items()}
"""The share of each later set that must reach its intent by the samples as written."""


@dataclass(frozen=True)
class Score:
    right: tuple[str, ...]
    wrong: tuple[str, ...]
    missed: tuple[str, ...]

    @property
    def share(self) -> float:
        total = len(self.right) + len(self.wrong) + len(self.missed)
        return len(self.right) / total if total else 0.0


def reached(understood: Understood) -> str:
    """The intent a phrasing said in a new session reaches (a bare answer in a one-shot
    stands for the intent it completes, as the endpoint answers it)."""
    return stands_for(understood, None, opening=True) or FALLBACK


def score(utterances: Utterances, entries: Sequence[Entry], strict: bool = False) -> Score:
    """Right, wrong and missed phrasings; ``strict`` by the samples as written only."""
    right: list[str] = []
    wrong: list[str] = []
    missed: list[str] = []
    for entry in entries:
        understood = utterances.understand(entry["say"], strict=strict)
        intent = reached(understood)
        wanted = {name: str(value) for name, value in entry.get("slots", {}).items()}
        found = {k: v for k, v in slot_values(understood).items() if k in wanted}
        if intent == entry["intent"] and found == wanted:
            right.append(entry["say"])
        elif intent == FALLBACK:
            missed.append(entry["say"])
        else:
            wrong.append(f"{entry['say']!r} -> {intent} {found}")
    return Score(tuple(right), tuple(wrong), tuple(missed))


@pytest.mark.parametrize("name", SETS)
def test_unseen_phrasings_never_reach_a_wrong_intent(utterances: Utterances, name: str) -> None:
    assert score(utterances, phrasings(name)).wrong == ()


@pytest.mark.parametrize("name", SETS)
def test_most_unseen_phrasings_reach_their_intent(utterances: Utterances, name: str) -> None:
    found = score(utterances, phrasings(name))
    assert found.share >= RIGHT_SHARE[name], found.missed


@pytest.mark.parametrize("name", LATER_SETS)
def test_unseen_phrasings_never_reach_a_wrong_intent_word_for_word(
    utterances: Utterances, name: str
) -> None:
    assert score(utterances, phrasings(name), strict=True).wrong == ()


@pytest.mark.parametrize("name", LATER_SETS)
def test_most_unseen_phrasings_reach_their_intent_word_for_word(
    utterances: Utterances, name: str
) -> None:
    found = score(utterances, phrasings(name), strict=True)
    assert found.share >= STRICT_SHARE[name], found.missed


def test_the_dev_set_is_big_and_covers_built_ins_and_one_shots() -> None:
    entries = phrasings(DEV_SET)
    intents = {entry["intent"] for entry in entries}
    assert len(entries) >= 250
    assert {"AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.HelpIntent", LAUNCH} <= intents
    assert sum(entry["say"].startswith(("ask ", "tell ", "open ")) for entry in entries) >= 20


@pytest.mark.parametrize("name", SETS)
def test_unseen_tables_are_well_formed_and_fresh(utterances: Utterances, name: str) -> None:
    known = utterances.intents | {LAUNCH}
    entries = phrasings(name)
    assert not [p for entry in entries for p in entry_problems(entry, known)]
    elsewhere = {entry["say"] for entry in every_entry()}
    for earlier in SETS[: SETS.index(name)]:
        elsewhere |= {entry["say"] for entry in phrasings(earlier)}
    assert not [entry["say"] for entry in entries if entry["say"] in elsewhere]
    assert not duplicates(entry["say"] for entry in entries)
