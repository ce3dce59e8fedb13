"""A year of daily use with a real-length Alexa id keeps the whole item at or under 1 KB:
names, a question every night (into the decks), weekly check-ins and ratings, the plan and
a time capsule.

DynamoDB bills a write unit per started kilobyte of the item: attribute names and values, key
included. The key is a fixed-length digest of the id (``skill.store.keys``), so a real,
225-character userId costs the item nothing more than a short one; the state is stored
deflated (about half its JSON).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from skill.devtools.conversation import Conversation
from skill.devtools.nlu import Utterances
from skill.store.base import pack_data
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import AppFactory, poster
from tests.test_check_in_apla import wait_out

LIMIT = 1024
REAL_ID = "amzn1.ask.account." + "AF3ZQ7XK2M5NVB4RY6TLC8WJ" * 8 + "HDG7QP2W9XZKEMN"
EXPIRES = 1_800_000_000


def item_bytes(key: str, version: int, data: Mapping[str, Any]) -> int:
    """The item's size by DynamoDB's rules: UTF-8 names and strings, binary by its bytes,
    numbers ~ digits/2 + 1. The state is held deflated (``pack_data``)."""

    def number(value: int) -> int:
        return (len(str(value)) + 1) // 2 + 1

    return (
        len("pk")
        + len(key.encode())
        + len("version")
        + number(version)
        + len("data")
        + len(pack_data(dict(data)))
        + len("expires_at")
        + number(EXPIRES)
    )


def size(store: SQLiteHouseholdStore) -> int:
    stored = store.load(REAL_ID)
    assert stored is not None
    return item_bytes(store.keys.current(REAL_ID), stored.version, stored.data)


def full_check_in(alexa: Conversation) -> None:
    alexa.say("ask closer together to start a check-in")
    alexa.say("ready")
    wait_out(alexa)
    alexa.say("yes")
    wait_out(alexa)
    alexa.say("yes")


def test_a_year_of_daily_use_with_a_real_id_stays_within_one_kilobyte(
    make_app: AppFactory, store: SQLiteHouseholdStore, utterances: Utterances
) -> None:
    assert len(REAL_ID) == 225
    alexa = Conversation(poster(make_app()), utterances, user_id=REAL_ID)
    alexa.say("ask closer together to remember our names are Samantha and Alexander")
    alexa.say("ask closer together to make the turns three minutes")
    alexa.say("ask closer together to set our weekly check-in to sundays")
    alexa.say("ask closer together to start our plan")
    largest = checks = 0
    for day in range(365):
        alexa.say("ask closer together for tonight's question")
        if day % 2:
            alexa.say("ask closer together for the next question")
        alexa.say("ask closer together what's today's ritual")
        if day % 7 == 0:
            alexa.say("open closer together")
            alexa.say("stop")
            alexa.say("ask closer together to start a morning check-in")
            alexa.say("ready")
            full_check_in(alexa)
            checks += 1
            alexa.say("ask closer together to let's rate our week")
            alexa.say("three and four")
        if day % 90 == 0:
            alexa.say("ask closer together to restart the plan")
            alexa.say("yes")
            alexa.say("ask closer together to start a time capsule")
        largest = max(largest, size(store))
        alexa.advance(days=1)
    stored = store.load(REAL_ID)
    assert stored is not None
    assert stored.data["check_in"]["count"] >= checks
    assert len(stored.data["closeness"]) == 8
    assert stored.data["habits"]["capsule"]
    assert len(stored.data["rq"]) == 8 * 8  # the request digests are full
    assert REAL_ID not in json.dumps(stored.data)
    assert largest <= LIMIT, largest
