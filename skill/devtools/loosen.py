"""What is left of an utterance once the words that only carry a request are set aside.

Alexa's language understanding generalises past the sample utterances: "um, could you
give us a question for tonight please" reaches the intent whose sample is "give us a
question". The local matcher (``skill.devtools.nlu``) does the same, conservatively:
when nothing matches as said, it tries the utterance without its carrier words (a filler,
a polite lead, a trailing "please" or "for us"), one by one and then together, and takes
the first form that matches a sample word for word. Only words that never change what
is asked for are set aside ("again" and "today" stay: "start the plan again" is not
"start the plan"). ``nearest`` then looks for one sample close enough to the words left,
and only when no other intent's sample comes close.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

FILLERS: tuple[str, ...] = (
    "um", "uh", "er", "erm", "hmm", "okay", "ok", "alright", "all right", "so", "well", "oh",
    "hey", "right", "actually", "and", "just", "now", "sorry", "hi",
)  # fmt: skip
"""Words said before a request that say nothing of it."""
LEADS: tuple[str, ...] = (
    "please", "can you please", "could you please", "would you please", "can you", "could you",
    "would you", "will you", "would you mind", "can we please", "can we", "could we", "may we",
    "we'd like to", "we would like to", "i'd like to", "i would like to", "we'd love to",
    "i'd love to", "we would love to", "we want to", "i want to", "we wanna", "i wanna",
    "we need to", "i need to", "we'd like you to", "i'd like you to", "let's", "let us",
    "we think", "i think", "we're looking for", "we are looking for", "i'm looking for",
    "do you have", "have you got", "you got", "got", "we'd like", "we would like", "i'd like",
    "we'd love", "i'd love", "we want", "i want", "we fancy", "i fancy", "is it possible to",
    "is there any chance we could", "we were wondering if you could", "do you know",
    "any chance", "maybe", "i guess", "how about", "what about", "i'd say", "we'd say",
    "i was wondering if you could",
)  # fmt: skip
"""Polite and statement leads: what follows is the request itself."""
TAILS: tuple[str, ...] = (
    "please", "for us", "for me", "thanks", "thank you", "now", "right now", "then", "tonight",
    "for tonight", "closer together", "if you can", "if you could", "if that's okay",
    "if that's ok", "with us", "for us please", "please thanks", "this evening", "for a bit",
    "if possible", "okay", "ok", "alright", "for the two of us", "for both of us", "then please",
)  # fmt: skip
"""Words said after a request that say nothing of it."""
SPELLINGS: Mapping[str, str] = {
    "programme": "program",
    "programmes": "programs",
    "counsellor": "counselor",
    "counsellors": "counselors",
    "counselling": "counseling",
    "practise": "practice",
    "practising": "practicing",
}
"""British and American spellings of one word, heard as one."""
MOST_FORMS = 40
"""How many loosened forms to try at most (a guard on long utterances)."""


_LEADS = tuple(f"{word} " for word in FILLERS + LEADS)
_TAILS = tuple(f" {word}" for word in TAILS)
_SPELLING = re.compile(r"\b(" + "|".join(map(re.escape, SPELLINGS)) + r")\b")


def spelled(said: str) -> str:
    """One spelling for words spelt two ways."""
    return _SPELLING.sub(lambda found: SPELLINGS[found.group(1)], said)


def loosened(said: str) -> Iterator[str]:
    """The utterance with its carrier words set aside, fewest set aside first (not itself)."""
    seen = {said}
    frontier = [said]
    while frontier and len(seen) <= MOST_FORMS:
        following: list[str] = []
        for form in frontier:
            for rest in _shorter(form):
                if rest not in seen:
                    seen.add(rest)
                    following.append(rest)
                    yield rest
        frontier = following


def _shorter(form: str) -> Iterator[str]:
    """The form without one lead or one tail, each way it has one."""
    yield from (form[len(lead) :] for lead in _LEADS if form.startswith(lead))
    yield from (form[: -len(tail)] for tail in _TAILS if form.endswith(tail))


STOP_WORDS = frozenset(
    {"the", "a", "an", "us", "me", "we", "i", "our", "my", "to", "of", "is", "are", "it", "do"}
)
"""Words too common to tell intents apart by."""
WEIGHTY = frozenset(
    {
        "not", "no", "don't", "didn't", "isn't", "aren't", "won't", "can't", "never", "nothing",
        "without", "yet", "off", "on", "stop", "again", "over", "back", "next", "last",
        "previous", "another", "different", "more", "less", "skip", "start", "restart", "this",
        "today", "tonight", "week", "morning", "daily", "weekly", "question", "help", "safe",
        "begin", "time", "one",
    }
)  # fmt: skip
"""Words that change what is asked for, however common: never left out or added."""
LIGHT_SHARE = 0.15
"""A word in the samples of at least this share of the intents tells none of them apart."""


@dataclass(frozen=True)
class Nearest:
    """Samples without slots, by their content words, to find the one closest to words said.

    An utterance reaches a sample's intent only when the two differ by one light word, left
    out or added (a word heard across many intents, never one of ``WEIGHTY``: "start the
    plan over" is not "start the plan"), never by a word swapped ("go on to next week" is
    not "go on to the next question"); when samples of two intents come that close,
    neither is taken."""

    samples: Mapping[frozenset[str], str]
    light: frozenset[str]

    @classmethod
    def of(cls, literal: Mapping[str, str]) -> Nearest:
        samples: dict[frozenset[str], str] = {}
        clashes: set[frozenset[str]] = set()
        owners: dict[str, set[str]] = {}
        for text, intent in literal.items():
            words = content(text)
            for word in words:
                owners.setdefault(word, set()).add(intent)
            if len(words) >= 2 and samples.setdefault(words, intent) != intent:
                clashes.add(words)
        least = LIGHT_SHARE * len(set(literal.values()))
        light = frozenset(w for w, of in owners.items() if len(of) >= least) - WEIGHTY
        kept = {words: intent for words, intent in samples.items() if words not in clashes}
        return cls({words: intent for words, intent in kept.items() if len(words) >= 2}, light)

    def intent(self, said: str) -> str | None:
        words = content(said)
        if len(words) < 3:
            return None
        found = set()
        for sample, intent in self.samples.items():
            apart = words ^ sample
            if len(apart) == 1 and apart <= self.light:
                found.add(intent)
        return found.pop() if len(found) == 1 else None


def content(text: str) -> frozenset[str]:
    return frozenset(word for word in text.split() if word not in STOP_WORDS)
