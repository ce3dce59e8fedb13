"""APL for audio: a Timeline becomes an Alexa.Presentation.APLA.RenderDocument directive.

The document is ``{"type": "APLA", "version": "0.91", "mainTemplate": {"item":
Sequencer}}``. Cues are Speech components (SSML; quiet cues softly), sounds are
Audio components from the Alexa Sound Library (soundbank://, nothing to host),
and waiting is Silence (milliseconds). With a background ambience, each long
Silence becomes a Mixer of the Silence and the ambience, repeated, turned down
and trimmed to the silence (``duration: trimToParent``), so a quiet stretch
never sounds like a device that stopped.

``estimate_ms`` says how long a segment plays, so the domain can keep every
response within Alexa's 240 seconds of audio.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ask_sdk_model.interfaces.alexa.presentation.apla.render_document_directive import (
    RenderDocumentDirective,
)

from skill.content.catalog import Chooser, LocaleCatalog
from skill.domain.timeline import Cue, Segment, Silence, Sound, Timeline

APLA_VERSION = "0.91"
TOKEN = "closer-together-timeline"
LIBRARY = "soundbank://soundlibrary/"


@dataclass(frozen=True)
class LibrarySound:
    """An Alexa Sound Library sound and how long it plays (rounded up)."""

    source: str
    ms: int


SOUNDS: dict[str, LibrarySound] = {
    "start": LibrarySound(LIBRARY + "musical/amzn_sfx_bell_short_chime_02", 2500),
    "end": LibrarySound(LIBRARY + "musical/amzn_sfx_bell_timer_01", 4000),
    "soft": LibrarySound(LIBRARY + "musical/amzn_sfx_bell_short_chime_01", 2500),
}
"""Chimes: their lengths are generous guesses (they only count against the budget)."""
AMBIENCE: dict[str, LibrarySound] = {
    "stream": LibrarySound(LIBRARY + "nature/amzn_sfx_stream_01", 5000),
}
"""Background sounds; ``ms`` a little under the clip's 5.3 s, so the repeats always cover."""
AMBIENCE_VOLUME = "20%"
AMBIENCE_FADE_MS = 2000
AMBIENCE_MIN_MS = 5000
"""Silences shorter than this get no background sound."""

WORD_MS = 420
"""Alexa speaks about 145 words a minute."""
UTTERANCE_MS = 300
BREAK = re.compile(r'<break time="(\d+)ms"/>')
TAG = re.compile(r"<[^>]+>")


def speech_ms(ssml: str) -> int:
    """Roughly how long Alexa takes to say an SSML fragment."""
    pauses = sum(int(ms) for ms in BREAK.findall(ssml))
    words = len(TAG.sub(" ", ssml).split())
    return UTTERANCE_MS + words * WORD_MS + pauses


def estimate_ms(segment: Segment, catalog: LocaleCatalog) -> int:
    """How long a segment plays: silences exactly, speech by its longest variation."""
    if isinstance(segment, Silence):
        return segment.ms
    if isinstance(segment, Sound):
        return SOUNDS[segment.name].ms
    return max(speech_ms(text) for text in catalog.texts(segment.key, segment.params))


def document(
    timeline: Timeline, catalog: LocaleCatalog, chooser: Chooser, lead: str = ""
) -> dict[str, Any]:
    """The APLA document for a timeline, optionally preceded by a lead SSML fragment."""
    ambience = AMBIENCE.get(timeline.ambience) if timeline.ambience else None
    items: list[dict[str, Any]] = []
    if lead:
        items.append(_speech(lead))
    for segment in timeline.segments:
        if isinstance(segment, Cue):
            text = catalog.text(segment.key, segment.params, chooser)
            items.append(
                _speech(f'<prosody volume="soft">{text}</prosody>' if segment.quiet else text)
            )
        elif isinstance(segment, Sound):
            items.append(_audio(SOUNDS[segment.name].source))
        elif ambience is not None and segment.ms >= AMBIENCE_MIN_MS:
            items.append(_under(segment.ms, ambience))
        else:
            items.append(_silence(segment.ms))
    return {
        "type": "APLA",
        "version": APLA_VERSION,
        "mainTemplate": {"parameters": ["payload"], "item": {"type": "Sequencer", "items": items}},
    }


def _speech(ssml_fragment: str) -> dict[str, Any]:
    return {"type": "Speech", "contentType": "SSML", "content": f"<speak>{ssml_fragment}</speak>"}


def _audio(source: str) -> dict[str, Any]:
    return {"type": "Audio", "source": source}


def _silence(ms: int) -> dict[str, Any]:
    return {"type": "Silence", "duration": ms}


def _under(ms: int, ambience: LibrarySound) -> dict[str, Any]:
    """A silence with a quiet ambience looping beneath it, cut off when the silence ends."""
    return {
        "type": "Mixer",
        "items": [
            _silence(ms),
            {
                **_audio(ambience.source),
                "duration": "trimToParent",
                "filter": [
                    {"type": "Repeat", "repeatCount": math.ceil(ms / ambience.ms)},
                    {"type": "FadeIn", "duration": AMBIENCE_FADE_MS},
                    {"type": "Volume", "amount": AMBIENCE_VOLUME},
                ],
            },
        ],
    }


def render_directive(
    timeline: Timeline, catalog: LocaleCatalog, chooser: Chooser, lead: str = ""
) -> RenderDocumentDirective:
    return RenderDocumentDirective(
        token=TOKEN, document=document(timeline, catalog, chooser, lead), datasources={}
    )
