"""One request and its answer, as the runtime sees it: the household read at most once, its
time zone, and the household written at most once, only if it changed.

An Exchange is created per attempt at a request by the app and passed to ask-sdk as the
invocation context (handlers reach it as ``handler_input.context``). Handlers build the narrow
:class:`skill.turn.Turn` a service sees from it. The app writes (``commit``) after ask-sdk has
built the response, so a write that fails leaves the response in hand.

Exactly once: every write records the request's digest in the item (``codec.with_applied``).
When a read finds this request's digest already there, the request was applied before:
:class:`AlreadyApplied` says at which version, and whether an earlier attempt of this very
turn wrote that version (``tried``: its write was re-sent after it landed, or its answer was
lost). Attempts that target the same version start from the same state, so that attempt's
response is the turn's answer, word for word. Otherwise the request is a replay (another copy
of it was applied), and it is answered without being applied again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from skill import codec
from skill.content.catalog import LocaleCatalog
from skill.domain.clock import zone_or_none
from skill.domain.household import Household
from skill.envelope import Request
from skill.reply import Reply
from skill.speech.screens import ScreenLibrary
from skill.store import HouseholdStore, StoredHousehold

log = logging.getLogger(__name__)

ZONE_SEEN = "zone"
"""Session attribute: the zone looked up today, so a session asks the Settings API once."""

RETENTION = timedelta(days=548)
"""Households untouched for about 18 months expire (DynamoDB TTL; SQLite filters on read)."""

ZoneLookup = Callable[[], str | None]


class AlreadyApplied(Exception):
    """This request's write is already in the household item, at ``version``."""

    def __init__(self, version: int, *, own: bool) -> None:
        super().__init__(f"request already applied at version {version}")
        self.version = version
        self.own = own


@dataclass
class Exchange:
    request: Request
    store: HouseholdStore
    catalog: LocaleCatalog
    default_zone: str
    screens: ScreenLibrary | None = None
    """The checked APL documents, for devices with a screen."""
    zone_override: str | None = None
    attempt: int = 1
    tried: Collection[int] = ()
    """Versions that earlier attempts of this request tried to write."""
    preloaded: StoredHousehold | None = None
    """The item as a conflicting write found it: read without asking the store again."""
    session: MutableMapping[str, Any] = field(default_factory=dict)
    handler: str | None = None
    reply: Reply | None = None
    after: Household | None = None
    """The household as the service left it (None when no service read it)."""
    wrote: bool = False
    target: int | None = None
    """The version this attempt's write would create (set when it writes)."""
    local: datetime | None = None
    """The request's instant in the household's zone, once a handler has settled the zone."""
    _loaded: bool = False
    _stored: StoredHousehold | None = None
    _zone_seen: tuple[str | None, date] | None = None

    def household(self) -> Household:
        """The household as stored (one read, on first use), or a new one."""
        if not self._loaded:
            household_id = self.request.household_id
            if self.preloaded is not None:
                self._stored = self.preloaded
            else:
                self._stored = self.store.load(household_id) if household_id else None
            self._loaded = True
            self._check_applied()
        return codec.decode(self._stored.data) if self._stored else Household()

    def _check_applied(self) -> None:
        if self._stored is None:
            return
        digest = codec.request_digest(self.request.request_id)
        version = codec.applied_version(self._stored.data, self._stored.version, digest)
        if version is not None:
            raise AlreadyApplied(version, own=version in self.tried)

    def zone(self, household: Household, lookup: ZoneLookup) -> ZoneInfo:
        """The household's time zone today: the override, the zone already checked today, or
        the device's zone from ``lookup`` (the Settings API, asked at most once a day)."""
        override = zone_or_none(self.zone_override)
        if override:
            return override
        fallback = zone_or_none(self.default_zone) or ZoneInfo("UTC")
        today = self.request.instant.date()
        cached = zone_or_none(household.timezone)
        if household.timezone_checked == today:
            return cached or fallback
        seen = self.session.get(ZONE_SEEN)
        if isinstance(seen, list) and _seen_today(seen, today):
            return zone_or_none(seen[0]) or cached or fallback
        looked_up = lookup()
        fresh = zone_or_none(looked_up)
        if fresh is None and looked_up:
            log.warning("settings api returned an unknown time zone")
        zone_name = looked_up if fresh else household.timezone
        self._zone_seen = (zone_name, today)
        self.session[ZONE_SEEN] = [zone_name, today.isoformat()]
        return fresh or cached or fallback

    def commit(self) -> bool:
        """Write the household if the turn changed it, or delete it if the reply says forget.

        Raises HouseholdConflict or StoreError.
        """
        household_id = self.request.household_id
        household = self.after
        if not household_id:
            return False
        if self.reply is not None and self.reply.forget:
            self.store.delete(household_id)
            self._loaded, self._stored, self.wrote = True, None, True
            return True
        if household is None:
            return False
        data = self._to_write(household)
        if data is None:
            return False
        expires = int((self.request.instant + RETENTION).timestamp())
        before = self._stored
        data = codec.with_applied(
            data, before.data if before else None, codec.request_digest(self.request.request_id)
        )
        self.target = before.version + 1 if before else 1
        version = self.store.save(
            household_id, data, before.version if before else None, expires_at=expires
        )
        self._stored = StoredHousehold(household_id, version, data)
        self.wrote = True
        return True

    def _to_write(self, household: Household) -> dict[str, Any] | None:
        """The data to write, or None when nothing worth writing changed.

        The day's zone check rides along with a write, or writes alone only when the zone
        itself moved: a read-only turn stays read-only.
        """
        before = codec.without_applied(self._stored.data) if self._stored else None
        data = codec.encode(household)
        changed = data != before and not (before is None and household.is_new)
        if self._zone_seen is not None:
            zone_name, checked_on = self._zone_seen
            moved = before is not None and zone_name != household.timezone
            if changed or moved:
                household = replace(household, timezone=zone_name, timezone_checked=checked_on)
                data, changed = codec.encode(household), True
        return data if changed else None


def _seen_today(seen: list[Any], today: date) -> bool:
    """The session's ``zone`` attribute is [zone name or None, today's date]."""
    return (
        len(seen) == 2
        and (seen[0] is None or isinstance(seen[0], str))
        and seen[1] == today.isoformat()
    )
