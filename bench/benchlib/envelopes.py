"""The requests the benchmark sends: request kinds, Alexa envelopes and their signatures.

Intent names are not hard-coded: each kind is described by what a person says, and the
product's own interaction model (through ``skill.devtools.nlu``) says which intent that is, so the
benchmark follows the feature teams' names. ``--intent kind=Name`` overrides a kind.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

SKILL_ID = "amzn1.ask.skill.closer-together-bench"
LOCALE = "en-US"


@dataclass(frozen=True)
class Kind:
    name: str  # launch, question, plan, check_in
    label: str
    request_type: str
    intent: str | None = None
    phrase: str | None = None
    resolved: bool = True  # False: the model has no intent for the phrase (yet)


PHRASES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "question": (
        "tonight's question",
        (
            "ask closer together for tonight's question",
            "ask closer together what's tonight's question",
            "what's tonight's question",
            "tonight's question",
        ),
    ),
    "plan": (
        "plan week",
        (
            "ask closer together what week we're on",
            "what week are we on",
            "what week is it",
            "which week of the plan are we on",
        ),
    ),
    "check_in": (
        "check-in start",
        (
            "ask closer together to start a check-in",
            "ask closer together to start a check in",
            "start a check in",
            "start a check-in",
        ),
    ),
}
FALLBACK_NAMES = {
    "question": "TonightsQuestionIntent",
    "plan": "PlanWeekIntent",
    "check_in": "StartCheckInIntent",
}
BUILT_IN_PREFIX = "AMAZON."
PRELUDE_PHRASES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "plan_start": (
        "start the plan",
        ("ask closer together to start the plan", "start the plan", "start our plan"),
    ),
}
"""Requests a household makes once before the measured ones (so plan week has a plan)."""


def resolve_kinds(overrides: Mapping[str, str]) -> list[Kind]:
    """Launch plus one kind per feature, with intent names read from the interaction model."""
    from skill.devtools.models import build_model
    from skill.devtools.nlu import Utterances

    utterances = Utterances(build_model(LOCALE))
    kinds = [
        Kind("session_end", "session end (no store work)", "SessionEndedRequest"),
        Kind("launch", "launch", "LaunchRequest"),
    ]
    for name, (label, phrases) in PHRASES.items():
        if name in overrides:
            kinds.append(Kind(name, label, "IntentRequest", overrides[name], "(--intent)"))
            continue
        for phrase in phrases:
            intent = utterances.understand(phrase).intent
            if intent and not intent.startswith(BUILT_IN_PREFIX):
                kinds.append(Kind(name, label, "IntentRequest", intent, phrase))
                break
        else:
            kinds.append(
                Kind(name, label, "IntentRequest", FALLBACK_NAMES[name], phrases[0], False)
            )
    return kinds


def resolve_prelude(overrides: Mapping[str, str]) -> list[Kind]:
    """The prelude kinds the model knows (none if the feature is not there)."""
    from skill.devtools.models import build_model
    from skill.devtools.nlu import Utterances

    utterances = Utterances(build_model(LOCALE))
    found = []
    for name, (label, phrases) in PRELUDE_PHRASES.items():
        if name in overrides:
            found.append(Kind(name, label, "IntentRequest", overrides[name], "(--intent)"))
            continue
        for phrase in phrases:
            intent = utterances.understand(phrase).intent
            if intent and not intent.startswith(BUILT_IN_PREFIX):
                found.append(Kind(name, label, "IntentRequest", intent, phrase))
                break
    return found


def household(index: int) -> str:
    return f"amzn1.ask.account.bench-{index:05d}"


def envelope(
    kind: Kind,
    *,
    user_id: str,
    at: datetime,
    api_endpoint: str,
    skill_id: str = SKILL_ID,
) -> dict[str, Any]:
    """A request of ``kind`` from one household's device at ``at`` (a new session, except for
    a session end, which closes one)."""
    request: dict[str, Any] = {
        "type": kind.request_type,
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locale": LOCALE,
    }
    if kind.request_type == "IntentRequest":
        request["dialogState"] = "COMPLETED"
        request["intent"] = {"name": kind.intent, "confirmationStatus": "NONE", "slots": {}}
    if kind.request_type == "SessionEndedRequest":
        request["reason"] = "USER_INITIATED"
    application = {"applicationId": skill_id}
    user = {"userId": user_id}
    device = {"deviceId": user_id.replace("account", "device"), "supportedInterfaces": {}}
    return {
        "version": "1.0",
        "session": {
            "new": kind.request_type != "SessionEndedRequest",
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": application,
            "attributes": {},
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": device,
                "apiEndpoint": api_endpoint,
                "apiAccessToken": "bench-access-token",
            }
        },
        "request": request,
    }


def encode(envelope_: Mapping[str, Any]) -> bytes:
    return json.dumps(envelope_, separators=(",", ":")).encode("utf-8")


def load_signing(repo: Path) -> ModuleType:
    """tests/signing.py, imported by path (the tests directory is not a package)."""
    name = "closer_bench_signing"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, repo / "tests" / "signing.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("cannot load tests/signing.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Signed:
    body: bytes
    signature: str


def sign_all(authority: Any, bodies: Sequence[bytes]) -> list[Signed]:
    return [Signed(body, authority.sign(body)) for body in bodies]
