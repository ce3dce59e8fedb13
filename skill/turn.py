"""One request's view of the world: who is asking, when, in which zone, with what state.

A Turn is created per request by the app, passed to ask-sdk as the invocation
context, and reached by handlers as ``handler_input.context``. It reads the
household at most once (lazily) and writes it at most once (``commit``), and
only if it changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from skill.domain.clock import LocalClock, zone_or_none
from skill.domain.household import Household
from skill.reply import Reply
from skill.speech.catalog import LocaleCatalog
from skill.store import HouseholdStore, StoredHousehold

log = logging.getLogger(__name__)

ZONE_SEEN = "zone"
"""Session attribute: the zone looked up today, so a session asks the Settings API once."""

RETENTION = timedelta(days=548)
"""Households untouched for about 18 months expire (DynamoDB TTL; SQLite filters on read)."""


@dataclass(frozen=True)
class Request:
    """The few facts of an Alexa request envelope the skill uses, read defensively."""

    request_type: str
    intent: str | None
    household_id: str | None
    device_id: str | None
    request_id: str
    locale: str | None
    instant: datetime
    new_session: bool
    slots: Mapping[str, Mapping[str, Any]]
    raw: Mapping[str, Any]

    def slot(self, name: str) -> str | None:
        """The slot's resolved id if entity resolution matched, else its spoken value."""
        slot = _map(self.slots.get(name))
        authorities = _map(slot.get("resolutions")).get("resolutionsPerAuthority")
        for authority in authorities if isinstance(authorities, list) else ():
            authority = _map(authority)
            if _map(authority.get("status")).get("code") != "ER_SUCCESS_MATCH":
                continue
            values = authority.get("values")
            if isinstance(values, list) and values:
                value = _map(_map(values[0]).get("value"))
                resolved = _str(value.get("id")) or _str(value.get("name"))
                if resolved:
                    return resolved
        return self.spoken(name)

    def spoken(self, name: str) -> str | None:
        """What the person actually said for a slot."""
        value = _map(self.slots.get(name)).get("value")
        return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass
class Turn:
    request: Request
    store: HouseholdStore
    catalog: LocaleCatalog
    default_zone: str
    zone_override: str | None = None
    zone_lookup: Callable[[], str | None] | None = None
    session: MutableMapping[str, Any] = field(default_factory=dict)
    attempt: int = 1
    handler: str | None = None
    reply: Reply | None = None
    _loaded: bool = False
    _stored: StoredHousehold | None = None
    _household: Household | None = None
    _clock: LocalClock | None = None
    _zone_seen: tuple[str | None, date] | None = None
    wrote: bool = False

    # -- the household ---------------------------------------------------
    @property
    def household(self) -> Household:
        if not self._loaded:
            household_id = self.request.household_id
            self._stored = self.store.load(household_id) if household_id else None
            self._loaded = True
        if self._household is None:
            self._household = (
                Household.from_data(self._stored.data) if self._stored else Household()
            )
        return self._household

    def update(self, household: Household) -> None:
        """Replace the household state; written once by ``commit`` if it differs."""
        self._household = household

    def forget(self) -> None:
        """Delete every trace of the household (one write), now."""
        if self.request.household_id:
            self.store.delete(self.request.household_id)
        self._loaded, self._stored, self._household = True, None, Household()
        self._zone_seen = None
        self.wrote = True

    def commit(self) -> bool:
        """Write the household if it changed. Raises HouseholdConflict or StoreError."""
        household_id = self.request.household_id
        if self._household is None or not household_id:
            return False
        before = self._stored.data if self._stored else None
        data = self._household.to_data()
        changed = data != before and not (before is None and self._household == Household())
        if self._zone_seen is not None:
            # The day's zone check rides along with a write, or writes alone only when the
            # zone itself moved: a read-only turn stays read-only.
            zone_name, checked_on = self._zone_seen
            moved = before is not None and zone_name != self._household.timezone
            if changed or moved:
                self._household = replace(
                    self._household, timezone=zone_name, timezone_checked=checked_on
                )
                data, changed = self._household.to_data(), True
        if not changed:
            return False
        expires = int((self.request.instant + RETENTION).timestamp())
        version = self.store.save(
            household_id, data, self._stored.version if self._stored else None, expires_at=expires
        )
        self._stored = StoredHousehold(household_id, version, data)
        self.wrote = True
        return True

    # -- time ------------------------------------------------------------
    @property
    def clock(self) -> LocalClock:
        if self._clock is None:
            self._clock = LocalClock.at(self.request.instant, self._zone())
        return self._clock

    def _zone(self) -> ZoneInfo:
        override = zone_or_none(self.zone_override)
        if override:
            return override
        fallback = zone_or_none(self.default_zone) or ZoneInfo("UTC")
        household = self.household
        checked_on = self.request.instant.date()
        cached = zone_or_none(household.timezone)
        if household.timezone_checked == checked_on:
            return cached or fallback
        seen = self.session.get(ZONE_SEEN)
        if isinstance(seen, list) and len(seen) == 2 and seen[1] == checked_on.isoformat():
            return zone_or_none(seen[0]) or cached or fallback
        looked_up = self.zone_lookup() if self.zone_lookup else None
        fresh = zone_or_none(looked_up)
        if fresh is None and looked_up:
            log.warning("settings api returned an unknown time zone")
        zone_name = looked_up if fresh else household.timezone
        self._zone_seen = (zone_name, checked_on)
        self.session[ZONE_SEEN] = [zone_name, checked_on.isoformat()]
        return fresh or cached or fallback

    # -- slots and session -------------------------------------------------
    def slot(self, name: str) -> str | None:
        return self.request.slot(name)

    @property
    def pending(self) -> str | None:
        value = self.session.get("pending")
        return value if isinstance(value, str) else None


class MalformedRequest(ValueError):
    """The envelope lacks what every Alexa request has."""


def read_request(raw: Mapping[str, Any]) -> Request:
    """Pick the facts out of a request envelope. Raises MalformedRequest with a short reason."""
    request = raw.get("request")
    if not isinstance(request, Mapping):
        raise MalformedRequest("missing request")
    request_type = request.get("type")
    if not isinstance(request_type, str) or not request_type:
        raise MalformedRequest("missing request type")
    instant = _instant(request.get("timestamp"))
    system = _map(raw.get("context")).get("System")
    if not isinstance(system, Mapping):
        raise MalformedRequest("missing context.System")
    session = _map(raw.get("session"))
    user = _map(system.get("user")) or _map(session.get("user"))
    intent = _map(request.get("intent"))
    slots = {
        name: slot
        for name, slot in _map(intent.get("slots")).items()
        if isinstance(name, str) and isinstance(slot, Mapping)
    }
    return Request(
        request_type=request_type,
        intent=_str(intent.get("name")),
        household_id=_str(user.get("userId")),
        device_id=_str(_map(system.get("device")).get("deviceId")),
        request_id=_str(request.get("requestId")) or "",
        locale=_str(request.get("locale")),
        instant=instant,
        new_session=session.get("new") is not False,
        slots=slots,
        raw=raw,
    )


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise MalformedRequest("missing timestamp")
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedRequest("bad timestamp") from None
    if instant.tzinfo is None:
        raise MalformedRequest("timestamp has no zone")
    return instant


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
