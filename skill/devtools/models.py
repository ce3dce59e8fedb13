"""The interaction models, built from one source so the locales cannot drift.

``interaction_models/intents/*.json`` hold the intents and slot types, one file
per feature (core first). ``build_model(locale)`` assembles a locale's model and
``closer models`` writes ``interaction_models/<locale>.json`` for every locale; a
test fails if a written file differs from what the source builds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skill.settings import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "interaction_models"
INVOCATION_NAME = "closer together"
LOCALES: tuple[str, ...] = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
"""Every locale the skill ships in. English locales share one model and one content catalog."""
FIRST = "core.json"


def fragments(models_dir: Path = MODELS_DIR) -> list[dict[str, Any]]:
    paths = sorted((models_dir / "intents").glob("*.json"), key=lambda p: (p.name != FIRST, p.name))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def build_model(locale: str, models_dir: Path = MODELS_DIR) -> dict[str, Any]:
    intents: list[dict[str, Any]] = []
    types: list[dict[str, Any]] = []
    for fragment in fragments(models_dir):
        intents.extend(fragment.get("intents", []))
        types.extend(fragment.get("types", []))
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


def render_model(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


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
