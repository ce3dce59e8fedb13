"""The interaction models, built from one source so the locales cannot drift.

``interaction_models/intents/*.json`` hold the intents and slot types, one file
per feature (core first). An intent lists plain ``samples`` and, optionally, compact
``templates`` and ``phrases`` that ``skill.devtools.templates`` expands with the carriers
of ``interaction_models/carriers.json``. ``build_model(locale)`` assembles a locale's
model and ``closer models`` writes ``interaction_models/<locale>.json`` for every
locale; a test fails if a written file differs from what the source builds.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from skill.devtools.templates import (
    MAX_SAMPLES_PER_MODEL,
    Carriers,
    TemplateError,
    intent_samples,
)
from skill.settings import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "interaction_models"
INVOCATION_NAME = "closer together"
LOCALES: tuple[str, ...] = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
"""Every locale the skill ships in. English locales share one model and one content catalog."""
FIRST = "core.json"
CARRIERS = "carriers.json"
TEMPLATE_KEYS = frozenset({"templates", "phrases", "fillers", "long_forms"})
"""Source-only keys of an intent: expanded into its samples, never written."""


def fragments(models_dir: Path = MODELS_DIR) -> list[dict[str, Any]]:
    paths = sorted((models_dir / "intents").glob("*.json"), key=lambda p: (p.name != FIRST, p.name))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def carriers(models_dir: Path = MODELS_DIR) -> Carriers:
    path = models_dir / CARRIERS
    if not path.exists():
        return Carriers()
    return Carriers.read(json.loads(path.read_text(encoding="utf-8")))


def built_intent(intent: dict[str, Any], with_carriers: Carriers) -> dict[str, Any]:
    """An intent as Alexa takes it: its templates and phrases expanded into samples."""
    written = {key: value for key, value in intent.items() if key not in TEMPLATE_KEYS}
    written["samples"] = intent_samples(intent, with_carriers)
    return written


def build_model(locale: str, models_dir: Path = MODELS_DIR) -> dict[str, Any]:
    intents: list[dict[str, Any]] = []
    types: list[dict[str, Any]] = []
    shared = carriers(models_dir)
    for fragment in fragments(models_dir):
        local = shared.with_words(fragment.get("words", {}))
        intents.extend(built_intent(intent, local) for intent in fragment.get("intents", []))
        types.extend(fragment.get("types", []))
    total = sum(len(intent["samples"]) for intent in intents)
    if total > MAX_SAMPLES_PER_MODEL:
        raise TemplateError(f"{total} samples, more than the {MAX_SAMPLES_PER_MODEL} we allow")
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": INVOCATION_NAME,
                "modelConfiguration": {"fallbackIntentSensitivity": {"level": "LOW"}},
                "intents": intents,
                "types": types,
            }
        }
    }


SAMPLES_LINE = "@samples:{}@"


def render_model(model: dict[str, Any]) -> str:
    """The model as written: indented, with each intent's samples on one line and no space
    between them (a model must stay under a million characters, and thousands of samples read
    no better one a line)."""
    shown = copy.deepcopy(model)
    lines: list[str] = []
    for intent in shown.get("interactionModel", {}).get("languageModel", {}).get("intents", []):
        if intent.get("samples"):
            lines.append(json.dumps(intent["samples"], ensure_ascii=False, separators=(",", ":")))
            intent["samples"] = SAMPLES_LINE.format(len(lines) - 1)
    text = json.dumps(shown, indent=2, ensure_ascii=False)
    for index, line in enumerate(lines):
        text = text.replace(json.dumps(SAMPLES_LINE.format(index)), line, 1)
    return text + "\n"


def model_path(locale: str, models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"{locale}.json"


def write_models(models_dir: Path = MODELS_DIR) -> list[Path]:
    written = []
    for locale in LOCALES:
        path = model_path(locale, models_dir)
        path.write_text(render_model(build_model(locale, models_dir)), encoding="utf-8")
        written.append(path)
    return written


def stale_models(models_dir: Path = MODELS_DIR) -> list[str]:
    """Locales whose written model differs from what the source builds."""
    stale = []
    for locale in LOCALES:
        path = model_path(locale, models_dir)
        expected = render_model(build_model(locale, models_dir))
        if not path.exists() or path.read_text(encoding="utf-8") != expected:
            stale.append(locale)
    return stale


def load_model(locale: str, models_dir: Path = MODELS_DIR) -> dict[str, Any]:
    path = model_path(locale, models_dir)
    if not path.exists():
        path = model_path("en-US", models_dir)
    model = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(model, dict):
        raise ValueError(f"{path} does not hold an interaction model")
    return model
