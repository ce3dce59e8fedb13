"""The requests the benchmark sends: request kinds, Alexa envelopes and their signatures.

Intent names are not hard-coded: each kind is described by what a person says, and the
product's own interaction model (through ``skill.nlu``) says which intent that is, so the
benchmark follows the feature teams' names. ``--intent kind=Name`` overrides a kind.
"""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import os
import random
import string
import sys
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

SKILL_ID = "amzn1.ask.skill.closer-together-bench"
LOCALE = "en-US"
ACCOUNT_PREFIX = "amzn1.ask.account."
ACCOUNT_ID_LENGTH = 225
"""Real Alexa user ids are about this long: the prefix, then upper-case letters and digits."""
ACCOUNT_ALPHABET = string.ascii_uppercase + string.digits
RUN_SALT = uuid.uuid4().hex
"""Household ids differ from run to run (and never repeat within one)."""


@dataclass(frozen=True)
class Kind:
    name: str  # launch, question, plan, check_in
    label: str
    request_type: str
    intent: str | None = None
    phrase: str | None = None
    resolved: bool = True  # False: the model has no intent for the phrase (yet)
    fresh: bool = False  # every request from a household never seen before


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
    "next_question": (
        "next question",
        ("ask closer together for the next question", "next question", "the next question"),
    ),
}
FALLBACK_NAMES = {
    "question": "TonightsQuestionIntent",
    "plan": "PlanWeekIntent",
    "check_in": "StartCheckInIntent",
    "next_question": "NextQuestionIntent",
}
FIRST_LAUNCH = Kind("first_launch", "first launch (new household)", "LaunchRequest", fresh=True)
"""A household's very first turn: every request of the point comes from a new household."""
BUILT_IN_PREFIX = "AMAZON."
PRELUDE_PHRASES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "plan_start": (
        "start the plan",
        ("ask closer together to start the plan", "start the plan", "start our plan"),
    ),
}
"""Requests a household makes once before the measured ones (so plan week has a plan)."""
FLOW_PHRASES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "check_in_ready": ("check-in: ready", ("ready", "we're ready", "we are ready")),
    "check_in_yes": ("check-in: yes", ("yes", "yes it is", "that's right")),
}
"""Turns inside a check-in (capacity scenarios only: they need the session of the turn before)."""


def resolve_kinds(overrides: Mapping[str, str]) -> list[Kind]:
    """Launch plus one kind per feature, with intent names read from the interaction model,
    and the first launch of new households."""
    utterances = _utterances()
    kinds = [
        Kind("session_end", "session end (no store work)", "SessionEndedRequest"),
        Kind("launch", "launch", "LaunchRequest"),
    ]
    for name, (label, phrases) in PHRASES.items():
        found = _resolve_one(utterances, name, label, phrases, overrides, built_in=False)
        kinds.append(
            found or Kind(name, label, "IntentRequest", FALLBACK_NAMES[name], phrases[0], False)
        )
    kinds.append(FIRST_LAUNCH)
    return kinds


def resolve_prelude(overrides: Mapping[str, str]) -> list[Kind]:
    """The prelude kinds the model knows (none if the feature is not there)."""
    return _resolve(PRELUDE_PHRASES, overrides, built_in=False)


def resolve_flow(overrides: Mapping[str, str]) -> list[Kind]:
    """The in-check-in kinds the model knows (built-in intents such as Yes allowed)."""
    return _resolve(FLOW_PHRASES, overrides, built_in=True)


def _utterances() -> Any:
    from skill.devtools.models import build_model
    from skill.devtools.nlu import Utterances

    return Utterances(build_model(LOCALE))


def _resolve(
    phrases_by_name: Mapping[str, tuple[str, tuple[str, ...]]],
    overrides: Mapping[str, str],
    built_in: bool,
) -> list[Kind]:
    utterances = _utterances()
    found = [
        _resolve_one(utterances, name, label, phrases, overrides, built_in)
        for name, (label, phrases) in phrases_by_name.items()
    ]
    return [kind for kind in found if kind is not None]


def _resolve_one(
    utterances: Any,
    name: str,
    label: str,
    phrases: Sequence[str],
    overrides: Mapping[str, str],
    built_in: bool,
) -> Kind | None:
    """The kind ``name`` with the intent the model gives its first understood phrase."""
    if name in overrides:
        return Kind(name, label, "IntentRequest", overrides[name], "(--intent)")
    for phrase in phrases:
        intent = utterances.understand(phrase).intent
        if intent and (built_in or not intent.startswith(BUILT_IN_PREFIX)):
            return Kind(name, label, "IntentRequest", intent, phrase)
    return None


def account_id(rng: random.Random) -> str:
    """An Alexa-length user id: the account prefix, then random upper-case letters and digits."""
    tail = ACCOUNT_ID_LENGTH - len(ACCOUNT_PREFIX)
    return ACCOUNT_PREFIX + "".join(rng.choices(ACCOUNT_ALPHABET, k=tail))


def household(index: int) -> str:
    """The user id of the run's household number ``index`` (the same all run long)."""
    return account_id(random.Random(f"{RUN_SALT}/{index}"))


def named_household(name: str) -> str:
    """An Alexa-length user id for a named scenario (the same all run long)."""
    return account_id(random.Random(f"{RUN_SALT}/{name}"))


_FRESH = random.Random()


def fresh_households(count: int) -> list[str]:
    """``count`` user ids no request has used yet (random, so never one of ``household``'s)."""
    return [account_id(_FRESH) for _ in range(count)]


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


PARALLEL_FROM = 400
"""Sign this many bodies or more in one process per CPU (RSA signing is the slow part)."""


def sign_all(authority: Any, bodies: Sequence[bytes]) -> list[Signed]:
    """``Signature-256`` values for ``bodies`` (RSA PKCS#1 v1.5, SHA-256, the test CA's leaf)."""
    if len(bodies) < PARALLEL_FROM:
        return [Signed(body, authority.sign(body)) for body in bodies]
    from cryptography.hazmat.primitives import serialization

    key = authority.leaf_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    workers = max(1, len(os.sched_getaffinity(0)))
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    with ProcessPoolExecutor(workers, context, initializer=_load_key, initargs=(key,)) as pool:
        signatures = list(pool.map(_sign, bodies, chunksize=200))
    return [Signed(body, signature) for body, signature in zip(bodies, signatures, strict=True)]


_KEY: list[Any] = []


def _load_key(pem: bytes) -> None:
    from cryptography.hazmat.primitives import serialization

    _KEY[:] = [serialization.load_pem_private_key(pem, password=None)]


def _sign(body: bytes) -> str:
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    signature = _KEY[0].sign(body, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")
