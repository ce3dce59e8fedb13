"""Ten years of daily use keep the household item small: under 4 KB, one DynamoDB read unit."""

from __future__ import annotations

import json

from skill.devtools.conversation import Conversation
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD
from tests.test_check_in_apla import wait_out

LIMIT = 4096
YEARS = 10


def size(store: SQLiteHouseholdStore) -> int:
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    return len(json.dumps(stored.data, separators=(",", ":"), sort_keys=True).encode())


def full_check_in(alexa: Conversation) -> None:
    alexa.say("ask closer together to start a check-in")
    alexa.say("ready")
    wait_out(alexa)
    alexa.say("yes")
    wait_out(alexa)
    alexa.say("yes")


def test_ten_years_of_daily_use_stay_under_4_kb(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say("ask closer together to remember our names are Samantha and Alexander")
    alexa.say("ask closer together to make the turns three minutes")
    alexa.say("ask closer together to set our weekly check-in to sundays")
    largest = 0
    checks = 0
    for day in range(365 * YEARS):
        alexa.say("ask closer together for tonight's question")
        if day % 2:
            alexa.say("ask closer together for the next question")
        if day % 7 == 0:
            alexa.say("open closer together")
            alexa.say("stop")
            alexa.say("ask closer together to start a morning check-in")
            alexa.say("ready")
            full_check_in(alexa)
            checks += 1
        if day % 90 == 0:
            alexa.say("ask closer together to restart the plan")
            alexa.say("yes")
        if day % 30 == 0:
            largest = max(largest, size(store))
        alexa.advance(days=1)
    largest = max(largest, size(store))
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    assert stored.data["check_in"]["count"] >= checks
    assert largest < LIMIT, largest
