"""The Flask app: POST /alexa (verified Alexa requests) and GET /healthz."""

from __future__ import annotations

import gc
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, jsonify, request

from skill.alexa_api import ShortTimeoutApiClient
from skill.content.catalog import Catalog, load_catalog
from skill.content.checks import check_content
from skill.domain.clock import system_now
from skill.envelope import MalformedRequest, Request, read_request
from skill.exchange import Exchange
from skill.settings import Settings
from skill.speech.render import emergency_response
from skill.store import HouseholdConflict, HouseholdKeys, HouseholdStore, StoreError
from skill.verify import MAX_BODY_BYTES, RequestVerifier, VerificationError
from skill.wiring import build_skill

log = logging.getLogger("closer")
request_log = logging.getLogger("closer.request")

ENVELOPE_TYPE = "ask_sdk_model.RequestEnvelope"


@dataclass
class Closer:
    """Everything one running app shares across requests."""

    settings: Settings
    catalog: Catalog
    store: HouseholdStore
    verifier: RequestVerifier
    skill: CustomSkill
    serializer: DefaultSerializer
    zone_override: str | None = None
    expose_keys: bool = False

    def close(self) -> None:
        """Release the store's connections (the app's teardown; the CLI calls it on exit)."""
        self.store.close()

    def answer(
        self, envelope: Mapping[str, Any], body: bytes
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run one turn; returns (response envelope, log fields). Never raises."""
        fields: dict[str, Any] = {"outcome": "ok", "attempts": 0}
        parsed = read_request(envelope)
        fields.update(request_type=parsed.request_type, intent=parsed.intent)
        _log_reported_error(parsed)
        catalog = self.catalog.for_locale(parsed.locale)
        try:
            model = self.serializer.deserialize(body.decode("utf-8"), ENVELOPE_TYPE)
        except Exception:
            fields["outcome"] = "unreadable"
            return emergency_response(catalog, "error.generic", parsed.request_type), fields
        for attempt in (1, 2):
            exchange = Exchange(
                request=parsed,
                store=self.store,
                catalog=catalog,
                default_zone=self.settings.default_timezone,
                zone_override=self.zone_override,
                attempt=attempt,
            )
            fields["attempts"] = attempt
            try:
                result = self.skill.invoke(request_envelope=model, context=exchange)
            except HouseholdConflict:
                fields["outcome"] = "conflict"
                continue
            except StoreError:
                fields["outcome"] = "store_error"
                return emergency_response(catalog, "error.store", parsed.request_type), fields
            except Exception:
                log.exception("turn failed outside the handlers")
                fields["outcome"] = "error"
                return emergency_response(catalog, "error.generic", parsed.request_type), fields
            fields.update(handler=exchange.handler, wrote=exchange.wrote, outcome="ok")
            if exchange.reply is not None:
                fields["keys"] = list(exchange.reply.keys)
            response = self.serializer.serialize(result)
            if not isinstance(response, dict):
                raise TypeError("the response envelope must serialize to a JSON object")
            return response, fields
        return emergency_response(catalog, "error.store", parsed.request_type), fields


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may override SETTINGS, STORE, VERIFIER, CATALOG, CLOCK,
    TIMEZONE_OVERRIDE and any Flask setting (e.g. TESTING)."""
    config = dict(config or {})
    closer = build_closer(config)
    app = Flask(__name__)
    app.config.update(config)
    closer.expose_keys = bool(app.testing or not closer.settings.verify)
    app.extensions["closer"] = closer
    _routes(app, closer)
    if not app.testing:
        # Start-up objects live as long as the worker: keep them out of garbage collection.
        gc.collect()
        gc.freeze()
    return app


def build_closer(config: dict[str, Any]) -> Closer:
    """Everything the app shares across requests; takes its overrides out of ``config``."""
    settings: Settings = config.pop("SETTINGS", None) or Settings.from_env()
    settings.check()
    catalog: Catalog = config.pop("CATALOG", None) or load_catalog(settings.content_dir)
    check_content(catalog)
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
        serializer=DefaultSerializer(),
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
            envelope, turn_fields = closer.answer(verified.envelope, verified.body)
            fields.update(turn_fields)
        except (VerificationError, MalformedRequest) as problem:
            fields["reason"] = str(problem)
            _log_request(fields, started)
            return jsonify(error=str(problem)), 400
        _log_request(fields, started)
        response = jsonify(envelope)
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
    keys = HouseholdKeys.from_secrets(
        settings.household_secret, settings.household_secret_previous
    )
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


def _log_request(fields: dict[str, Any], started: float) -> None:
    fields["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    request_log.info(json.dumps(fields, sort_keys=True))
