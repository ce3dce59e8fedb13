"""A timed stretch of audio, as data: spoken cues, sounds and silences.

The speech layer turns a Timeline into an APL-for-audio document; the domain
only says what happens when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cue:
    """A spoken cue, by catalog key. A quiet cue is spoken softly (halfway, ten seconds)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    quiet: bool = False


@dataclass(frozen=True)
class Sound:
    """A named sound (resolved to an Alexa Sound Library id by the speech layer)."""

    name: str


@dataclass(frozen=True)
class Silence:
    ms: int


Segment = Cue | Sound | Silence


@dataclass(frozen=True)
class Timeline:
    segments: tuple[Segment, ...]
    ambience: str | None = None
    """A named quiet background sound mixed under the long silences, or None."""

    @property
    def cue_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.segments if isinstance(s, Cue))
