"""Sending one call to Alexa's Reminders or Timers API, with a short timeout.

Only handlers call this (``skill/handlers/habits.py``); services say what to ask for and
read the outcome. One call, no retries: a slow or failing API costs the turn at most
``TIMEOUT_S`` and is answered kindly.
"""

from __future__ import annotations

import json
import logging

from ask_sdk_model.services.api_client import ApiClient
from ask_sdk_model.services.api_client_request import ApiClientRequest

from skill.alexa_api import ShortTimeoutApiClient
from skill.domain.alerts import AlertCall, AlertOutcome, Result, read_outcome
from skill.envelope import Request

log = logging.getLogger(__name__)

TIMEOUT_S = 0.8
"""Connect and read timeout for one call: the turn never waits a second on it."""


class AlertsClient:
    def __init__(self, api: ApiClient | None = None) -> None:
        self.api = api or ShortTimeoutApiClient(timeout=TIMEOUT_S)

    def send(self, call: AlertCall, request: Request) -> AlertOutcome:
        """Perform ``call`` with this request's API endpoint and access token."""
        if not request.api_endpoint or not request.api_token:
            return AlertOutcome(Result.UNREACHABLE)
        outgoing = ApiClientRequest(
            url=request.api_endpoint.rstrip("/") + call.path,
            method=call.method,
            headers=[
                ("Authorization", f"Bearer {request.api_token}"),
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ],
            body=json.dumps(call.body) if call.body is not None else "",
        )
        try:
            answer = self.api.invoke(outgoing)
        except Exception as error:  # timeouts, refused connections, bad URLs: all "no answer"
            log.warning("alerts api unreachable: %s %s", call.method, type(error).__name__)
            return AlertOutcome(Result.UNREACHABLE)
        outcome = read_outcome(answer.status_code or 0, answer.body or "")
        if not outcome.done:
            log.warning("alerts api said %s to %s", answer.status_code, call.method)
        return outcome
