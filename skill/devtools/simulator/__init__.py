"""A browser simulator of an Echo (with or without a screen), served by ``closer serve --dev``.

``register(app)`` adds, to the same Flask app that answers ``POST /alexa``:

- ``GET /simulator``: the page (static files in ``static/``, no build step, nothing
  fetched from elsewhere);
- ``POST /simulator/understand``: typed or spoken words to a launch, an intent and
  slots, by the project's own matcher over the interaction model (``skill.nlu``);
- ``GET /simulator/config``: the locales, and the timing the skill estimates audio
  with, so the page plays each response's APL-for-audio timeline as the skill
  planned it;
- ``GET /simulator/api/v2/devices/<id>/settings/System.timeZone``: a stand-in for
  Alexa's Settings API, answering the zone the page's envelope asked for.

The page builds request envelopes as Alexa would and POSTs them to ``/alexa``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, jsonify, request, send_from_directory

from skill.devtools.conversation import APPLICATION_ID
from skill.devtools.models import LOCALES, load_model
from skill.devtools.nlu import Utterances
from skill.domain.clock import zone_or_none
from skill.speech.apla import AMBIENCE, SOUNDS, UTTERANCE_MS, WORD_MS

STATIC = Path(__file__).resolve().parent / "static"
TOKEN_PREFIX = "simulator:"
MAX_UTTERANCE = 500
ALEXA_AUDIO_LIMIT_MS = 240_000
"""Alexa plays at most 240 s of audio in one response."""


@functools.cache
def utterances(locale: str) -> Utterances:
    return Utterances(load_model(locale))


def understood(text: str, locale: str) -> dict[str, Any]:
    """What Alexa would make of the words: a launch, or an intent with slots."""
    found = utterances(locale if locale in LOCALES else "en-US").understand(text)
    return {
        "launch": found.launch,
        "intent": found.intent,
        "slots": dict(found.slots),
        "invoked": found.invoked,
        "oneShot": found.one_shot,
    }


def timing() -> dict[str, Any]:
    """How the skill estimates audio length (skill.speech.apla), for the page's player."""
    sounds = {sound.source: sound.ms for sound in (*SOUNDS.values(), *AMBIENCE.values())}
    return {
        "wordMs": WORD_MS,
        "utteranceMs": UTTERANCE_MS,
        "sounds": sounds,
        "maxAudioMs": ALEXA_AUDIO_LIMIT_MS,
    }


def blueprint() -> Blueprint:
    pages = Blueprint(
        "simulator",
        __name__,
        url_prefix="/simulator",
        static_folder=str(STATIC),
        static_url_path="/static",
    )

    @pages.get("")
    def page() -> Response:
        return send_from_directory(STATIC, "index.html")

    @pages.post("/understand")
    def understand() -> Response:
        body = request.get_json(silent=True) or {}
        text, locale = body.get("text"), body.get("locale", "en-US")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_UTTERANCE:
            abort(400, "text must be a short non-empty string")
        return jsonify(understood(text, str(locale)))

    @pages.get("/config")
    def config() -> Response:
        return jsonify(locales=list(LOCALES), timing=timing(), applicationId=APPLICATION_ID)

    @pages.get("/api/v2/devices/<device_id>/settings/System.timeZone")
    def time_zone(device_id: str) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        zone = token.removeprefix(TOKEN_PREFIX) if token.startswith(TOKEN_PREFIX) else ""
        if zone_or_none(zone) is None:
            abort(404)
        return jsonify(zone)

    return pages


def register(app: Flask) -> None:
    """Serve the simulator from ``app`` (development only: ``closer serve --dev``)."""
    app.register_blueprint(blueprint())
