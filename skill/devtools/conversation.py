"""A conversation with the skill as Alexa would hold it: envelopes in, responses out.

Used by ``closer chat`` / ``closer say`` and by the tests, so both talk to the
real endpoint the same way. Typed words go through ``skill.devtools.nlu`` (the
interaction model) to become launches, intents and slots.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from skill.devtools.nlu import Understood, Utterances, normalize
from skill.domain.clock import system_now

Post = Callable[[dict[str, Any]], tuple[int, dict[str, Any], Mapping[str, str]]]

APPLICATION_ID = "amzn1.ask.skill.closer-together-local"
CONSENT_TOKEN = "local-consent-token"
APPROVE = frozenset({"i approve", "approve", "yes", "yes please", "yeah", "yep", "sure", "ok"})
REFUSE = frozenset({"no", "no thanks", "nope", "not now", "i don't approve", "don't"})
"""How the local conversation answers Alexa's own permission question on the household's behalf."""
BREAK = re.compile(r'<break (?:time="(\d+)(ms|s)"|strength="\w+")\s*/>')
TAG = re.compile(r"<[^>]+>")


def ssml_to_text(ssml: str) -> str:
    def pause(found: re.Match[str]) -> str:
        if found.group(1) is None:
            return " "
        ms = int(found.group(1)) * (1 if found.group(2) == "ms" else 1000)
        return f" [pause {ms / 1000:g}s] " if ms >= 1000 else " "

    text = TAG.sub("", BREAK.sub(pause, ssml))
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def clock_text(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def timeline_lines(document: Mapping[str, Any]) -> list[str]:
    """An APL-for-audio document as readable lines: speech, [chime], [silence 1:00]."""
    lines: list[str] = []

    def walk(item: Mapping[str, Any]) -> None:
        kind = item.get("type")
        if kind == "Speech":
            lines.append(ssml_to_text(str(item.get("content", ""))))
        elif kind == "Silence":
            lines.append(f"[silence {clock_text(int(item.get('duration', 0)))}]")
        elif kind == "Audio":
            source = str(item.get("source", ""))
            name = "chime" if ("chime" in source or "bell" in source) else "sound"
            lines.append(f"[{name}: {source.rsplit('/', 1)[-1]}]")
        elif kind == "Mixer":
            inner: list[str] = []
            for child in item.get("items", []):
                before = len(lines)
                walk(child)
                inner.extend(lines[before:])
                del lines[before:]
            lines.append("[together: " + " | ".join(inner) + "]")
        for child in item.get("items", []) if kind in ("Sequencer", "Selector") else ():
            walk(child)
        if "item" in item and kind not in ("Mixer",):
            walk(item["item"])

    walk(document.get("mainTemplate", {}))
    return lines


@dataclass
class Said:
    """One turn's answer from the skill."""

    status: int
    body: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def response(self) -> dict[str, Any]:
        return self.body.get("response") or {}

    @property
    def keys(self) -> tuple[str, ...]:
        value = self.headers.get("X-Closer-Keys", "")
        return tuple(key for key in value.split(",") if key)

    @property
    def ssml(self) -> str:
        return str((self.response.get("outputSpeech") or {}).get("ssml", ""))

    @property
    def speech(self) -> str:
        return ssml_to_text(self.ssml)

    @property
    def reprompt(self) -> str:
        speech = (self.response.get("reprompt") or {}).get("outputSpeech") or {}
        return ssml_to_text(str(speech.get("ssml", "")))

    @property
    def ended(self) -> bool:
        return self.response.get("shouldEndSession") is not False

    @property
    def session(self) -> dict[str, Any]:
        return self.body.get("sessionAttributes") or {}

    @property
    def card(self) -> dict[str, Any] | None:
        return self.response.get("card")

    @property
    def directives(self) -> list[dict[str, Any]]:
        return list(self.response.get("directives") or [])

    @property
    def permission_request(self) -> tuple[str, str] | None:
        """The (scope, token) Alexa was asked to get permission for by voice, if any."""
        for directive in self.directives:
            kind = (directive.get("type"), directive.get("name"))
            if kind == ("Connections.SendRequest", "AskFor"):
                scopes = (directive.get("payload") or {}).get("permissionScopes") or [{}]
                return str(scopes[0].get("permissionScope", "")), str(directive.get("token", ""))
        return None

    @property
    def consent_card(self) -> list[str]:
        """The permissions a consent card in the Alexa app asks for (empty: no such card)."""
        card = self.card or {}
        if card.get("type") != "AskForPermissionsConsent":
            return []
        return list(card.get("permissions") or [])

    @property
    def documents(self) -> list[dict[str, Any]]:
        return [
            d["document"]
            for d in self.directives
            if d.get("type") == "Alexa.Presentation.APLA.RenderDocument"
        ]

    @property
    def timeline(self) -> list[str]:
        return [line for doc in self.documents for line in timeline_lines(doc)]

    def text(self) -> str:
        """Everything a person would hear, one line per part."""
        parts = [self.speech] if self.speech else []
        parts += self.timeline
        return "\n".join(parts)


@dataclass
class Conversation:
    post: Post
    utterances: Utterances
    user_id: str = "amzn1.ask.account.local-household"
    device_id: str = "amzn1.ask.device.living-room"
    locale: str = "en-US"
    now: datetime = field(default_factory=system_now)
    step: timedelta = timedelta(seconds=5)
    api_endpoint: str = "https://api.amazonalexa.com"
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    last: Said | None = None
    granted: set[str] = field(default_factory=set)
    """Permission scopes the household has granted (sent in ``context.System.user``)."""
    consent_asked: tuple[str, str] | None = None
    """Alexa is asking the household for this (scope, token) by voice."""
    on_grant: Callable[[str], None] | None = None
    """Told when the household grants a scope (``closer chat`` tells its fake API)."""

    @property
    def in_session(self) -> bool:
        return self.session_id is not None

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def launch(self) -> Said:
        self._new_session()
        return self._send({"type": "LaunchRequest"})

    def say(self, text: str) -> Said:
        if self.consent_asked is not None and self.in_session:
            said = normalize(text)
            refused = "DENIED" if said in REFUSE else "NOT_ANSWERED"
            return self.permission("ACCEPTED" if said in APPROVE else refused)
        understood = self.utterances.understand(text)
        if understood.launch:
            return self.launch()
        if understood.invoked or not self.in_session:
            self._new_session()
        return self._intent(understood)

    def intent(self, name: str, **slots: str) -> Said:
        if not self.in_session:
            self._new_session()
        alexa_slots = {
            k: {"name": k, "value": v, "confirmationStatus": "NONE"} for k, v in slots.items()
        }
        return self._intent(Understood(name, alexa_slots))

    def permission(self, status: str = "ACCEPTED", code: str = "200") -> Said:
        """Alexa's ``Connections.Response`` after asking the household for a permission."""
        scope, token = self.consent_asked or ("", "")
        self.consent_asked = None
        if status == "ACCEPTED" and code == "200" and scope:
            self.granted.add(scope)
            if self.on_grant is not None:
                self.on_grant(scope)
        return self._send(
            {
                "type": "Connections.Response",
                "name": "AskFor",
                "status": {"code": code, "message": "OK" if code == "200" else "Error"},
                "payload": {"permissionScope": scope, "status": status},
                "token": token,
            }
        )

    def end(self, reason: str = "USER_INITIATED", error: dict[str, str] | None = None) -> Said:
        request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
        if error:
            request["error"] = error
        said = self._send(request)
        self.session_id = None
        return said

    def envelope(self, request: dict[str, Any]) -> dict[str, Any]:
        self.now += self.step
        request = {
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": self.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": self.locale,
            **request,
        }
        application = {"applicationId": APPLICATION_ID}
        user: dict[str, Any] = {"userId": self.user_id}
        if self.granted:
            scopes = {scope: {"status": "GRANTED"} for scope in sorted(self.granted)}
            user["permissions"] = {"consentToken": CONSENT_TOKEN, "scopes": scopes}
        return {
            "version": "1.0",
            "session": {
                "new": self._fresh,
                "sessionId": self.session_id or f"amzn1.echo-api.session.{uuid.uuid4()}",
                "application": application,
                "attributes": dict(self.attributes),
                "user": user,
            },
            "context": {
                "System": {
                    "application": application,
                    "user": user,
                    "device": {"deviceId": self.device_id, "supportedInterfaces": {}},
                    "apiEndpoint": self.api_endpoint,
                    "apiAccessToken": "local-access-token",
                }
            },
            "request": request,
        }

    _fresh: bool = False

    def _new_session(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes = {}
        self._fresh = True

    def _intent(self, understood: Understood) -> Said:
        return self._send(
            {
                "type": "IntentRequest",
                "dialogState": "COMPLETED",
                "intent": {
                    "name": understood.intent,
                    "confirmationStatus": "NONE",
                    "slots": dict(understood.slots),
                },
            }
        )

    def _send(self, request: dict[str, Any]) -> Said:
        status, body, headers = self.post(self.envelope(request))
        self._fresh = False
        said = Said(status, body, headers)
        self.last = said
        self.consent_asked = said.permission_request if status == 200 else None
        if status == 200 and request["type"] != "SessionEndedRequest":
            if said.ended and self.consent_asked is None:
                self.session_id = None
                self.attributes = {}
            else:
                self.attributes = said.session
        return said
