"""The household's clock comes from the device's zone (Settings API), cached, with a fallback."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Flask

from skill.devtools.conversation import Conversation
from skill.devtools.nlu import Utterances
from skill.domain.clock import LocalClock, night_of
from skill.store import HouseholdStore
from tests.conftest import HOUSEHOLD, AppFactory, poster
from tests.fake_alexa_api import fake_alexa_api

DEVICE = "amzn1.ask.device.kitchen"
# 01:00 UTC on 11 March: 10 p.m. on the 10th in Sao Paulo, 1 a.m. on the 11th in London
INSTANT = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)


def conversation(app: Flask, utterances: Utterances, endpoint: str) -> Conversation:
    return Conversation(
        poster(app),
        utterances,
        user_id=HOUSEHOLD,
        device_id=DEVICE,
        now=INSTANT,
        api_endpoint=endpoint,
    )


def test_the_device_zone_is_fetched_and_cached_for_the_day(
    make_app: AppFactory, utterances: Utterances, store: HouseholdStore
) -> None:
    app = make_app(TIMEZONE_OVERRIDE=None)
    with fake_alexa_api(**{DEVICE: "America/Sao_Paulo"}) as api:
        alexa = conversation(app, utterances, api.endpoint)
        alexa.launch()
        alexa.say("help")
        alexa.say("stop")
        alexa.launch()
        assert len(api.calls) == 1
        assert api.tokens[0] == "Bearer local-access-token"
        stored = store.load(HOUSEHOLD)
        assert stored is not None
        assert stored.data["tz"] == "America/Sao_Paulo"
        assert stored.data["first_seen"] == "2026-03-10"
        alexa.advance(days=1)
        alexa.launch()
        assert len(api.calls) == 2


def test_an_unreachable_settings_api_falls_back_to_the_default_zone(
    make_app: AppFactory, utterances: Utterances, store: HouseholdStore
) -> None:
    app = make_app(TIMEZONE_OVERRIDE=None)
    with fake_alexa_api() as api:
        api.status = 500
        alexa = conversation(app, utterances, api.endpoint)
        turn = alexa.launch()
        assert turn.status == 200 and turn.keys[0] == "launch.first"
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    assert stored.data["first_seen"] == "2026-03-10"  # New York, the configured default


def test_a_slow_settings_api_costs_at_most_the_timeout(
    make_app: AppFactory, utterances: Utterances
) -> None:
    app = make_app(TIMEZONE_OVERRIDE=None)
    with fake_alexa_api(**{DEVICE: "Europe/London"}) as api:
        api.delay = 3.0
        alexa = conversation(app, utterances, api.endpoint)
        started = time.monotonic()
        turn = alexa.launch()
        assert turn.status == 200
        assert time.monotonic() - started < 2.5


def test_the_night_runs_until_four_in_the_morning() -> None:
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    assert night_of(datetime(2026, 3, 11, 3, 30, tzinfo=london)).isoformat() == "2026-03-10"
    assert night_of(datetime(2026, 3, 11, 4, 0, tzinfo=london)).isoformat() == "2026-03-11"
    clock = LocalClock.at(INSTANT, ZoneInfo("Asia/Tokyo"))
    assert clock.today.isoformat() == "2026-03-11" and clock.hour == 10


def test_a_read_only_turn_writes_nothing_even_on_a_new_day(
    make_app: AppFactory, utterances: Utterances, store: HouseholdStore
) -> None:
    app = make_app(TIMEZONE_OVERRIDE=None)
    with fake_alexa_api(**{DEVICE: "America/Sao_Paulo"}) as api:
        alexa = conversation(app, utterances, api.endpoint)
        alexa.launch()
        alexa.say("stop")
        before = store.load(HOUSEHOLD)
        alexa.advance(days=1)
        alexa.say("ask closer together what week are we on")
        assert store.load(HOUSEHOLD) == before
        alexa.launch()
        alexa.say("what week are we on")
        assert len(api.calls) == 3  # day 1; the one-shot; the new session, which then reuses it
        after = store.load(HOUSEHOLD)
        assert after is not None and after.version == before.version + 1  # type: ignore[union-attr]


def test_a_moved_device_updates_the_zone(
    make_app: AppFactory, utterances: Utterances, store: HouseholdStore
) -> None:
    app = make_app(TIMEZONE_OVERRIDE=None)
    with fake_alexa_api(**{DEVICE: "America/Sao_Paulo"}) as api:
        alexa = conversation(app, utterances, api.endpoint)
        alexa.launch()
        alexa.say("stop")
        api.zones[DEVICE] = "Europe/Lisbon"
        alexa.advance(days=1)
        alexa.say("ask closer together what week are we on")
    stored = store.load(HOUSEHOLD)
    assert stored is not None and stored.data["tz"] == "Europe/Lisbon"
