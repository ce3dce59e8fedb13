"""Compact sample templates for the interaction model, expanded into plain sample utterances.

An intent in ``interaction_models/intents/*.json`` may list its samples three ways, all
optional and all kept:

``samples``
    plain sample utterances, copied as written (the original format; a feature file that
    only has these keeps working unchanged).
``templates``
    patterns expanded as they stand: ``(a|b)`` says one of the alternatives, ``[a|b]``
    says one of them or nothing, and they nest. ``{slot}`` passes through, and ``<word>``
    stands for a shared list of synonyms (``"words"`` in ``carriers.json`` or in the
    feature file: ``"counselor": "(counselor|therapist|...)"``).
``phrases``
    patterns grouped by the way they are said (a request, a question, a statement...).
    Each group is put inside that group's carriers from ``interaction_models/carriers.json``
    (``"can you $"``, ``"$ please"``, ``"let's $"``...), and some of them after a filler:
    ``"fillers"`` maps each filler to the carriers it may lead ("um" the bare phrase; a
    carrier of one kind only is written ``"ask:$"``). An intent's own ``"fillers"`` add to
    those (the requests heard most take more), or ``"fillers": false`` leaves them out.

Templates and phrases are also said with and without the contractions people also say
in full ("what's" and "what is"). A phrase's long form is said on its own and its short
form inside every carrier: "what is the plan" is heard, "could you tell us what is the
plan" far less than "what's". An intent with ``"long_forms": "carried"`` says both inside
every carrier (the safety intents, which must be heard however they are put). A carrier is
said as written, so carriers.json lists the long forms worth having. Every sample is
checked against Alexa's limit of ``SAMPLE_LENGTH`` characters and our own ceilings of
``MAX_SAMPLES_PER_INTENT`` samples an intent and ``MAX_SAMPLES_PER_MODEL`` a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

SAMPLE_LENGTH = 200
"""Alexa refuses sample utterances longer than 200 characters."""
MAX_SAMPLES_PER_INTENT = 1990
"""Our own ceiling per intent, far below what Alexa accepts per model: a sane count keeps the
model quick to build and review, and Alexa learns from variety, not volume."""
MAX_SAMPLES_PER_MODEL = 30000
"""Our own ceiling for the whole model, likewise."""
MAX_EXPANSION = 5000
"""A single template may not say more than this many things (a typo guard)."""
PHRASE = "$"

CONTRACTIONS: tuple[tuple[str, str], ...] = (
    ("what's", "what is"),
    ("that's", "that is"),
    ("there's", "there is"),
    ("it's", "it is"),
    ("how's", "how is"),
    ("where's", "where is"),
    ("when's", "when is"),
    ("who's", "who is"),
    ("we're", "we are"),
    ("they're", "they are"),
    ("you're", "you are"),
    ("we've", "we have"),
    ("i've", "i have"),
    ("you've", "you have"),
    ("we'd", "we would"),
    ("i'd", "i would"),
    ("you'd", "you would"),
    ("we'll", "we will"),
    ("i'll", "i will"),
    ("i'm", "i am"),
    ("he's", "he is"),
    ("she's", "she is"),
    ("don't", "do not"),
    ("doesn't", "does not"),
    ("didn't", "did not"),
    ("isn't", "is not"),
    ("aren't", "are not"),
    ("wasn't", "was not"),
    ("can't", "cannot"),
    ("won't", "will not"),
    ("wouldn't", "would not"),
    ("shouldn't", "should not"),
    ("haven't", "have not"),
)
"""Spoken contractions and their long forms, both ways."""

UNSAFE_TO_SHORTEN = frozenset(
    {"it is", "we are", "they are", "you are", "he is", "she is", "we have", "i have", "you have"}
)
"""Long forms that read wrong shortened inside a clause ("where we are in the plan")."""

SPOKEN_LONG = frozenset({"what's", "we're", "i'm", "we'd", "i'd", "don't", "it's", "that's"})
"""Contractions people also say in full often enough to list both ("we would like").
The others ("we've", "didn't") are listed as said, and normalised alike by the linter."""

_SHORT = {short: long for short, long in CONTRACTIONS if short in SPOKEN_LONG}
_LONG = {long: short for short, long in CONTRACTIONS if long not in UNSAFE_TO_SHORTEN}
_SHORT_WORD = re.compile(r"\b(" + "|".join(re.escape(s) for s in _SHORT) + r")(?![\w'])")
_LONG_WORDS = re.compile(
    r"\b(" + "|".join(re.escape(long) for long in sorted(_LONG, key=len, reverse=True)) + r")"
    r"(?=\s+[^\s{])"
)
"""A long form is only shortened before another word ("what week it is" stays long)."""


class TemplateError(ValueError):
    """A template that cannot be expanded, or an intent over the limits."""


TEMPLATE_TEXT = re.compile(r"^[a-z' .{}A-Z_()\[\]|$]*$")


def expand(template: str) -> list[str]:
    """Every utterance a template says, in order, without repeats."""
    if not TEMPLATE_TEXT.match(template):
        bad = "".join(sorted(set(re.sub(r"[a-z' .{}A-Z_()\[\]|$]", "", template))))
        raise TemplateError(f"template {template!r} uses {bad!r}: (a|b), [optional], {{slot}}")
    parser = _Parser(template)
    options = parser.alternatives(top=True)
    if parser.at < len(template):
        raise TemplateError(f"unbalanced {template[parser.at]!r} in template {template!r}")
    return _unique(_tidy(option) for option in options)


def expand_all(templates: Iterable[str]) -> list[str]:
    return _unique(text for template in templates for text in expand(template))


def contracted(text: str) -> str:
    """The utterance with every contraction that reads well short spoken short."""
    return _LONG_WORDS.sub(lambda m: _LONG[m.group(1)], text)


def spoken_forms(text: str) -> list[str]:
    """The utterance as written, with every contraction spoken short, and with every one
    spoken long."""
    short = contracted(text)
    long = _SHORT_WORD.sub(lambda m: _SHORT[m.group(1)], text)
    return _unique((text, short, long))


WORD = re.compile(r"<([a-z_]+)>")


@dataclass(frozen=True)
class Carriers:
    """The ways each kind of phrase is said, the fillers that may lead any of them, and the
    shared synonym lists (``<word>``)."""

    kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    fillers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Each filler, and the carriers it may lead."""
    words: Mapping[str, str] = field(default_factory=dict)
    unsaid: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    """``"kind:carrier"``: the phrases that carrier never carries (``"not_with"`` in
    carriers.json), e.g. no "... please" after a question or a statement."""

    @classmethod
    def read(cls, raw: Mapping[str, Any]) -> Carriers:
        kinds: dict[str, tuple[str, ...]] = {}
        for kind, patterns in (raw.get("carriers") or {}).items():
            carried = tuple(expand_all(patterns))
            if not all(PHRASE in pattern for pattern in carried):
                raise TemplateError(f"every {kind!r} carrier must hold {PHRASE!r}")
            kinds[kind] = carried
        words = {str(k): str(v) for k, v in (raw.get("words") or {}).items()}
        fillers = {
            str(filler): frozenset(_leads(leads))
            for filler, leads in (raw.get("fillers") or {}).items()
        }
        unsaid = {
            str(where): re.compile(str(pattern))
            for where, pattern in (raw.get("not_with") or {}).items()
        }
        return cls(kinds, fillers, words, unsaid)

    def with_words(self, words: Mapping[str, str]) -> Carriers:
        """These carriers with a feature file's own synonym lists added."""
        clash = sorted(set(words) & set(self.words))
        if clash:
            raise TemplateError(f"<{clash[0]}> is defined twice")
        return replace(self, words={**self.words, **words})

    def with_fillers(self, extra: Mapping[str, Iterable[str]]) -> Carriers:
        """These carriers with an intent's own fillers added."""
        fillers = dict(self.fillers)
        for filler, leads in extra.items():
            fillers[filler] = fillers.get(filler, frozenset()) | frozenset(_leads(leads))
        return replace(self, fillers=fillers)

    def resolve(self, template: str, depth: int = 0) -> str:
        """The template with every ``<word>`` replaced by its synonym list."""
        if depth > 5:
            raise TemplateError(f"<word> lists nest too deeply in {template!r}")

        def word(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in self.words:
                raise TemplateError(f"unknown <{name}> in template {template!r}")
            return self.resolve(self.words[name], depth + 1)

        return WORD.sub(word, template)

    def expand(self, templates: Iterable[str]) -> list[str]:
        return expand_all(self.resolve(template) for template in templates)

    def carry(self, kind: str, phrase: str, fillers: bool = True) -> list[str]:
        if kind not in self.kinds:
            raise TemplateError(f"no carriers of kind {kind!r} (known: {sorted(self.kinds)})")
        said: list[str] = []
        for carrier in self.kinds[kind]:
            unsaid = self.unsaid.get(f"{kind}:{carrier}")
            if unsaid is not None and unsaid.match(phrase):
                continue
            text = carrier.replace(PHRASE, phrase)
            said.append(_tidy(text))
            if fillers:
                said.extend(
                    _tidy(f"{filler} {text}")
                    for filler, leads in self.fillers.items()
                    if carrier in leads or f"{kind}:{carrier}" in leads
                )
        return _unique(text for text in said if not _says_twice(text) or _says_twice(phrase))


def intent_samples(intent: Mapping[str, Any], carriers: Carriers) -> list[str]:
    """An intent's samples: its plain ones as written, then its templates and phrases."""
    name = intent.get("name", "?")
    plain = [str(sample) for sample in intent.get("samples", [])]
    templates = carriers.expand(intent.get("templates", []))
    built = [form for text in templates for form in spoken_forms(text)]
    own = intent.get("fillers", True)
    use_fillers = own is not False
    if isinstance(own, Mapping):
        carriers = carriers.with_fillers(own)
    every_form = intent.get("long_forms") == "carried"
    for kind, patterns in (intent.get("phrases") or {}).items():
        for phrase in carriers.expand(patterns):
            carried = contracted(phrase)
            for form in spoken_forms(phrase):
                if every_form or form == carried:
                    built.extend(carriers.carry(kind, form, use_fillers))
                else:
                    built.append(form)
    samples = _unique([*plain, *built])
    check_limits(name, samples)
    return samples


def check_limits(name: str, samples: Sequence[str]) -> None:
    long = [sample for sample in samples if len(sample) > SAMPLE_LENGTH]
    if long:
        raise TemplateError(f"{name}: sample longer than {SAMPLE_LENGTH} characters: {long[0]!r}")
    if len(samples) > MAX_SAMPLES_PER_INTENT:
        raise TemplateError(
            f"{name}: {len(samples)} samples, more than the {MAX_SAMPLES_PER_INTENT} we allow"
        )


def _leads(patterns: Iterable[str]) -> Iterator[str]:
    """Carriers a filler leads: ``"can you $"`` in any kind, ``"ask:$"`` in one kind only."""
    for pattern in patterns:
        kind, colon, carrier = pattern.rpartition(":")
        for text in expand(carrier):
            yield f"{kind}{colon}{text}"


_TWICE = re.compile(r"\b(\w+(?: \w+)?) \1\b")
"""A word or two said twice in a row: a carrier's tail the phrase already ends with
("check in tonight tonight", "a bit longer please please")."""


def _says_twice(text: str) -> bool:
    return _TWICE.search(text) is not None


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


class _Parser:
    """Recursive descent over ``(a|b)``, ``[a|b]`` and plain text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def alternatives(self, top: bool = False) -> list[str]:
        options = self.sequence()
        while self.at < len(self.text) and self.text[self.at] == "|":
            if top:
                raise TemplateError(f"'|' outside brackets in template {self.text!r}")
            self.at += 1
            options += self.sequence()
        return options

    def sequence(self) -> list[str]:
        said = [""]
        while self.at < len(self.text) and self.text[self.at] not in "|)]":
            part = self.part()
            said = [f"{left}{right}" for left in said for right in part]
            if len(said) > MAX_EXPANSION:
                raise TemplateError(f"template {self.text!r} says more than {MAX_EXPANSION} things")
        return said

    def part(self) -> list[str]:
        char = self.text[self.at]
        if char in "([":
            close = ")" if char == "(" else "]"
            self.at += 1
            inner = self.alternatives()
            if self.at >= len(self.text) or self.text[self.at] != close:
                raise TemplateError(f"missing {close!r} in template {self.text!r}")
            self.at += 1
            return ["", *inner] if char == "[" else inner
        start = self.at
        while self.at < len(self.text) and self.text[self.at] not in "([|)]":
            self.at += 1
        return [self.text[start : self.at]]
