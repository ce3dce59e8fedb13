"""Check an interaction model for what the Alexa developer console would refuse to build.

``lint_model(model)`` returns the problems found (empty when the model is fit to
upload): invocation name rules, intent, slot and slot type names, required
built-in intents, sample utterance characters and slot references, and samples
repeated anywhere in the model. ``python -m skill.devtools.model_lint`` checks every
written locale and exits 1 if any problem is found.

It also holds the model to our own rules for understanding people well:

- No catch-all samples. A sample that is only slots, or slots with one carrier word
  ("{topic} please", "the {topic}", "what's {topic}", "about {topic}"), or slots with
  nothing but glue words around them ("on {day} please", "{firstName} and {secondName}")
  lets its intent swallow what other intents mean. The one exception is an intent in
  ``STATE_GATED_INTENTS``: it holds the bare answers to the skill's own questions
  ("Sunday", "three minutes") and its handler answers them only when the session says
  that question was just asked.
- One meaning per sample: the same sample in two intents is reported, after normalising
  case, punctuation, contractions and filler words ("what's the plan" and "um, what is
  the plan" are the same sample).
- Sane counts: at most ``MAX_SAMPLES_PER_INTENT`` samples an intent and
  ``MAX_SAMPLES_PER_MODEL`` a model, and a written model under ``MODEL_CHARACTERS``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from skill.devtools.models import LOCALES, model_path
from skill.devtools.templates import (
    CONTRACTIONS,
    MAX_SAMPLES_PER_INTENT,
    MAX_SAMPLES_PER_MODEL,
)

REQUIRED_BUILT_INS: tuple[str, ...] = (
    "AMAZON.CancelIntent",
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
)
LAUNCH_WORDS = frozenset(
    {"ask", "tell", "open", "launch", "start", "begin", "load", "play", "resume", "run", "enable"}
)
WAKE_WORDS = frozenset({"alexa", "amazon", "echo", "computer", "skill", "app"})
CONNECTING_WORDS = frozenset({"the", "a", "an", "for", "to", "of", "by", "from", "in", "on"})
STATE_GATED_INTENTS = frozenset({"AnswerIntent", "TimeAnswerIntent", "DurationAnswerIntent"})
"""Intents whose handler answers only the question the session just asked (see
``skill.handlers.answers``, and for a time or a length of time on its own
``skill.services.habits.time_answer`` / ``duration_answer``): the only places a bare-answer
sample may live."""
GLUE_WORDS = frozenset(
    {
        "a", "an", "the", "our", "my", "your", "this", "that", "these", "those", "about",
        "on", "for", "to", "of", "in", "at", "by", "with", "and", "or", "but", "please",
        "um", "uh", "er", "erm", "okay", "ok", "so", "well", "oh", "hey", "just",
    }
)  # fmt: skip
"""Words that say nothing of what is wanted: around a slot alone they make a catch-all."""
CARRIER_WORDS = GLUE_WORDS | frozenset(
    {"what's", "whats", "what", "it's", "its", "let's", "how", "say", "is", "are", "maybe",
     "yes", "no", "sure", "then", "now", "also", "like", "one", "do", "make", "try"}
)  # fmt: skip
"""Words that only carry a request: one of them beside a slot is still a catch-all."""
FILLER_WORDS = frozenset({"um", "uh", "er", "erm", "hmm", "okay", "ok", "so", "well", "oh", "hey"})
"""Words left out when comparing samples across intents (with "please")."""
MODEL_CHARACTERS = 1_000_000
"""The skill management API refuses a model definition longer than this (ask-cli issue #9)."""
INVOCATION_LENGTH = (2, 50)
SAMPLE_LENGTH = 200

INVOCATION_CHARACTERS = re.compile(r"^[a-z' .]+$")
INVOCATION_WORD = re.compile(r"^(?:[a-z]+(?:'[a-z]*)?|[a-z]\.)$")
CUSTOM_NAME = re.compile(r"^[A-Za-z_]+$")
BUILT_IN_NAME = re.compile(r"^AMAZON\.[A-Za-z_]+$")
SLOT_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")
SLOT_REFERENCE = re.compile(r"\{([^{}]*)\}")
SAMPLE_TEXT = re.compile(r"^[A-Za-z' .]*$")


@dataclass(frozen=True)
class Problem:
    """One thing the console would reject, and where it is."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def lint_model(model: Mapping[str, Any]) -> tuple[Problem, ...]:
    """Every problem in a model (``{"interactionModel": {"languageModel": ...}}``)."""
    try:
        language = model["interactionModel"]["languageModel"]
    except (KeyError, TypeError):
        return (Problem("interactionModel", "no interactionModel.languageModel"),)
    types = language.get("types", [])
    intents = language.get("intents", [])
    return (
        *lint_invocation_name(language.get("invocationName", "")),
        *_lint_types(types),
        *_lint_intents(intents, {slot_type.get("name", "") for slot_type in types}),
        *_lint_repeated_samples(intents),
    )


def lint_invocation_name(name: str) -> tuple[Problem, ...]:
    where = "invocationName"
    if not isinstance(name, str) or not name.strip():
        return (Problem(where, "missing"),)
    problems: list[Problem] = []
    low, high = INVOCATION_LENGTH
    if not low <= len(name) <= high:
        problems.append(Problem(where, f"{name!r} must be {low} to {high} characters long"))
    if name != name.lower():
        problems.append(Problem(where, f"{name!r} must be lowercase"))
    if not INVOCATION_CHARACTERS.match(name.lower()):
        problems.append(
            Problem(where, f"{name!r} may hold only letters, spaces, apostrophes and periods")
        )
    words = name.lower().split()
    if len(words) < 2:
        problems.append(Problem(where, f"{name!r} must have at least two words"))
    for word in words:
        if INVOCATION_CHARACTERS.match(word) and not INVOCATION_WORD.match(word):
            problems.append(
                Problem(
                    where,
                    f"{word!r}: apostrophes only inside a word, periods only after one letter",
                )
            )
        if word in LAUNCH_WORDS or word in WAKE_WORDS:
            problems.append(Problem(where, f"{name!r} may not contain the word {word!r}"))
    if len(words) == 2 and set(words) & CONNECTING_WORDS:
        problems.append(Problem(where, f"a two-word name may not use a connecting word: {name!r}"))
    return tuple(problems)


def _lint_types(types: Sequence[Mapping[str, Any]]) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, slot_type in enumerate(types):
        name = slot_type.get("name", "")
        where = f"types[{name or index}]"
        if not CUSTOM_NAME.match(name):
            yield Problem(where, f"slot type name {name!r} may hold only letters and underscores")
        if name in seen:
            yield Problem(where, f"slot type {name!r} is defined twice")
        seen.add(name)
        values = slot_type.get("values", [])
        if not values and "valueSupplier" not in slot_type:
            yield Problem(where, "a custom slot type needs at least one value")
        spoken: set[str] = set()
        for value in values:
            text = (value.get("name") or {}).get("value", "")
            if not isinstance(text, str) or not text.strip():
                yield Problem(where, "a slot value has no name.value")
                continue
            if _fold(text) in spoken:
                yield Problem(where, f"slot value {text!r} appears twice")
            spoken.add(_fold(text))


def _lint_intents(
    intents: Sequence[Mapping[str, Any]], custom_types: set[str]
) -> Iterator[Problem]:
    names = [intent.get("name", "") for intent in intents]
    for required in REQUIRED_BUILT_INS:
        if required not in names:
            yield Problem("intents", f"the required built-in {required} is missing")
    seen: set[str] = set()
    for index, intent in enumerate(intents):
        name = intent.get("name", "")
        where = f"intents[{name or index}]"
        if name in seen:
            yield Problem(where, f"intent {name!r} is defined twice")
        seen.add(name)
        built_in = name.startswith("AMAZON.")
        if not (BUILT_IN_NAME if built_in else CUSTOM_NAME).match(name):
            yield Problem(where, f"invalid intent name {name!r}")
        samples = intent.get("samples", [])
        if not built_in and not samples:
            yield Problem(where, "a custom intent needs at least one sample utterance")
        slots = yield from _lint_slots(where, intent.get("slots", []), custom_types)
        gated = name in STATE_GATED_INTENTS
        for sample in samples:
            yield from lint_sample(where, sample, slots, state_gated=gated)
        if len(samples) > MAX_SAMPLES_PER_INTENT:
            yield Problem(where, f"{len(samples)} samples, more than {MAX_SAMPLES_PER_INTENT}")
    total = sum(len(intent.get("samples", [])) for intent in intents)
    if total > MAX_SAMPLES_PER_MODEL:
        yield Problem("intents", f"{total} samples in all, more than {MAX_SAMPLES_PER_MODEL}")


def _lint_slots(
    where: str, slots: Sequence[Mapping[str, Any]], custom_types: set[str]
) -> Generator[Problem, None, set[str]]:
    names: set[str] = set()
    for slot in slots:
        name = slot.get("name", "")
        slot_type = slot.get("type", "")
        if not SLOT_NAME.match(name):
            yield Problem(where, f"invalid slot name {name!r}")
        if name in names:
            yield Problem(where, f"slot {name!r} is defined twice")
        names.add(name)
        if not slot_type:
            yield Problem(where, f"slot {name!r} has no type")
        elif slot_type.startswith("AMAZON."):
            if not BUILT_IN_NAME.match(slot_type):
                yield Problem(where, f"slot {name!r}: invalid built-in type {slot_type!r}")
        elif slot_type not in custom_types:
            yield Problem(where, f"slot {name!r} uses undefined slot type {slot_type!r}")
    return names


def lint_sample(
    where: str, sample: Any, slots: set[str], *, state_gated: bool = False
) -> Iterator[Problem]:
    """Problems with one sample utterance of an intent whose slots are ``slots``.

    ``state_gated``: the intent answers only in state, so bare answers are allowed."""
    if not isinstance(sample, str) or not sample.strip():
        yield Problem(where, "empty sample utterance")
        return
    label = f"sample {sample!r}"
    if len(sample) > SAMPLE_LENGTH:
        yield Problem(where, f"{label} is longer than {SAMPLE_LENGTH} characters")
    references = SLOT_REFERENCE.findall(sample)
    text = SLOT_REFERENCE.sub(" ", sample)
    if "{" in text or "}" in text:
        yield Problem(where, f"{label} has an unmatched brace")
    elif not SAMPLE_TEXT.match(text):
        bad = "".join(sorted({c for c in text if not SAMPLE_TEXT.match(c)}))
        yield Problem(
            where,
            f"{label} uses {bad!r}: only letters, spaces, apostrophes, periods and {{slots}}",
        )
    for reference in references:
        if reference not in slots:
            yield Problem(where, f"{label} names slot {{{reference}}}, not defined in the intent")
    if references and not state_gated and is_catch_all(sample):
        what = "is only slots" if not text.strip(" .'") else "is a catch-all"
        yield Problem(
            where,
            f"{label} {what}: it needs words of its own, or belongs in a state-gated intent",
        )
    if re.search(r"\}\{", sample):
        yield Problem(where, f"{label} has two slots with nothing between them")


def is_catch_all(sample: str) -> bool:
    """Slots with no other word, one carrier word, or only glue words besides."""
    if not SLOT_REFERENCE.search(sample):
        return False
    words = SLOT_REFERENCE.sub(" ", sample).lower().replace(".", " ").split()
    if len(words) == 1:
        return words[0] in CARRIER_WORDS
    return all(word in GLUE_WORDS for word in words)


def _lint_repeated_samples(intents: Sequence[Mapping[str, Any]]) -> Iterator[Problem]:
    """The same sample twice in an intent, or (normalised) in two intents."""
    owner: dict[str, str] = {}
    for intent in intents:
        name = intent.get("name", "")
        seen: set[str] = set()
        for sample in intent.get("samples", []):
            if not isinstance(sample, str):
                continue
            folded, key = _fold(sample), normalised(sample)
            if folded in seen:
                yield Problem(f"intents[{name}]", f"sample {sample!r} appears twice")
                continue
            seen.add(folded)
            first = owner.setdefault(key, name)
            if first != name:
                yield Problem(f"intents[{name}]", f"sample {sample!r} also in {first}")


_LONG_FORMS = dict(CONTRACTIONS)


def normalised(sample: str) -> str:
    """A sample as a listener hears it: case, punctuation, contractions and fillers aside."""
    words = re.sub(r"[^a-z0-9'{} ]+", " ", sample.lower()).split()
    expanded = " ".join(_LONG_FORMS.get(word, word) for word in words).split()
    kept = [word for word in expanded if word not in FILLER_WORDS and word != "please"]
    return " ".join(kept) or " ".join(expanded)


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def lint_locales(locales: Sequence[str] | None = None) -> dict[str, tuple[Problem, ...]]:
    """Problems in each written ``interaction_models/<locale>.json``."""
    found: dict[str, tuple[Problem, ...]] = {}
    for locale in locales or LOCALES:
        path = model_path(locale)
        if not path.exists():
            found[locale] = (Problem(str(path), "no model written (run `closer models`)"),)
            continue
        text = path.read_text(encoding="utf-8")
        size = (
            ()
            if len(text) <= MODEL_CHARACTERS
            else (Problem(str(path), f"{len(text)} characters, more than {MODEL_CHARACTERS}"),)
        )
        found[locale] = (*size, *lint_model(json.loads(text)))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    failed = False
    for locale, problems in lint_locales(args or None).items():
        for problem in problems:
            print(f"{locale} {problem}", file=sys.stderr)
        failed = failed or bool(problems)
        if not problems:
            print(f"{locale}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
