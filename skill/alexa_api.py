"""Calls to Alexa's own APIs (the Settings API for the device time zone), with a short timeout."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ask_sdk_model.services.api_client import ApiClient
from ask_sdk_model.services.api_client_request import ApiClientRequest
from ask_sdk_model.services.api_client_response import ApiClientResponse

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

log = logging.getLogger(__name__)

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class ShortTimeoutApiClient(ApiClient):
    """An ask-sdk ApiClient on urllib with a timeout.

    HTTPS only, except for loopback hosts (local fakes of the Alexa API in tests).
    """

    def __init__(self, timeout: float = 1.0) -> None:
        self.timeout = timeout

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        parts = urlsplit(request.url or "")
        if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
            raise ValueError("Alexa API calls must use HTTPS")
        headers = dict(request.headers or [])
        data = None
        if request.body:
            data = (
                json.dumps(request.body) if not isinstance(request.body, str) else request.body
            ).encode()
        outgoing = urllib.request.Request(
            request.url, data=data, headers=headers, method=request.method or "GET"
        )
        try:
            with urllib.request.urlopen(outgoing, timeout=self.timeout) as answer:
                body = answer.read(64 * 1024).decode("utf-8", "replace")
                status, answer_headers = answer.status, list(answer.headers.items())
        except urllib.error.HTTPError as error:
            body = error.read(64 * 1024).decode("utf-8", "replace")
            status, answer_headers = error.code, list(error.headers.items())
        return ApiClientResponse(headers=answer_headers, status_code=status, body=body)


def device_time_zone(handler_input: HandlerInput) -> str | None:
    """The device's IANA zone from the Settings API, or None if it cannot say (logged)."""
    factory = handler_input.service_client_factory
    system = (
        handler_input.request_envelope.context.system
        if (handler_input.request_envelope.context)
        else None
    )
    device = system.device if system else None
    if factory is None or system is None or device is None:
        return None
    if not device.device_id or not system.api_endpoint:
        return None
    try:
        zone = factory.get_ups_service().get_system_time_zone(device.device_id)
    except Exception as error:  # the API's client raises several kinds; all mean "unknown"
        log.warning("settings api unavailable: %s", type(error).__name__)
        return None
    return zone if isinstance(zone, str) and zone else None
