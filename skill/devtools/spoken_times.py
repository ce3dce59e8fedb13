"""Times and lengths of time as people say them, resolved the way Alexa fills AMAZON.TIME
(``21:00``, ``09:30``) and AMAZON.DURATION (``PT30M``, ``PT1H30M``) slots.

The local matcher (``nlu.py``) uses the patterns to find such a slot in a typed utterance
and the readers to fill in the value Alexa would send. Words like "nine" without "p.m." are
left as Alexa leaves them (``09:00``); the skill decides what they mean.
"""

from __future__ import annotations

import re

from skill.domain.alerts import iso_minutes

UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
WORDS: dict[str, int] = {
    **{word: index + 1 for index, word in enumerate(UNITS)},
    **{word: index + 10 for index, word in enumerate(TEENS)},
    **TENS,
    **{
        f"{ten} {unit}": value + index + 1
        for ten, value in TENS.items()
        for index, unit in enumerate(UNITS)
    },
}
"""Number words from one to fifty-nine."""


def _words(limit: int) -> str:
    names = sorted((w for w, v in WORDS.items() if v <= limit), key=len, reverse=True)
    return "|".join(re.escape(name) for name in names)


HOUR = rf"(?:\d{{1,2}}|{_words(12)})"
MINUTE = rf"(?:\d{{2}}|oh (?:{'|'.join(UNITS)})|{_words(59)})"
SUFFIX = r"(?:a\s?m|p\s?m|in the evening|in the morning|at night|tonight)"
TIME_PATTERN = (
    rf"(?:(?:half|quarter) past {HOUR}|quarter to {HOUR}|{HOUR}(?: {MINUTE})?(?: o'clock)?"
    rf"|noon|midnight)(?:\s?{SUFFIX})?"
)
COUNT = rf"(?:\d{{1,3}}|an|a|{_words(59)})"
DURATION_PATTERN = (
    rf"(?:half an hour|a quarter of an hour|{COUNT} and a half hours?"
    rf"|{COUNT} hours?(?: and (?:a half|{COUNT} minutes?))?|{COUNT} minutes?)"
)


def number(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text in ("a", "an"):
        return 1
    if text.startswith("oh "):
        text = text[3:]
    return WORDS.get(text)


def alexa_time(spoken: str) -> str | None:
    """``nine thirty`` -> ``09:30``; ``eight pm`` -> ``20:00``; ``half past nine`` -> ``09:30``."""
    text = spoken.strip()
    suffix = re.search(rf"\s?{SUFFIX}$", text)
    evening = bool(suffix and re.search(r"p\s?m|evening|night|tonight", suffix.group(0)))
    text = text[: suffix.start()].strip() if suffix else text
    text = text.removesuffix(" o'clock")
    if text in ("noon", "midnight"):
        return "12:00" if text == "noon" else "00:00"
    hour, minute = _clock(text)
    if hour is None or minute is None or hour > 23 or minute > 59:
        return None
    if evening and hour < 12:
        hour += 12
    return f"{hour:02d}:{minute:02d}"


def _clock(text: str) -> tuple[int | None, int | None]:
    for lead, minutes in (("half past ", 30), ("quarter past ", 15)):
        if text.startswith(lead):
            return number(text[len(lead) :]), minutes
    if text.startswith("quarter to "):
        hour = number(text[len("quarter to ") :])
        return (None if hour is None else (hour - 1) % 24), 45
    words = text.split(" ", 1)
    if len(words) == 1:
        return number(words[0]), 0
    found = re.match(rf"^({HOUR}) ({MINUTE})$", text)
    if not found:
        return None, None
    return number(found.group(1)), number(found.group(2))


def alexa_duration(spoken: str) -> str | None:
    """``half an hour`` -> ``PT30M``; ``an hour and a half`` -> ``PT1H30M``."""
    text = spoken.strip()
    minutes = _minutes(text)
    return iso_minutes(minutes) if minutes is not None and minutes > 0 else None


def _minutes(text: str) -> int | None:
    if text == "half an hour":
        return 30
    if text == "a quarter of an hour":
        return 15
    found = re.match(rf"^({COUNT}) and a half hours?$", text)
    if found:
        count = number(found.group(1))
        return None if count is None else count * 60 + 30
    found = re.match(rf"^({COUNT}) hours?(?: and (a half|({COUNT}) minutes?))?$", text)
    if found:
        hours = number(found.group(1))
        extra = 30 if found.group(2) == "a half" else number(found.group(3) or "0") or 0
        return None if hours is None else hours * 60 + extra
    found = re.match(rf"^({COUNT}) minutes?$", text)
    return number(found.group(1)) if found else None
