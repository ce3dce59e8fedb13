"""Alexa's alerts (reminders and timers), as data: the calls the skill asks for and what came back.

Nothing here talks to the network. A service builds an ``AlertCall``; the handler sends it
through ``skill.alerts`` with a short timeout and hands the ``AlertOutcome`` back to a
service, which turns it into words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

REMINDERS = "alexa::alerts:reminders:skill:readwrite"
"""Permission scope for the nightly reminder and the time capsule's reminder."""
TIMERS = "alexa::alerts:timers:skill:readwrite"
"""Permission scope for the screen-free timer."""
SCOPES: tuple[str, ...] = (REMINDERS, TIMERS)

REMINDERS_PATH = "/v1/alerts/reminders"
TIMERS_PATH = "/v1/alerts/timers"
MAX_TOKEN = 256
"""Longest reminder or timer id the skill keeps (longer ones are not stored)."""
MAX_TIMER = timedelta(hours=2)
"""Alexa timers last at most two hours."""
LOCAL = "%Y-%m-%dT%H:%M:%S.000"
"""Reminder times are local wall-clock times without an offset; the zone travels beside them."""
TOKEN = re.compile(r"^[A-Za-z0-9._:/+=-]{1,256}$")


class Result(StrEnum):
    DONE = "done"
    NOT_ALLOWED = "not_allowed"
    """401 or 403: the household has not given (or has withdrawn) the permission."""
    GONE = "gone"
    """404: the reminder no longer exists (deleted in the Alexa app, say)."""
    FAILED = "failed"
    """Any other answer: 4xx, 5xx, or a body the skill cannot read."""
    UNREACHABLE = "unreachable"
    """No answer in time, or no connection at all."""


@dataclass(frozen=True)
class AlertCall:
    """One request to the Alexa alerts APIs: method, path under ``apiEndpoint``, JSON body."""

    method: str
    path: str
    body: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class AlertOutcome:
    result: Result
    token: str | None = None
    """The reminder's ``alertToken`` or the timer's ``id``, when one was created."""
    status: int = 0

    @property
    def done(self) -> bool:
        return self.result is Result.DONE


def read_outcome(status: int, body: str) -> AlertOutcome:
    """Classify an HTTP answer from the alerts APIs."""
    if status in (401, 403):
        return AlertOutcome(Result.NOT_ALLOWED, status=status)
    if status == 404:
        return AlertOutcome(Result.GONE, status=status)
    if not 200 <= status < 300:
        return AlertOutcome(Result.FAILED, status=status)
    return AlertOutcome(Result.DONE, _token(body), status)


def _token(body: str) -> str | None:
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError:
        return None
    if not isinstance(data, Mapping):
        return None
    for name in ("alertToken", "id"):
        value = data.get(name)
        if isinstance(value, str) and TOKEN.match(value):
            return value
    return None


def keepable(token: Any) -> str | None:
    """A stored token as read back: a bounded plain string, else None."""
    return token if isinstance(token, str) and TOKEN.match(token) else None


# -- reminders -----------------------------------------------------------------------


def daily_rule(at: time) -> str:
    return f"FREQ=DAILY;BYHOUR={at.hour};BYMINUTE={at.minute};BYSECOND=0"


def next_occurrence(now: datetime, at: time) -> datetime:
    """The first time ``at`` comes round after ``now`` (local wall-clock, no zone)."""
    today = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0, tzinfo=None)
    return today if today > now.replace(tzinfo=None) else today + timedelta(days=1)


@dataclass(frozen=True)
class Spoken:
    """What Alexa says when an alert goes off, in one locale."""

    locale: str
    text: str


def nightly_reminder(now: datetime, at: time, zone: str, spoken: Spoken) -> dict[str, Any]:
    """A reminder every night at ``at`` in ``zone``, starting with the next one."""
    first = next_occurrence(now, at).strftime(LOCAL)
    return {
        "requestTime": now.replace(tzinfo=None).strftime(LOCAL),
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": first,
            "timeZoneId": zone,
            "recurrence": {"startDateTime": first, "recurrenceRules": [daily_rule(at)]},
        },
        "alertInfo": _alert_info(spoken),
        "pushNotification": {"status": "ENABLED"},
    }


def one_reminder(now: datetime, day: date, at: time, zone: str, spoken: Spoken) -> dict[str, Any]:
    """A single reminder on ``day`` at ``at`` in ``zone``."""
    return {
        "requestTime": now.replace(tzinfo=None).strftime(LOCAL),
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": datetime.combine(day, at).strftime(LOCAL),
            "timeZoneId": zone,
        },
        "alertInfo": _alert_info(spoken),
        "pushNotification": {"status": "ENABLED"},
    }


def _alert_info(spoken: Spoken) -> dict[str, Any]:
    return {"spokenInfo": {"content": [{"locale": spoken.locale, "text": spoken.text}]}}


def create_reminder(body: Mapping[str, Any]) -> AlertCall:
    return AlertCall("POST", REMINDERS_PATH, body)


def update_reminder(token: str, body: Mapping[str, Any]) -> AlertCall:
    return AlertCall("PUT", f"{REMINDERS_PATH}/{token}", body)


def delete_reminder(token: str) -> AlertCall:
    return AlertCall("DELETE", f"{REMINDERS_PATH}/{token}")


# -- timers --------------------------------------------------------------------------


@dataclass(frozen=True)
class TimerSpec:
    minutes: int
    label: str
    announce: Spoken
    visible: bool = True


def iso_minutes(minutes: int) -> str:
    """``PT20M``, ``PT1H``, ``PT1H30M``."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def create_timer(spec: TimerSpec) -> AlertCall:
    """A timer that announces its end aloud (no chime to stop by hand)."""
    body = {
        "duration": iso_minutes(spec.minutes),
        "timerLabel": spec.label,
        "creationBehavior": {
            "displayExperience": {"visibility": "VISIBLE" if spec.visible else "HIDDEN"}
        },
        "triggeringBehavior": {
            "operation": {
                "type": "ANNOUNCE",
                "textToAnnounce": [{"locale": spec.announce.locale, "text": spec.announce.text}],
            },
            "notificationConfig": {"playAudible": True},
        },
    }
    return AlertCall("POST", TIMERS_PATH, body)
