"""Turns that continue the session of the turn before (inside a check-in), for both harnesses.

A scenario step is a request envelope; one marked with ``CARRY`` is sent in the session the
previous step's answer left open: the same session id, ``new: false``, the session attributes
that answer returned, and, while a check-in's timed audio is playing (``check_in.until`` in
the product's session), a timestamp one second after that audio ends (the couple answers when
it has finished). Only the standard library is used: the reference's harness loads this file by
path from its own virtual environment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

CARRY = "_bench_carry"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def carried(envelope: dict[str, Any]) -> dict[str, Any]:
    """``envelope`` marked to continue the previous turn's session."""
    return {**envelope, CARRY: True}


def prepare(
    envelope: dict[str, Any],
    previous: dict[str, Any] | None,
    answer: dict[str, Any] | None,
) -> dict[str, Any]:
    """The envelope to send, given the previous envelope sent and the answer it got."""
    envelope = dict(envelope)
    if not envelope.pop(CARRY, False) or previous is None:
        return envelope
    attributes = (answer or {}).get("sessionAttributes") or {}
    envelope["session"] = {
        **envelope["session"],
        "sessionId": previous["session"]["sessionId"],
        "new": False,
        "attributes": attributes,
    }
    until = (attributes.get("check_in") or {}).get("until")
    if until:
        request = dict(envelope["request"])
        at = datetime.strptime(request["timestamp"], STAMP).replace(tzinfo=UTC)
        after = _instant(until) + timedelta(seconds=1)
        request["timestamp"] = max(at, after).strftime(STAMP)
        envelope["request"] = request
    return envelope


def _instant(value: Any) -> datetime:
    """A session's instant: epoch milliseconds (as the product writes them) or ISO 8601."""
    if isinstance(value, int):
        return datetime.fromtimestamp(value / 1000, UTC)
    return datetime.fromisoformat(str(value)).astimezone(UTC)
