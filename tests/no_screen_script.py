"""One household's evening on a device without a screen, as raw response bodies.

``record`` writes them to a JSON file, run against any version of the code:
the test in test_screens.py compares today's responses with the ones recorded
before screens existed, byte for byte. Request and session ids are numbered,
so the same conversation gives the same bytes.

    python tests/no_screen_script.py record tests/data/no_screen_responses.json
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from skill.app import create_app
from skill.devtools import conversation
from skill.devtools.conversation import Conversation
from skill.devtools.models import load_model
from skill.devtools.nlu import Utterances
from skill.settings import Settings
from skill.store.sqlite import SQLiteHouseholdStore

ZONE = "America/New_York"
EVENING = datetime(2026, 3, 10, 21, 0, tzinfo=ZoneInfo(ZONE))
WAIT = "(wait for the audio to end)"
PYTHON = re.compile(r"Python/[0-9.]+")
"""The SDK's userAgent names the Python version: the one part allowed to differ."""
SCRIPT: tuple[str, ...] = (
    "open closer together",
    "tonight's question",
    "ask closer together to repeat the question",
    "ask closer together to start a check-in",
    "ready",
    WAIT,
    "yes",
    WAIT,
    "no",
    WAIT,
    "yes",
    "ask closer together to start our plan",
    "ask closer together what week are we on",
    "ask closer together what's today's ritual",
)


@contextmanager
def numbered_ids() -> Iterator[None]:
    counter = itertools.count(1)
    with mock.patch.object(
        conversation.uuid, "uuid4", lambda: uuid.UUID(int=next(counter))
    ):
        yield


def responses(post: Callable[[dict[str, Any]], tuple[int, str, Mapping[str, str]]]) -> list[str]:
    """Say the script and return each response body exactly as the endpoint sent it."""
    bodies: list[str] = []

    def keep(envelope: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        status, body, headers = post(envelope)
        bodies.append(PYTHON.sub("Python/*", body))
        return status, json.loads(body), headers

    talk = Conversation(keep, Utterances(load_model("en-US")), now=EVENING)
    with numbered_ids():
        for line in SCRIPT:
            if line == WAIT and "check_in" in talk.attributes:
                until = datetime.fromisoformat(talk.attributes["check_in"]["until"])
                talk.now = until.astimezone(talk.now.tzinfo) + timedelta(seconds=1)
            elif line != WAIT:
                talk.say(line)
    return bodies


def record(path: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        store = SQLiteHouseholdStore(Path(scratch) / "households.db")
        app = create_app(
            {
                "TESTING": True,
                "SETTINGS": Settings(verify=False, default_timezone=ZONE),
                "STORE": store,
                "TIMEZONE_OVERRIDE": ZONE,
            }
        )
        client = app.test_client()

        def post(envelope: dict[str, Any]) -> tuple[int, str, Mapping[str, str]]:
            answer = client.post("/alexa", json=envelope)
            return answer.status_code, answer.get_data(as_text=True), dict(answer.headers)

        bodies = responses(post)
        store.close()
    path.write_text(json.dumps(bodies, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "record":
        sys.exit(__doc__)
    record(Path(sys.argv[2]))
