"""How alike two questions are in meaning: shared content words, stemmed, synonyms folded.

Used at load to refuse a question bank that asks the same thing twice in other words,
and by the bank's own tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

COMMON_WORDS = """
    a about after again all also always am an and any anyone anything are as at be because
    been before being between both but by can could did do does doing done each either else
    even ever every for from get gets getting go goes going got had has have having he her
    here him his how i if in into is it its just least less let like lot made make makes
    making many me more most much my never no nobody none not nothing now of off often on
    once one only or other others our ours out over own quite rather really recently lately
    right she should so some someone something sometimes still such than that the their them
    then there these they thing things this those through to today tonight too toward
    towards under until up upon us usually very was way ways we were what whatever when where
    which while who whom whose why will with without would yet you your yours yourself
    each other take takes took tell telling told say says said name naming share sharing
    turns turn think
    """
STOP_WORDS = frozenset(COMMON_WORDS.split())
SYNONYMS = {
    "little": "small",
    "tiny": "small",
    "glad": "happy",
    "favourite": "favorite",
    "laughed": "laugh",
    "felt": "feel",
    "kept": "keep",
    "gave": "give",
    "grew": "grow",
    "grown": "grow",
    "saw": "see",
    "seen": "see",
    "knew": "know",
    "known": "know",
    "wished": "wish",
    "learnt": "learn",
    "thankful": "grateful",
    "worries": "worry",
    "worried": "worry",
    "kids": "child",
    "kid": "child",
    "children": "child",
    "childhood": "child",
    "home": "house",
}
SUFFIXES = ("ingly", "ing", "edly", "ed", "ies", "es", "ly", "s")
CONTRACTIONS = re.compile(r"'(?:s|ve|re|ll|d|m|t)$|n't$")
SIMILAR = 0.5
"""Jaccard on content words at or above which two questions count as the same question."""
CONTAINED = 0.8
"""Share of the shorter question's content words, found in the longer, that flags a pair."""


def stem(word: str) -> str:
    word = SYNONYMS.get(word, word)
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("i"):
        word = word[:-1] + "y"
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def content_words(text: str) -> frozenset[str]:
    """The words that carry a question's meaning, lower-cased, stemmed, synonyms folded."""
    found: set[str] = set()
    for raw in words_of(text):
        word = CONTRACTIONS.sub("", raw).strip("'")
        if word and word not in STOP_WORDS:
            found.add(stem(word))
    return frozenset(found)


def likeness(a: frozenset[str], b: frozenset[str]) -> float:
    """How alike two sets of content words are: Jaccard, or a damped containment if larger."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    jaccard = shared / len(a | b)
    shorter = min(len(a), len(b))
    contained = shared / shorter if shorter >= 3 else 0.0
    return max(jaccard, contained * SIMILAR / CONTAINED)


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def similarity(first: str, second: str) -> float:
    return likeness(content_words(first), content_words(second))


def near_duplicates(texts: Mapping[str, str]) -> Iterator[tuple[str, str, float]]:
    """Every pair of texts alike enough to count as one question asked twice.

    Only pairs that share a content word can be alike, so each text is compared with those
    (found through an index of words) rather than with every other text."""
    words = {ident: content_words(text) for ident, text in texts.items()}
    ids = list(words)
    index: dict[str, list[int]] = {}
    for n, ident in enumerate(ids):
        for word in words[ident]:
            index.setdefault(word, []).append(n)
    for n, one in enumerate(ids):
        later = sorted({m for word in words[one] for m in index[word] if m > n})
        for m in later:
            score = likeness(words[one], words[ids[m]])
            if score >= SIMILAR:
                yield one, ids[m], round(score, 2)
