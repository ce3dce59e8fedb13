"""A local stand-in for Alexa's own APIs on 127.0.0.1: the Settings API (the device's time
zone), the Reminders API and the Timers API.

The tests start it to see exactly what the skill asks for (method, path, body, bearer
token) and to make it fail in each way the real one can; ``closer chat --fake-alexa-api``
starts it so the reminder and timer flows can be tried in the terminal. It keeps what it
is given in memory and knows which permissions the household has granted.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from skill.domain.alerts import REMINDERS, REMINDERS_PATH, TIMERS, TIMERS_PATH
from skill.domain.habits import TIMER_MINUTES, duration_minutes

SETTINGS_PREFIX = "/v2/devices/"
SETTINGS_SUFFIX = "/settings/System.timeZone"
ACCESS_TOKEN = "local-access-token"
"""The ``apiAccessToken`` the local conversation sends; anything else is refused (401)."""


@dataclass(frozen=True)
class Call:
    """One request to the alerts APIs, as the fake received it."""

    method: str
    path: str
    body: Any
    token: str


@dataclass
class FakeAlexaApi:
    zones: dict[str, str] = field(default_factory=dict)
    status: int = 200
    """What the Settings API answers (200: the zone, if the device is known)."""
    delay: float = 0.0
    calls: list[str] = field(default_factory=list)
    """Settings API paths asked for."""
    tokens: list[str] = field(default_factory=list)
    """Settings API Authorization headers."""
    endpoint: str = ""
    access_token: str = ACCESS_TOKEN
    """The bearer token the API accepts (change it to act out an expired token)."""
    granted: set[str] = field(default_factory=set)
    """Permission scopes the household has granted; alerts calls without one get 401/403."""
    alerts: list[Call] = field(default_factory=list)
    """Every call to the Reminders and Timers APIs, in order."""
    reminders: dict[str, Any] = field(default_factory=dict)
    timers: dict[str, Any] = field(default_factory=dict)
    alert_status: int | None = None
    """Answer every alerts call with this status instead (a 500, a 429...)."""
    alert_delay: float = 0.0
    """Wait this long before answering an alerts call (a slow API)."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    def grant(self, *scopes: str) -> None:
        self.granted.update(scopes or (REMINDERS, TIMERS))

    def revoke(self, *scopes: str) -> None:
        self.granted.difference_update(scopes or (REMINDERS, TIMERS))

    def answer(self, call: Call) -> tuple[int, Any]:
        """The status and JSON body the real API would give ``call``."""
        if self.alert_status is not None:
            return self.alert_status, {"code": "FAKE", "message": "injected"}
        if call.token != f"Bearer {self.access_token}":
            return 401, {"code": "INVALID_BEARER_TOKEN"}
        if call.path.startswith(REMINDERS_PATH):
            return self._reminders(call)
        if call.path == TIMERS_PATH:
            return self._timer(call)
        return 404, {"code": "NOT_FOUND"}

    def _reminders(self, call: Call) -> tuple[int, Any]:
        if REMINDERS not in self.granted:
            return 401, {"code": "USER_NOT_AUTHORIZED"}
        token = call.path.removeprefix(REMINDERS_PATH).strip("/")
        if call.method == "GET" and not token:
            return 200, {"totalCount": str(len(self.reminders)), "alerts": list(self.reminders)}
        if call.method == "POST" and not token:
            if not _is_reminder(call.body):
                return 400, {"code": "INVALID_REQUEST"}
            token = f"amzn1.alert.reminder.{next(self._ids)}"
            self.reminders[token] = call.body
            return 201, {"alertToken": token, "status": "ON", "version": "1"}
        if token not in self.reminders:
            return 404, {"code": "NOT_FOUND"}
        if call.method == "PUT" and _is_reminder(call.body):
            self.reminders[token] = call.body
            return 200, {"alertToken": token, "status": "ON", "version": "2"}
        if call.method == "DELETE":
            del self.reminders[token]
            return 200, None
        return 400, {"code": "INVALID_REQUEST"}

    def _timer(self, call: Call) -> tuple[int, Any]:
        if TIMERS not in self.granted:
            return 403, {"code": "FORBIDDEN"}
        body = call.body if isinstance(call.body, dict) else {}
        duration = body.get("duration")
        minutes = duration_minutes(duration) if isinstance(duration, str) else None
        if call.method != "POST" or minutes is None or not 0 < minutes <= TIMER_MINUTES[1]:
            return 400, {"code": "INVALID_DURATION"}
        ident = f"fake-timer-{next(self._ids)}"
        self.timers[ident] = body
        return 200, {"id": ident, "status": "ON", "duration": body["duration"]}


def _is_reminder(body: Any) -> bool:
    trigger = body.get("trigger") if isinstance(body, dict) else None
    return isinstance(trigger, dict) and isinstance(trigger.get("timeZoneId"), str)


@contextmanager
def fake_alexa_api(**zones: str) -> Iterator[FakeAlexaApi]:
    """Run the fake on a free port of 127.0.0.1 until the block ends."""
    api = FakeAlexaApi(zones=dict(zones))
    server = _Server(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    api.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that gave up (the skill's short timeout) is expected here


def _handler(api: FakeAlexaApi) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (_Handler,), {"api": api})


class _Handler(BaseHTTPRequestHandler):
    api: FakeAlexaApi

    def do_GET(self) -> None:
        if self.path.startswith(SETTINGS_PREFIX):
            self._settings()
        else:
            self._alerts()

    def do_POST(self) -> None:
        self._alerts()

    def do_PUT(self) -> None:
        self._alerts()

    def do_DELETE(self) -> None:
        self._alerts()

    def _settings(self) -> None:
        api = self.api
        api.calls.append(self.path)
        api.tokens.append(self.headers.get("Authorization", ""))
        if api.delay:
            time.sleep(api.delay)
        device = self.path.removeprefix(SETTINGS_PREFIX).removesuffix(SETTINGS_SUFFIX)
        found = api.status == 200 and self.path.endswith(SETTINGS_SUFFIX)
        if not found or device not in api.zones:
            self._send(api.status if api.status != 200 else 404, None)
            return
        self._send(200, api.zones[device])

    def _alerts(self) -> None:
        api = self.api
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        call = Call(self.command, self.path, body, self.headers.get("Authorization", ""))
        with api.lock:
            api.alerts.append(call)
            status, answer = api.answer(call)
        if api.alert_delay:
            time.sleep(api.alert_delay)
        self._send(status, answer)

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return
