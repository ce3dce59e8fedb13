"""What a response sounds like: its parts in order, when each starts and how long it plays.

A response plays its ``outputSpeech`` and then each APL-for-audio document. Lengths
follow the skill's own rules in ``skill.speech.apla``: speech by its words
(``speech_ms``), a Silence exactly, a Sound Library sound by its listed length, a
Sequencer as the sum of its children and a Mixer as its longest child (a sound trimmed
to its parent never makes the parent longer). The terminal simulator uses this to know
when a device would open its microphone again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skill.speech.apla import AMBIENCE, SOUNDS, speech_ms

BREAK = re.compile(r'<break (?:time="(\d+)(ms|s)"|strength="\w+")\s*/>')
TAG = re.compile(r"<[^>]+>")
LENGTHS = {sound.source: sound.ms for sound in (*SOUNDS.values(), *AMBIENCE.values())}
UNKNOWN_SOUND_MS = max(LENGTHS.values())
"""A sound the library table does not list is counted as long as the longest one that it does."""


def ssml_to_text(ssml: str) -> str:
    def pause(found: re.Match[str]) -> str:
        if found.group(1) is None:
            return " "
        ms = int(found.group(1)) * (1 if found.group(2) == "ms" else 1000)
        return f" [pause {ms / 1000:g}s] " if ms >= 1000 else " "

    text = TAG.sub("", BREAK.sub(pause, ssml))
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def clock_text(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


@dataclass(frozen=True)
class Part:
    """One thing a person hears: words, a sound or a silence, and when it plays."""

    text: str
    at_ms: int
    """When it starts, in milliseconds from the start of the response."""
    ms: int

    @property
    def end_ms(self) -> int:
        return self.at_ms + self.ms


def speech_part(ssml: str, at_ms: int = 0) -> Part:
    return Part(ssml_to_text(ssml), at_ms, speech_ms(ssml))


def component_parts(item: Mapping[str, Any], at_ms: int = 0) -> list[Part]:
    """One APLA component as the parts it plays, from ``at_ms`` on."""
    kind = item.get("type")
    if kind == "Speech":
        return [speech_part(str(item.get("content", "")), at_ms)]
    if kind == "Silence":
        ms = int(item.get("duration", 0))
        return [Part(f"[silence {clock_text(ms)}]", at_ms, ms)]
    if kind == "Audio":
        return [_sound(str(item.get("source", "")), at_ms)]
    if kind == "Mixer":
        return [_together(item.get("items", []), at_ms)]
    if kind == "Sequencer":
        return _in_turn(item.get("items", []), at_ms)
    if kind == "Selector" and item.get("items"):
        return component_parts(item["items"][0], at_ms)
    return []


def document_parts(document: Mapping[str, Any], at_ms: int = 0) -> list[Part]:
    template = document.get("mainTemplate") or {}
    return component_parts(template["item"], at_ms) if "item" in template else []


def response_parts(response: Mapping[str, Any]) -> list[Part]:
    """Everything a response plays, in order: its speech, then its audio documents."""
    parts: list[Part] = []
    ssml = str((response.get("outputSpeech") or {}).get("ssml", ""))
    if ssml:
        parts.append(speech_part(ssml))
    for directive in response.get("directives") or []:
        if directive.get("type") == "Alexa.Presentation.APLA.RenderDocument":
            parts += document_parts(directive["document"], length_ms(parts))
    return parts


def length_ms(parts: list[Part]) -> int:
    return max((part.end_ms for part in parts), default=0)


def _sound(source: str, at_ms: int) -> Part:
    name = "chime" if ("chime" in source or "bell" in source) else "sound"
    ms = LENGTHS.get(source, UNKNOWN_SOUND_MS)
    return Part(f"[{name}: {source.rsplit('/', 1)[-1]}]", at_ms, ms)


def _in_turn(items: list[Mapping[str, Any]], at_ms: int) -> list[Part]:
    parts: list[Part] = []
    for child in items:
        parts += component_parts(child, max(at_ms, length_ms(parts)))
    return parts


def _together(items: list[Mapping[str, Any]], at_ms: int) -> Part:
    heard = [(child, component_parts(child, at_ms)) for child in items]
    ms = max((length_ms(parts) - at_ms for child, parts in heard if not _trimmed(child)), default=0)
    texts = [part.text for _, parts in heard for part in parts]
    return Part("[together: " + " | ".join(texts) + "]", at_ms, ms)


def _trimmed(item: Mapping[str, Any]) -> bool:
    return item.get("duration") == "trimToParent"
