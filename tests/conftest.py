"""Shared fixtures: the app on a fresh SQLite store, and Alexa as a conversation partner."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from skill.app import create_app
from skill.content.catalog import Catalog, LocaleCatalog, load_catalog
from skill.content.checks import check_content
from skill.devtools.conversation import Conversation
from skill.devtools.models import load_model
from skill.devtools.nlu import Utterances
from skill.settings import Settings
from skill.speech.screens import ScreenLibrary
from skill.speech.screens import prepare as prepare_screens
from skill.store.sqlite import SQLiteHouseholdStore
from tests.fake_alexa_api import FakeAlexaApi, fake_alexa_api

HOUSEHOLD = "amzn1.ask.account.test-household"
DEFAULT_ZONE = "America/New_York"
EVENING = datetime(2026, 3, 10, 21, 0, tzinfo=ZoneInfo(DEFAULT_ZONE))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The project's content, loaded and checked once (as create_app does at start-up)."""
    loaded = load_catalog(Settings().content_dir)
    check_content(loaded)
    return loaded


@pytest.fixture(scope="session")
def screens(catalog: Catalog) -> ScreenLibrary:
    return prepare_screens(Settings().content_dir, catalog)


@pytest.fixture(scope="session")
def en(catalog: Catalog) -> LocaleCatalog:
    return catalog.base


@pytest.fixture(scope="session")
def utterances() -> Utterances:
    return Utterances(load_model("en-US"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteHouseholdStore]:
    store = SQLiteHouseholdStore(tmp_path / "households.db")
    yield store
    store.close()


AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(store: SQLiteHouseholdStore, catalog: Catalog, screens: ScreenLibrary) -> AppFactory:
    """Build the app with verification off; keyword arguments override config keys."""

    def build(**overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "TESTING": True,
            "SETTINGS": Settings(verify=False, default_timezone=DEFAULT_ZONE),
            "STORE": store,
            "CATALOG": catalog,
            "SCREENS": screens,
            "TIMEZONE_OVERRIDE": DEFAULT_ZONE,
        }
        config.update(overrides)
        return create_app(config)

    return build


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    return make_app()


def poster(app: Flask) -> Callable[[dict[str, Any]], tuple[int, dict[str, Any], Mapping[str, str]]]:
    client = app.test_client()

    def post(envelope: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        answer = client.post("/alexa", json=envelope)
        return answer.status_code, answer.get_json(silent=True) or {}, dict(answer.headers)

    return post


ConversationFactory = Callable[..., Conversation]


@pytest.fixture
def talk(app: Flask, utterances: Utterances) -> ConversationFactory:
    """Start a conversation: talk(device_id=..., now=..., user_id=...)."""

    def start(**options: Any) -> Conversation:
        options.setdefault("user_id", HOUSEHOLD)
        options.setdefault("now", EVENING)
        return Conversation(poster(app), utterances, **options)

    return start


@pytest.fixture
def alexa(talk: ConversationFactory) -> Conversation:
    """One household, one device, on a March evening in New York."""
    return talk()


@pytest.fixture
def api() -> Iterator[FakeAlexaApi]:
    """A fake Alexa API (settings, reminders, timers) on 127.0.0.1 for this test."""
    with fake_alexa_api() as fake:
        yield fake


@pytest.fixture
def home(talk: ConversationFactory, api: FakeAlexaApi) -> Conversation:
    """The household of ``alexa``, whose Alexa API is the fake: what they allow, it allows."""
    return talk(api_endpoint=api.endpoint, on_grant=api.grant)
