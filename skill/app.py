"""The Flask app: POST /alexa (verified Alexa requests) and GET /healthz."""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, jsonify, request

from skill.alexa_api import ShortTimeoutApiClient
from skill.content.catalog import Catalog, LocaleCatalog, load_catalog
from skill.content.checks import check_content
from skill.domain.clock import system_now
from skill.envelope import MalformedRequest, Request, fit_attributes
from skill.exchange import AlreadyApplied, Exchange
from skill.locks import HouseholdBusy, HouseholdLocks
from skill.sdk_serializer import ModelSerializer
from skill.settings import Settings
from skill.speech.render import emergency_response
from skill.speech.screens import ScreenLibrary
from skill.speech.screens import prepare as prepare_screens
from skill.startup import settle
from skill.store import (
    HouseholdConflict,
    HouseholdKeys,
    HouseholdStore,
    StoreDeadline,
    StoredHousehold,
    StoreError,
)
from skill.store.deadline import remaining, store_deadline
from skill.verify import MAX_BODY_BYTES, RequestVerifier, VerificationError
from skill.wiring import build_skill

log = logging.getLogger("closer")
request_log = logging.getLogger("closer.request")

ENVELOPE_TYPE = "ask_sdk_model.RequestEnvelope"


STORE_SECONDS = 3.0
"""The store's share of a turn: no store call starts later (each ends by its own timeout), so
even a frozen engine is answered in about STORE_SECONDS plus one call's timeout."""
BACKOFF_FIRST = 0.005
BACKOFF_CAP = 0.08
"""After the n-th conflict in a row, wait a random time up to min(cap, first * 2**n)."""


@dataclass(frozen=True)
class Outcome:
    """One attempt's answer, kept until its write is known to have landed."""

    envelope: Any
    handler: str | None
    keys: tuple[str, ...]


@dataclass
class Closer:
    """Everything one running app shares across requests."""

    settings: Settings
    catalog: Catalog
    store: HouseholdStore
    verifier: RequestVerifier
    skill: CustomSkill
    serializer: ModelSerializer
    screens: ScreenLibrary
    zone_override: str | None = None
    expose_keys: bool = False
    store_seconds: float = STORE_SECONDS
    locks: HouseholdLocks = field(default_factory=HouseholdLocks)

    def close(self) -> None:
        """Release the store's connections (the app's teardown; the CLI calls it on exit)."""
        self.store.close()

    def answer(
        self, parsed: Request, envelope: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run one turn; returns (response envelope, log fields). Never raises."""
        fields: dict[str, Any] = {"outcome": "ok", "attempts": 0}
        fields.update(request_type=parsed.request_type, intent=parsed.intent)
        _log_reported_error(parsed)
        catalog = self.catalog.for_locale(parsed.locale)
        try:
            model = self.serializer.from_data(_with_fit_session(envelope), ENVELOPE_TYPE)
        except Exception:
            fields["outcome"] = "unreadable"
            return emergency_response(catalog, "error.generic", parsed.request_type), fields
        with store_deadline(self.store_seconds):
            outcome = self._attempts(parsed, model, catalog, fields, envelope)
        if isinstance(outcome, str):
            spoken = emergency_response(catalog, outcome, parsed.request_type)
            if spoken["response"]:
                fields["keys"] = [outcome]
            return spoken, fields
        fields.update(handler=outcome.handler)
        if outcome.keys:
            fields["keys"] = list(outcome.keys)
        response = self.serializer.serialize(outcome.envelope)
        if not isinstance(response, dict):
            raise TypeError("the response envelope must serialize to a JSON object")
        return response, fields

    def _attempts(
        self,
        parsed: Request,
        model: Any,
        catalog: LocaleCatalog,
        fields: dict[str, Any],
        envelope: Mapping[str, Any],
    ) -> Outcome | str:
        """Run the turn until it is answered: its Outcome, or the content key to apologise
        with. Conflicts are run again after a jittered wait while the deadline allows; so is
        a write whose answer was lost, once a read shows it did not land."""
        tried: dict[int, Outcome] = {}
        found: StoredHousehold | None = None
        while True:
            fields["attempts"] += 1
            if fields["attempts"] > 1:
                _fresh_session(model, envelope)
            exchange = Exchange(
                request=parsed,
                store=self.store,
                catalog=catalog,
                screens=self.screens,
                default_zone=self.settings.default_timezone,
                zone_override=self.zone_override,
                attempt=fields["attempts"],
                tried=tried.keys(),
                preloaded=found,
            )
            found = None
            outcome: Outcome | None = None
            try:
                with self.locks.held(parsed.household_id):
                    result = self.skill.invoke(request_envelope=model, context=exchange)
                    keys = exchange.reply.keys if exchange.reply is not None else ()
                    outcome = Outcome(result, exchange.handler, keys)
                    fields["wrote"] = exchange.commit()
                return outcome
            except AlreadyApplied as applied:
                return _applied(applied, tried, fields)
            except StoreError as problem:
                if not _may_have_landed(problem, fields):
                    return "error.store"
                if exchange.target is not None and outcome is not None:
                    tried[exchange.target] = outcome
                if isinstance(problem, HouseholdConflict):
                    if not _back_off(fields["conflicts"]):
                        fields["outcome"] = "conflict"
                        return "error.store"
                    found = problem.current
            except Exception:
                log.exception("turn failed outside the handlers")
                fields["outcome"] = "error"
                return "error.generic"


def _may_have_landed(problem: StoreError, fields: dict[str, Any]) -> bool:
    """Count a conflict or a fault; False when the turn must apologise now."""
    if isinstance(problem, HouseholdConflict):
        fields["conflicts"] = fields.get("conflicts", 0) + 1
        return True
    fields["faults"] = fields.get("faults", 0) + 1
    fields["fault"] = type(problem.__cause__ or problem).__name__
    if problem.uncertain and fields["faults"] == 1:
        return True  # read again: did it land? If not, run the turn once more
    conflicted = isinstance(problem, HouseholdBusy) or (
        isinstance(problem, StoreDeadline) and fields.get("conflicts")
    )
    fields["outcome"] = "conflict" if conflicted else "store_error"
    return False


def _applied(
    applied: AlreadyApplied, tried: Mapping[int, Outcome], fields: dict[str, Any]
) -> Outcome | str:
    if applied.own:
        fields.update(outcome="ok", wrote=True, recovered="own_write")
        return tried[applied.version]
    fields["outcome"] = "replay"
    return "error.replayed"


def _back_off(conflicts: int) -> bool:
    """Wait a random while before running a conflicted turn again; False past the deadline."""
    delay = random.uniform(0, min(BACKOFF_CAP, BACKOFF_FIRST * 2**conflicts))
    left = remaining()
    if left is not None and left <= delay:
        return False
    time.sleep(delay)
    return True


def _with_fit_session(envelope: Mapping[str, Any]) -> Mapping[str, Any]:
    """The envelope with a fresh, fit copy of its session attributes (see fit_attributes)."""
    session = envelope.get("session")
    if not isinstance(session, Mapping):
        return envelope
    attributes = fit_attributes(session.get("attributes"))
    return {**envelope, "session": {**session, "attributes": attributes}}


def _fresh_session(model: Any, envelope: Mapping[str, Any]) -> None:
    """Give a new attempt the session attributes as they arrived (an attempt changes them)."""
    session = envelope.get("session")
    if model.session is not None and isinstance(session, Mapping):
        model.session.attributes = fit_attributes(session.get("attributes"))


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may override SETTINGS, STORE, VERIFIER, CATALOG, SCREENS,
    CLOCK, TIMEZONE_OVERRIDE and any Flask setting (e.g. TESTING). A CATALOG or SCREENS given
    is taken as already checked (``check_content``, ``prepare_screens``): apps built again and
    again from the same content (the tests) check it once."""
    config = dict(config or {})
    closer = build_closer(config)
    app = Flask(__name__)
    app.config.update(config)
    closer.expose_keys = bool(app.testing or not closer.settings.verify)
    app.extensions["closer"] = closer
    _routes(app, closer)
    if not app.testing:
        settle()  # start-up objects live as long as the worker (skill.startup)
    return app


def build_closer(config: dict[str, Any]) -> Closer:
    """Everything the app shares across requests; takes its overrides out of ``config``."""
    settings: Settings = config.pop("SETTINGS", None) or Settings.from_env()
    settings.check()
    catalog: Catalog | None = config.pop("CATALOG", None)
    if catalog is None:
        catalog = load_catalog(settings.content_dir)
        check_content(catalog)
    screens: ScreenLibrary | None = config.pop("SCREENS", None)
    if screens is None:
        screens = prepare_screens(settings.content_dir, catalog)
    clock: Callable[[], datetime] = config.pop("CLOCK", None) or system_now
    verifier: RequestVerifier = config.pop("VERIFIER", None) or RequestVerifier(
        settings.skill_id, verify_signature=settings.verify, clock=clock
    )
    return Closer(
        settings=settings,
        catalog=catalog,
        store=config.pop("STORE", None) or build_store(settings),
        verifier=verifier,
        skill=build_skill(ShortTimeoutApiClient()),
        serializer=ModelSerializer(),
        screens=screens,
        zone_override=config.pop("TIMEZONE_OVERRIDE", None),
    )


def _routes(app: Flask, closer: Closer) -> None:
    @app.post("/alexa")
    def alexa() -> tuple[Response, int] | Response:
        started = time.perf_counter()
        fields: dict[str, Any] = {"outcome": "rejected"}
        try:
            if (request.content_length or 0) > MAX_BODY_BYTES:
                raise VerificationError("request body too large")
            body = request.stream.read(MAX_BODY_BYTES + 1)
            verified = closer.verifier.verify(dict(request.headers), body)
            envelope, turn_fields = closer.answer(verified.request, verified.envelope)
            fields.update(turn_fields)
        except (VerificationError, MalformedRequest) as problem:
            fields["reason"] = str(problem)
            _log_request(fields, started)
            return jsonify(error=str(problem)), 400
        _log_request(fields, started)
        response = Response(RESPONSE_JSON.encode(envelope), mimetype="application/json")
        if closer.expose_keys and fields.get("keys"):
            response.headers["X-Closer-Keys"] = ",".join(fields["keys"])
        return response

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.after_request
    def harden(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response


def build_store(settings: Settings) -> HouseholdStore:
    keys = HouseholdKeys.from_secrets(settings.household_secret, settings.household_secret_previous)
    if settings.store == "dynamodb":
        import boto3

        from skill.store.dynamodb import DynamoDBHouseholdStore, client_config

        client = boto3.client(
            "dynamodb",
            region_name=settings.aws_region,
            endpoint_url=settings.dynamodb_endpoint_url,
            config=client_config(),
        )
        return DynamoDBHouseholdStore(client, settings.dynamodb_table, keys=keys)
    from skill.store.sqlite import SQLiteHouseholdStore

    return SQLiteHouseholdStore(settings.sqlite_path, keys=keys)


REPORTED_ERROR_TYPE = re.compile(r"^[A-Z_]{1,40}$")


def _log_reported_error(request: Request) -> None:
    """Log an error Alexa reports: its type and reason only (its message may hold speech)."""
    if request.error is None:
        return
    kind = request.error.type if REPORTED_ERROR_TYPE.match(request.error.type) else "OTHER"
    reason = request.error.reason or ""
    reason = reason if REPORTED_ERROR_TYPE.match(reason) else "OTHER"
    log.warning("alexa reported an error: %s (%s, %s)", kind, request.request_type, reason)


RESPONSE_JSON = json.JSONEncoder(separators=(",", ":"), allow_nan=False, ensure_ascii=False)
"""Standard JSON only (no NaN or Infinity), compact; one encoder for the app's life."""
LOG_JSON = json.JSONEncoder(sort_keys=True, separators=(", ", ": "))


def _log_request(fields: dict[str, Any], started: float) -> None:
    if not request_log.isEnabledFor(logging.INFO):
        return
    fields["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    request_log.info(LOG_JSON.encode(fields))
