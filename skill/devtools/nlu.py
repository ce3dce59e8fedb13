"""Resolve typed utterances to intents and slots from the interaction model itself.

This stands in for Alexa's language understanding in ``closer chat``, ``closer
say`` and the tests: every custom phrase the skill understands comes from the
model's sample utterances and slot values, so the model is the one source of
truth. Built-in AMAZON intents have no samples in a model; the short phrase list
below stands in for Alexa's own coverage of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from skill.devtools.loosen import Nearest, loosened, spelled
from skill.devtools.spoken_times import (
    DURATION_PATTERN,
    TIME_PATTERN,
    WORDS,
    alexa_duration,
    alexa_time,
)

BUILT_IN_PHRASES: Mapping[str, tuple[str, ...]] = {
    "AMAZON.HelpIntent": ("help", "help me", "what can i say", "what can i do", "what can you do"),
    "AMAZON.StopIntent": ("stop", "quit", "exit", "goodbye", "bye", "that's all"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "forget it"),
    "AMAZON.YesIntent": (
        "yes",
        "yeah",
        "yep",
        "sure",
        "okay",
        "ok",
        "yes please",
        "please do",
        "that's right",
        "correct",
    ),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "not now", "no thank you", "not really"),
    "AMAZON.RepeatIntent": (
        "repeat",
        "repeat that",
        "say that again",
        "what did you say",
        "come again",
        "can you repeat that",
    ),
    "AMAZON.NavigateHomeIntent": ("go home", "home", "main menu"),
    "AMAZON.PauseIntent": ("pause", "hold on", "wait"),
    "AMAZON.ResumeIntent": ("resume", "continue", "carry on", "keep going"),
    "AMAZON.NextIntent": ("next",),
    "AMAZON.PreviousIntent": ("previous", "go back"),
    "AMAZON.StartOverIntent": ("start over", "restart"),
    "AMAZON.MoreIntent": ("more",),
}

FALLBACK = "AMAZON.FallbackIntent"
NUMBER_WORDS = {"zero": 0, **{word: n for word, n in WORDS.items() if n <= 20}}
"""The numbers a bare count is heard as: zero to twenty."""
NUMBER = r"\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
OPEN_SLOT = r"[a-z0-9'][a-z0-9' ]*?"
NOT_NAMES = frozenset(
    [
        "here",
        "ready",
        "done",
        "set",
        "fine",
        "good",
        "okay",
        "ok",
        "back",
        "home",
        "finished",
        "there",
        "together",
        "both",
        "all",
        "sure",
        "yes",
        "no",
        "not",
        "just",
        "only",
        "now",
        "still",
        "already",
        "in",
        "out",
        "on",
        "off",
        "up",
        "down",
        "over",
        "through",
        "listening",
        "talking",
        "waiting",
        "trying",
        "going",
        "staying",
        "sitting",
        "tired",
        "busy",
        "free",
        "the",
        "a",
        "an",
        "us",
        "we",
        "you",
        "me",
        "them",
        "him",
        "her",
        "it",
        "this",
        "that",
        "what",
        "who",
    ]
)
"""Everyday words Alexa's first-name slot would not take as a name ("we're here and ready")."""
FIRST_NAME = r"[a-z][a-z'-]*"
LAUNCH_VERBS = (
    "open", "launch", "start", "begin", "talk to", "use", "load", "run", "resume", "play",
)  # fmt: skip
"""Words that open a skill: "open Closer Together", "open Closer Together and ..."."""
ASK_VERBS = ("ask", "tell")
CONNECTORS = ("to", "for", "about", "if", "whether", "that")
"""What may join "ask/tell <name>" to the request; Alexa leaves it out of the utterance."""
LEADS = ("can you", "could you", "please", "let's", "i want to", "i wanna", "i'd like to")
"""Words Alexa lets a user put before the whole invocation ("can you ask Closer Together...")."""
TAIL_WORDS = ("from", "using", "with", "in", "on")
"""The request said first: "give us tonight's question from Closer Together"."""


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words)


def invocation_patterns(invocation: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Alexa's documented invocation phrases, as (plain launch, launch with a request)."""
    name = r"(?:the\s+)?" + re.escape(invocation).replace(r"\ ", r"\s+")
    lead = rf"(?:(?:{_alternatives(LEADS)})\s+)?"
    verbs = _alternatives(LAUNCH_VERBS + ASK_VERBS)
    launch = re.compile(rf"^{lead}(?:(?:{verbs})\s+)?{name}(?:\s+please)?$")
    forms = (
        rf"(?:{_alternatives(ASK_VERBS)})\s+{name}\s+(?P<ask>.+)",
        rf"(?:{_alternatives(LAUNCH_VERBS)})\s+{name}\s+(?:and|to)\s+(?P<and>.+)",
        rf"(?P<tail>.+?)\s+(?:{_alternatives(TAIL_WORDS)})\s+{name}",
    )
    request = re.compile(rf"^{lead}(?:{'|'.join(forms)})$")
    return launch, request


def requests_in(found: re.Match[str]) -> list[str]:
    """What the request part of an invocation may be, most likely first: the words after
    a connecting word, then the words with it (a sample may start with "for" too)."""
    rest = found.group("ask")
    if rest is None:
        return [found.group("and") or found.group("tail")]
    first, _, after = rest.partition(" ")
    return [after, rest] if first in CONNECTORS and after else [rest]


SPOKEN_PATTERNS = {"AMAZON.TIME": TIME_PATTERN, "AMAZON.DURATION": DURATION_PATTERN}
SPOKEN_PATTERNS_COMPILED = {name: re.compile(p) for name, p in SPOKEN_PATTERNS.items()}
SPOKEN_READERS = {"AMAZON.TIME": alexa_time, "AMAZON.DURATION": alexa_duration}
"""Built-in slot types Alexa resolves to a value: typed words become that value."""


_NOT_SPOKEN = re.compile(r"[^a-z0-9' ]+")
_WAKE_WORD = re.compile(r"^alexa\s+")


def normalize(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _NOT_SPOKEN.sub(" ", text)
    text = _WAKE_WORD.sub("", " ".join(text.split()))
    return spelled(text.strip())


@dataclass(frozen=True)
class Understood:
    """What Alexa would send: a launch, or an intent with slots (Alexa's JSON shape)."""

    intent: str | None
    slots: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    launch: bool = False
    one_shot: bool = False
    invoked: bool = False
    """The utterance named the skill (a new session starts)."""


@dataclass
class _Sample:
    """A sample with slots: its pattern is compiled the first time an utterance holds all
    of its own words (most samples never need compiling, and building stays quick)."""

    intent: str
    source: str
    slot_types: Mapping[str, str]
    literal: int
    words: tuple[str, ...]
    compiled: re.Pattern[str] | None = None

    def match(self, said: str) -> re.Match[str] | None:
        if not all(word in said for word in self.words):
            return None
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return self.compiled.match(said)


class Utterances:
    def __init__(self, model: Mapping[str, Any]) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalize(language["invocationName"])
        self.values: dict[str, dict[str, tuple[str, str]]] = {}
        for slot_type in language.get("types", []):
            synonyms: dict[str, tuple[str, str]] = {}
            for value in slot_type.get("values", []):
                name = value["name"]["value"]
                ident = value.get("id") or name
                for spoken in (name, *value["name"].get("synonyms", [])):
                    synonyms[normalize(spoken)] = (ident, name)
            self.values[slot_type["name"]] = synonyms
        self.intents = {intent["name"] for intent in language["intents"]}
        self.literal: dict[str, str] = {}
        """Samples without slots, by their words: an exact match wins at once."""
        self.samples: list[_Sample] = []
        for intent in language["intents"]:
            slot_types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            samples = list(intent.get("samples", []))
            samples += list(BUILT_IN_PHRASES.get(intent["name"], ()))
            for sample in samples:
                if "{" in sample:
                    self.samples.append(self._compile(intent["name"], sample, slot_types))
                else:
                    self.literal.setdefault(normalize(sample), intent["name"])
        self.samples.sort(key=lambda s: (-s.literal,))
        self.launch, self.request = invocation_patterns(self.invocation)

    @cached_property
    def nearest(self) -> Nearest:
        """The samples without slots by their content words, built when first needed."""
        return Nearest.of(self.literal)

    def _compile(self, intent: str, sample: str, slot_types: Mapping[str, str]) -> _Sample:
        parts = re.split(r"(\{[A-Za-z_]+\})", sample)
        regex, literal, own = [], 0, []
        for part in parts:
            if part.startswith("{") and part.endswith("}"):
                name = part[1:-1]
                regex.append(f"(?P<{name}>{self._slot_pattern(slot_types.get(name, ''))})")
            else:
                words = normalize(part)
                literal += len(words)
                own.append(words)
                if words:
                    lead = r"\s*" if part[:1].isspace() or not regex else ""
                    tail = r"\s*" if part[-1:].isspace() else ""
                    regex.append(lead + re.escape(words) + tail)
                elif part:
                    regex.append(r"\s+")
        source = "^" + "".join(regex).replace(r"\ ", r"\s+") + "$"
        return _Sample(intent, source, slot_types, literal, tuple(w for w in own if w))

    def _slot_pattern(self, slot_type: str) -> str:
        """A slot's words in a sample's pattern. Slot types with a list of values, times and
        lengths of time match any words here and are checked after the match (``_fits``):
        one small pattern per sample instead of every value spelled out in each."""
        if slot_type == "AMAZON.NUMBER":
            return NUMBER
        if slot_type == "AMAZON.FirstName":
            return FIRST_NAME
        return OPEN_SLOT

    def _fits(self, slot_type: str, spoken: str) -> bool:
        """Whether Alexa would fill a slot of this type with these words."""
        if slot_type in self.values:
            return spoken in self.values[slot_type]
        if slot_type in SPOKEN_PATTERNS:
            return SPOKEN_PATTERNS_COMPILED[slot_type].fullmatch(spoken) is not None
        if slot_type == "AMAZON.FirstName":
            return spoken not in NOT_NAMES and spoken not in NUMBER_WORDS and not spoken.isdigit()
        return True

    def understand(self, text: str, strict: bool = False) -> Understood:
        """What Alexa would hear. ``strict`` takes only the samples as written (with slot
        values filled), as a nearly word-for-word resolver would: no loosened forms and no
        nearest-sample guesses."""
        said = normalize(text)
        if self.launch.match(said):
            return Understood(intent=None, launch=True, invoked=True)
        match = self._as_said if strict else self._match
        invoked = self.request.match(said)
        if invoked is None:
            intent, slots = match(said)
            return Understood(intent, slots)
        for request in requests_in(invoked):
            intent, slots = match(request)
            if intent != FALLBACK:
                break
        return Understood(intent, slots, one_shot=True, invoked=True)

    def _match(self, said: str) -> tuple[str, dict[str, dict[str, Any]]]:
        """As said; else without its carrier words (``skill.devtools.loosen``); else two
        requests of one intent said together ("yeah okay"); else the one intent with a
        sample close enough to the words said; else the fallback."""
        forms = [said, *loosened(said)]
        for form in forms:
            found = self._as_said(form)
            if found[0] != FALLBACK:
                return found
        near = self._twice(said) or self.nearest.intent(said) or self.nearest.intent(forms[-1])
        return (near, {}) if near else (FALLBACK, {})

    def _loosely(self, said: str) -> str:
        """The intent of samples without slots the words reach as said or loosened."""
        for form in (said, *loosened(said)):
            if form in self.literal:
                return self.literal[form]
        return FALLBACK

    def _twice(self, said: str) -> str | None:
        """The intent both halves of the utterance reach on their own, if one does."""
        words = said.split()
        for cut in range(1, len(words)):
            first = self._loosely(" ".join(words[:cut]))
            if first != FALLBACK and self._loosely(" ".join(words[cut:])) == first:
                return first
        return None

    def _as_said(self, said: str) -> tuple[str, dict[str, dict[str, Any]]]:
        if said in self.literal:
            return self.literal[said], {}
        for sample in self.samples:
            found = sample.match(said)
            if found and all(
                self._fits(sample.slot_types.get(name, ""), value)
                for name, value in found.groupdict().items()
            ):
                return sample.intent, {
                    name: self._slot(name, sample.slot_types.get(name, ""), value)
                    for name, value in found.groupdict().items()
                }
        return FALLBACK, {}

    def _slot(self, name: str, slot_type: str, spoken: str) -> dict[str, Any]:
        slot: dict[str, Any] = {"name": name, "value": spoken, "confirmationStatus": "NONE"}
        if slot_type == "AMAZON.NUMBER":
            slot["value"] = str(NUMBER_WORDS.get(spoken, spoken))
        elif slot_type == "AMAZON.FirstName":
            slot["value"] = spoken.capitalize()
        elif slot_type in SPOKEN_READERS:
            slot["value"] = SPOKEN_READERS[slot_type](spoken) or "?"
        elif slot_type in self.values and spoken in self.values[slot_type]:
            ident, canonical = self.values[slot_type][spoken]
            slot["resolutions"] = {
                "resolutionsPerAuthority": [
                    {
                        "authority": f"amzn1.er-authority.echo-sdk.closer-together.{slot_type}",
                        "status": {"code": "ER_SUCCESS_MATCH"},
                        "values": [{"value": {"name": canonical, "id": ident}}],
                    }
                ]
            }
        return slot
