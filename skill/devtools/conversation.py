"""A conversation with the skill as Alexa would hold it: envelopes in, responses out.

Used by ``closer chat`` / ``closer say`` and by the tests, so both talk to the
real endpoint the same way. Typed words go through ``skill.devtools.nlu`` (the
interaction model) to become launches, intents and slots.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from skill.devtools.audio import (
    Part,
    document_parts,
    length_ms,
    response_parts,
    speech_part,
    ssml_to_text,
)
from skill.devtools.nlu import Understood, Utterances, normalize
from skill.domain.clock import system_now

Post = Callable[[dict[str, Any]], tuple[int, dict[str, Any], Mapping[str, str]]]

APPLICATION_ID = "amzn1.ask.skill.closer-together-local"
CONSENT_TOKEN = "local-consent-token"
APPROVE = frozenset({"i approve", "approve", "yes", "yes please", "yeah", "yep", "sure", "ok"})
REFUSE = frozenset({"no", "no thanks", "nope", "not now", "i don't approve", "don't"})
"""How the local conversation answers Alexa's own permission question on the household's behalf."""


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
        """The audio documents as readable lines: speech, [chime: ...], [silence 1:00]."""
        return [part.text for doc in self.documents for part in document_parts(doc)]

    @property
    def parts(self) -> list[Part]:
        """Everything the response plays, in order, each with when it starts."""
        return response_parts(self.response)

    @property
    def audio_ms(self) -> int:
        """How long the response plays before the device listens again."""
        return length_ms(self.parts)

    @property
    def reprompt_parts(self) -> list[Part]:
        """What Alexa plays when nobody answers (nothing when there is no reprompt)."""
        speech = (self.response.get("reprompt") or {}).get("outputSpeech") or {}
        return [speech_part(str(speech["ssml"]))] if speech.get("ssml") else []

    def text(self) -> str:
        """Everything a person would hear, one line per part."""
        return "\n".join(part.text for part in self.parts if part.text)


MIC_WINDOW = timedelta(seconds=8)
"""How long a device listens after a response (and after its reprompt) before giving up."""


@dataclass
class Conversation:
    """Alexa's side of a conversation with the skill, on a clock of its own.

    By default each request arrives ``step`` after the one before, wherever the last
    response's audio has got to: the tests place requests inside long audio this way.
    With ``live=True`` the clock moves past each response's audio as soon as it is
    answered, as a device opens its microphone only once the audio is over, so the
    next request arrives ``step`` after the mic opens. In both modes ``say(text,
    into=...)`` interrupts the last response at a moment ("Alexa, pause" mid-audio)
    and ``silence()`` lets the open mic go unanswered.
    """

    post: Post
    utterances: Utterances
    user_id: str = "amzn1.ask.account.local-household"
    device_id: str = "amzn1.ask.device.living-room"
    locale: str = "en-US"
    now: datetime = field(default_factory=system_now)
    step: timedelta = timedelta(seconds=5)
    api_endpoint: str = "https://api.amazonalexa.com"
    session_id: str | None = None
    person_id: str | None = None
    """The recognised speaker's person id (a voice profile), sent as context.System.person."""
    attributes: dict[str, Any] = field(default_factory=dict)
    last: Said | None = None
    interfaces: dict[str, Any] = field(default_factory=dict)
    granted: set[str] = field(default_factory=set)
    """Permission scopes the household has granted (sent in ``context.System.user``)."""
    consent_asked: tuple[str, str] | None = None
    """Alexa is asking the household for this (scope, token) by voice."""
    on_grant: Callable[[str], None] | None = None
    """Told when the household grants a scope (``closer chat`` tells its fake API)."""
    """The device's supportedInterfaces ({"Alexa.Presentation.APL": {...}} for a screen)."""
    live: bool = False
    began: datetime | None = None
    """When the last response started to play (the time of the request it answered)."""
    mic_opens: datetime | None = None
    """When the device listens again: after the last response's audio, or its reprompt."""
    reprompted: bool = False

    @property
    def in_session(self) -> bool:
        return self.session_id is not None

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def launch(self, at: datetime | None = None) -> Said:
        self._new_session()
        return self._send({"type": "LaunchRequest"}, at)

    def say(self, text: str, into: timedelta | None = None) -> Said:
        """Say something: once the clock has moved on, or ``into`` the last response."""
        at = None if into is None else self.moment(into)
        if self.consent_asked is not None and self.in_session:
            said = normalize(text)
            refused = "DENIED" if said in REFUSE else "NOT_ANSWERED"
            return self.permission("ACCEPTED" if said in APPROVE else refused)
        understood = self.utterances.understand(text)
        if understood.launch:
            return self.launch(at)
        if understood.invoked or not self.in_session:
            self._new_session()
        return self._intent(understood, at)

    def moment(self, into: timedelta) -> datetime:
        """The instant ``into`` the last response's audio (which began at its request)."""
        if self.began is None:
            raise ValueError("nothing has played yet")
        return self.began + into

    @property
    def gives_up(self) -> datetime | None:
        """When the open mic stops listening if nobody speaks."""
        return None if self.mic_opens is None else self.mic_opens + MIC_WINDOW

    def silence(self) -> Said | None:
        """Nobody answers while the mic is open, as Alexa handles it.

        The first time, Alexa plays the reprompt and listens again: the skill hears
        nothing and this returns None. With no reprompt, or a second silence, Alexa ends
        the session with a SessionEndedRequest (``EXCEEDED_MAX_REPROMPTS``), whose answer
        this returns. The clock moves to where the mic opens again, or closes.
        """
        gave_up = self.gives_up
        if not self.in_session or self.last is None or gave_up is None:
            raise ValueError("no session is listening")
        reprompt = self.last.reprompt_parts
        if reprompt and not self.reprompted:
            self.reprompted = True
            self.mic_opens = gave_up + timedelta(milliseconds=length_ms(reprompt))
            self.now = max(self.now, self.mic_opens)
            return None
        return self.end("EXCEEDED_MAX_REPROMPTS", at=gave_up)

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

    def end(
        self,
        reason: str = "USER_INITIATED",
        error: dict[str, str] | None = None,
        at: datetime | None = None,
    ) -> Said:
        request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
        if error:
            request["error"] = error
        said = self._send(request, at)
        self.session_id = None
        return said

    def envelope(self, request: dict[str, Any], at: datetime | None = None) -> dict[str, Any]:
        """The request as Alexa would send it, ``step`` after the last one or ``at``."""
        self.now = self.now + self.step if at is None else at
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
        system: dict[str, Any] = {
            "application": application,
            "user": user,
            "device": {"deviceId": self.device_id, "supportedInterfaces": dict(self.interfaces)},
            "apiEndpoint": self.api_endpoint,
            "apiAccessToken": "local-access-token",
        }
        if self.person_id:
            system["person"] = {"personId": self.person_id}
        return {
            "version": "1.0",
            "session": {
                "new": self._fresh,
                "sessionId": self.session_id or f"amzn1.echo-api.session.{uuid.uuid4()}",
                "application": application,
                "attributes": dict(self.attributes),
                "user": user,
            },
            "context": {"System": system},
            "request": request,
        }

    _fresh: bool = False

    def _new_session(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes = {}
        self._fresh = True

    def _intent(self, understood: Understood, at: datetime | None = None) -> Said:
        return self._send(
            {
                "type": "IntentRequest",
                "dialogState": "COMPLETED",
                "intent": {
                    "name": understood.intent,
                    "confirmationStatus": "NONE",
                    "slots": dict(understood.slots),
                },
            },
            at,
        )

    def _send(self, request: dict[str, Any], at: datetime | None = None) -> Said:
        status, body, headers = self.post(self.envelope(request, at))
        self._fresh = False
        said = Said(status, body, headers)
        self.last = said
        if request["type"] == "SessionEndedRequest":
            return said
        self._play(said)
        self.consent_asked = said.permission_request if status == 200 else None
        if status == 200:
            if said.ended and self.consent_asked is None:
                self.session_id = None
                self.attributes = {}
            else:
                self.attributes = said.session
        return said

    def _play(self, said: Said) -> None:
        """The response starts to play now; in live mode the clock waits for its end."""
        self.began = self.now
        self.mic_opens = self.now + timedelta(milliseconds=said.audio_ms)
        self.reprompted = False
        if self.live:
            self.now = self.mic_opens
