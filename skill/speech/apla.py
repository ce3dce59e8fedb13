"""APL for audio: a Timeline becomes an Alexa.Presentation.APLA.RenderDocument directive.

Cues are Speech components, sounds are Audio components from the Alexa Sound
Library (soundbank://, nothing to host), and waiting is Silence (milliseconds).
"""

from __future__ import annotations

import random
from typing import Any

from ask_sdk_model.interfaces.alexa.presentation.apla import RenderDocumentDirective

from skill.domain.timeline import Cue, Silence, Sound, Timeline
from skill.speech.catalog import LocaleCatalog

APLA_VERSION = "0.91"
MAX_AUDIO_MS = 240_000
TOKEN = "closer-together-timeline"

SOUNDS: dict[str, str] = {
    "start": "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01",
    "end": "soundbank://soundlibrary/musical/amzn_sfx_bell_timer_01",
    "soft": "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_02",
}


def document(
    timeline: Timeline, catalog: LocaleCatalog, rng: random.Random, lead: str = ""
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    if lead:
        items.append(_speech(lead))
    for segment in timeline.segments:
        if isinstance(segment, Cue):
            items.append(_speech(catalog.text(segment.key, segment.params, rng)))
        elif isinstance(segment, Sound):
            items.append({"type": "Audio", "source": SOUNDS[segment.name]})
        elif isinstance(segment, Silence):
            items.append({"type": "Silence", "duration": segment.ms})
    return {
        "type": "APLA",
        "version": APLA_VERSION,
        "mainTemplate": {"parameters": ["payload"], "item": {"type": "Sequencer", "items": items}},
    }


def _speech(ssml_fragment: str) -> dict[str, Any]:
    return {"type": "Speech", "contentType": "SSML", "content": f"<speak>{ssml_fragment}</speak>"}


def render_directive(
    timeline: Timeline, catalog: LocaleCatalog, rng: random.Random, lead: str = ""
) -> RenderDocumentDirective:
    return RenderDocumentDirective(
        token=TOKEN, document=document(timeline, catalog, rng, lead), datasources={}
    )
