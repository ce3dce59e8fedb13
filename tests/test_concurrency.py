"""Several devices of one household at once: nothing is lost, everyone hears the same night."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from skill.devtools.conversation import Conversation, Said
from skill.devtools.nlu import Utterances
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import EVENING, HOUSEHOLD, poster
from tests.gunicorn_server import gunicorn_app

Post = Callable[[dict[str, Any]], tuple[int, dict[str, Any], Mapping[str, str]]]


def http_poster(base: str) -> Post:
    def post(envelope: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        request = urllib.request.Request(
            f"{base}/alexa",
            data=json.dumps(envelope).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer), dict(answer.headers)

    return post


def devices(posts: list[Post], utterances: Utterances) -> list[Conversation]:
    return [
        Conversation(
            post,
            utterances,
            user_id=HOUSEHOLD,
            device_id=f"amzn1.ask.device.{index}",
            now=EVENING,
            api_endpoint="http://127.0.0.1:9",
        )
        for index, post in enumerate(posts)
    ]


def all_at_once(speakers: list[Conversation], text: str) -> list[Said]:
    """Every device says `text` at the same moment (a barrier), one thread each."""
    barrier = threading.Barrier(len(speakers), timeout=10)
    results: list[Said | None] = [None] * len(speakers)

    def device(index: int) -> None:
        barrier.wait()
        results[index] = speakers[index].say(text)

    threads = [threading.Thread(target=device, args=(i,)) for i in range(len(speakers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


def stored(store: SQLiteHouseholdStore, part: str) -> dict[str, Any]:
    household = store.load(HOUSEHOLD)
    assert household is not None
    return dict(household.data.get(part, {}))


def question_of(said: Said) -> str:
    assert said.card is not None, said.keys
    return str(said.card["content"])


def check_household(posts: list[Post], utterances: Utterances, store: SQLiteHouseholdStore) -> None:
    speakers = devices(posts, utterances)
    tonight = all_at_once(speakers, "ask closer together for tonight's question")
    assert all(s.status == 200 for s in tonight)
    assigned = [s for s in tonight if s.card is not None]
    assert assigned, [s.keys for s in tonight]
    assert len({question_of(s) for s in assigned}) == 1
    before = stored(store, "questions")

    moved = all_at_once(speakers, "ask closer together for the next question")
    assert all(s.status == 200 for s in moved)
    advanced = [s for s in moved if s.card is not None]
    apologised = [s for s in moved if "error.store" in s.keys]
    assert len(advanced) + len(apologised) == len(posts)
    assert len(advanced) >= 1
    after = stored(store, "questions")
    assert after.get("given", 0) - before.get("given", 0) == len(advanced)
    assert after.get("pos", 0) - before.get("pos", 0) == len(advanced)

    started = all_at_once(speakers, "ask closer together to start a morning check-in")
    ready = [s for s, begun in zip(speakers, started, strict=True) if not begun.ended]
    finished = all_at_once(ready, "ready")
    completed = [s for s in finished if "check_in.morning.goodbye" in s.keys]
    assert completed
    assert all(s.status == 200 for s in finished)
    assert stored(store, "check_in").get("count", 0) == len(completed)


@pytest.mark.parametrize("devices", [2, 8])
def test_devices_racing_through_the_flask_app(
    app: Flask, utterances: Utterances, store: SQLiteHouseholdStore, devices: int
) -> None:
    check_household([poster(app) for _ in range(devices)], utterances, store)


@pytest.mark.parametrize("devices", [2, 8])
def test_devices_racing_through_gunicorn(
    tmp_path: Path, utterances: Utterances, devices: int
) -> None:
    database = tmp_path / "households.db"
    with gunicorn_app(database, workers=2) as base:
        store = SQLiteHouseholdStore(database)
        try:
            check_household([http_poster(base) for _ in range(devices)], utterances, store)
        finally:
            store.close()
