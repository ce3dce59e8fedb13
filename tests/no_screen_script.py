"""One household's evening, as raw response bodies, on a device with or without a screen.

Request and session ids are numbered, so the same conversation gives the same bytes: the
test in test_screens.py says the same evening on an Echo Show and on a speaker and compares
the bodies, which must differ only by the screen's directive.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from skill.devtools import conversation
from skill.devtools.conversation import Conversation
from skill.devtools.models import load_model
from skill.devtools.nlu import Utterances
from tests.stamps import stamped

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
    with mock.patch.object(conversation.uuid, "uuid4", lambda: uuid.UUID(int=next(counter))):
        yield


def responses(
    post: Callable[[dict[str, Any]], tuple[int, str, Mapping[str, str]]],
    interfaces: Mapping[str, Any] | None = None,
) -> list[str]:
    """Say the script and return each response body exactly as the endpoint sent it."""
    bodies: list[str] = []

    def keep(envelope: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        status, body, headers = post(envelope)
        bodies.append(PYTHON.sub("Python/*", body))
        return status, json.loads(body), headers

    talk = Conversation(
        keep, Utterances(load_model("en-US")), now=EVENING, interfaces=dict(interfaces or {})
    )
    with numbered_ids():
        for line in SCRIPT:
            if line == WAIT and "check_in" in talk.attributes:
                until = stamped(talk.attributes["check_in"]["until"])
                talk.now = until.astimezone(talk.now.tzinfo) + timedelta(seconds=1)
            elif line != WAIT:
                talk.say(line)
    return bodies
