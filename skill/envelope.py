"""The one reader of an Alexa request envelope: the facts the skill uses, read defensively.

Everything else (handlers, services, the verifier's timestamp and skill-id checks, logging)
reads a :class:`Request`, never the raw JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from skill.domain.clock import read_instant
from skill.domain.voices import person_digest

APL_INTERFACE = "Alexa.Presentation.APL"
TOUCH = "Alexa.Presentation.APL.UserEvent"
"""A touch on a screen; one that names a touch intent is read as that intent, said aloud."""
TOUCH_INTENTS: frozenset[str] = frozenset({"NextQuestionIntent"})
"""Intents a touch on a screen may ask for (the first ``SendEvent`` argument)."""


class MalformedRequest(ValueError):
    """The envelope lacks what every Alexa request has."""


@dataclass(frozen=True)
class ReportedError:
    """An error Alexa reports to the skill (on SessionEndedRequest or ExceptionEncountered)."""

    type: str
    reason: str | None = None


@dataclass(frozen=True)
class ConnectionAnswer:
    """A ``Connections.Response``: how a request the skill handed to Alexa turned out
    (for a permission asked by voice: ACCEPTED, DENIED or NOT_ANSWERED)."""

    name: str | None
    code: str | None
    """``status.code``: "200" when Alexa could carry the request out."""
    status: str | None
    """``payload.status``."""
    scope: str | None = None
    token: str | None = None


@dataclass(frozen=True)
class Request:
    """The few facts of an Alexa request envelope the skill uses."""

    request_type: str
    instant: datetime
    intent: str | None = None
    household_id: str | None = None
    device_id: str | None = None
    request_id: str = ""
    application_id: str | None = None
    locale: str | None = None
    slots: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    error: ReportedError | None = None
    persistence_status: str | None = None
    """For SkillDisabled: whether Alexa keeps the account's data (PERSISTED) or not."""
    supports_apl: bool = False
    """The device renders APL screens (an Echo Show, a Fire TV)."""
    touched: bool = False
    """A touch on a screen, read as the intent it names."""
    person: str | None = None
    """A digest of the recognised speaker's person id (``context.System.person.personId``),
    when Alexa recognised a voice profile; the id itself is never kept."""
    api_endpoint: str | None = None
    api_token: str | None = None
    scopes: frozenset[str] | None = None
    """Permission scopes the household has granted, when the envelope lists them."""
    consented: bool = False
    """The envelope carries a consent token (some permission was granted)."""
    connection: ConnectionAnswer | None = None

    def permits(self, scope: str) -> bool:
        """Whether the household has granted ``scope``, as far as this request tells."""
        if self.scopes is not None:
            return scope in self.scopes
        return self.consented

    def slot(self, name: str) -> str | None:
        """The slot's resolved id if entity resolution matched, else its spoken value."""
        slot = _map(self.slots.get(name))
        authorities = _map(slot.get("resolutions")).get("resolutionsPerAuthority")
        for authority in authorities if isinstance(authorities, list) else ():
            resolved = _resolved(_map(authority))
            if resolved:
                return resolved
        return self.spoken(name)

    def spoken(self, name: str) -> str | None:
        """What the person actually said for a slot."""
        value = _map(self.slots.get(name)).get("value")
        return value.strip() if isinstance(value, str) and value.strip() else None


def read_request(raw: Mapping[str, Any]) -> Request:
    """Pick the facts out of a request envelope. Raises MalformedRequest with a short reason."""
    request = raw.get("request")
    if not isinstance(request, Mapping):
        raise MalformedRequest("missing request")
    request_type = _str(request.get("type"))
    if request_type is None:
        raise MalformedRequest("missing request type")
    instant = _instant(request.get("timestamp"))
    system = _map(raw.get("context")).get("System")
    if not isinstance(system, Mapping):
        raise MalformedRequest("missing context.System")
    session = _map(raw.get("session"))
    intent = _map(request.get("intent"))
    touched = _touched_intent(request) if request_type == TOUCH else None
    interfaces = _map(_map(system.get("device")).get("supportedInterfaces"))
    permissions = _map(_map(system.get("user")).get("permissions"))
    return Request(
        request_type="IntentRequest" if touched else request_type,
        instant=instant,
        intent=touched or _str(intent.get("name")),
        household_id=_str((_map(system.get("user")) or _map(session.get("user"))).get("userId")),
        device_id=_str(_map(system.get("device")).get("deviceId")),
        request_id=_str(request.get("requestId")) or "",
        application_id=_str(_map(system.get("application")).get("applicationId"))
        or _str(_map(session.get("application")).get("applicationId")),
        locale=_str(request.get("locale")),
        slots=_slots(intent),
        error=_error(request),
        persistence_status=_str(_map(request.get("body")).get("userInformationPersistenceStatus")),
        supports_apl=APL_INTERFACE in interfaces,
        touched=touched is not None,
        person=_person(system),
        api_endpoint=_str(system.get("apiEndpoint")),
        api_token=_str(system.get("apiAccessToken")),
        scopes=_granted(permissions.get("scopes")),
        consented=_str(permissions.get("consentToken")) is not None,
        connection=_connection(request) if request_type == "Connections.Response" else None,
    )


def _granted(scopes: Any) -> frozenset[str] | None:
    if not isinstance(scopes, Mapping):
        return None
    return frozenset(
        name
        for name, scope in scopes.items()
        if isinstance(name, str) and _map(scope).get("status") == "GRANTED"
    )


def _connection(request: Mapping[str, Any]) -> ConnectionAnswer:
    payload = _map(request.get("payload"))
    code = _map(request.get("status")).get("code")
    return ConnectionAnswer(
        name=_str(request.get("name")),
        code=str(code) if isinstance(code, (str, int)) and not isinstance(code, bool) else None,
        status=_str(payload.get("status")),
        scope=_str(payload.get("permissionScope")),
        token=_str(request.get("token")),
    )


def _touched_intent(request: Mapping[str, Any]) -> str | None:
    """The intent a touch names (a screen's ``SendEvent`` arguments start with it)."""
    arguments = request.get("arguments")
    first = arguments[0] if isinstance(arguments, list) and arguments else None
    return first if isinstance(first, str) and first in TOUCH_INTENTS else None


def _person(system: Mapping[str, Any]) -> str | None:
    person_id = _str(_map(system.get("person")).get("personId"))
    return person_digest(person_id) if person_id else None


MAX_ATTRIBUTE_DEPTH = 12
"""Deeper than anything the skill writes into the session (its own attributes nest 4 deep)."""


def fit_attributes(raw: Any) -> dict[str, Any]:
    """A fresh copy of the session attributes fit to work with and echo back: each attribute
    that nests deeper than MAX_ATTRIBUTE_DEPTH or holds NaN or an infinity is left out."""
    if not isinstance(raw, Mapping):
        return {}
    fit: dict[str, Any] = {}
    for name, value in raw.items():
        copied = _fit(value, MAX_ATTRIBUTE_DEPTH)
        if isinstance(name, str) and copied is not _UNFIT:
            fit[name] = copied
    return fit


_UNFIT = object()


def _fit(value: Any, depth: int) -> Any:
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _UNFIT
    if depth <= 0 or not isinstance(value, list | Mapping):
        return _UNFIT
    items = value.items() if isinstance(value, Mapping) else enumerate(value)
    copied = {key: _fit(item, depth - 1) for key, item in items}
    if any(item is _UNFIT for item in copied.values()):
        return _UNFIT
    return copied if isinstance(value, Mapping) else list(copied.values())


def _instant(value: Any) -> datetime:
    instant = read_instant(value)
    if instant is None:
        raise MalformedRequest("missing or bad timestamp")
    return instant


def _slots(intent: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {
        name: slot
        for name, slot in _map(intent.get("slots")).items()
        if isinstance(name, str) and isinstance(slot, Mapping)
    }


def _error(request: Mapping[str, Any]) -> ReportedError | None:
    error = request.get("error")
    if not isinstance(error, Mapping):
        return None
    return ReportedError(_str(error.get("type")) or "UNKNOWN", _str(request.get("reason")))


def _resolved(authority: Mapping[str, Any]) -> str | None:
    if _map(authority.get("status")).get("code") != "ER_SUCCESS_MATCH":
        return None
    values = authority.get("values")
    if not isinstance(values, list) or not values:
        return None
    value = _map(_map(values[0]).get("value"))
    return _str(value.get("id")) or _str(value.get("name"))


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
