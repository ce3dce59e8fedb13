"""Apology rate when devices of one household talk at once, through the Flask app.

    .venv/bin/python bench/micro/contention.py [--store sqlite|dynamodb] [--trials 5]

For 2, 4 and 8 devices (one thread each), every device says "next question" back to back
``--turns`` times; devices are spread over ``--apps`` app instances sharing one store (as
gunicorn workers share a table: within one app a household's turns take turns, across apps
they race on the version). DynamoDB is moto's server on 127.0.0.1 with requests serialised (as
the tests run it). Prints apologies / turns and the conflicts the request log counted.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from skill.app import create_app
from skill.content.catalog import load_catalog
from skill.devtools.conversation import Conversation
from skill.devtools.models import load_model
from skill.devtools.nlu import Utterances
from skill.settings import Settings
from skill.store.dynamodb import DynamoDBHouseholdStore, create_table
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import EVENING, HOUSEHOLD, poster
from tests.dynamo_server import make_client, moto_dynamodb


class Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.conflicts = 0
        self.counting = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self.counting:
            self.conflicts += json.loads(record.getMessage()).get("conflicts", 0)


def trial(
    store: Any, devices: int, turns: int, apps: int, utterances: Utterances
) -> tuple[int, int]:
    catalog = load_catalog(Settings().content_dir)
    made = [
        create_app(
            {
                "TESTING": True,
                "SETTINGS": Settings(verify=False),
                "STORE": store,
                "CATALOG": catalog,
                "TIMEZONE_OVERRIDE": "America/New_York",
            }
        )
        for _ in range(apps)
    ]
    user = f"{HOUSEHOLD}-{uuid.uuid4().hex[:8]}"
    speakers = [
        Conversation(
            poster(made[i % apps]), utterances, user_id=user, device_id=f"d{i}", now=EVENING
        )
        for i in range(devices)
    ]
    barrier = threading.Barrier(devices)
    apologies = [0]
    lock = threading.Lock()

    def device(alexa: Conversation) -> None:
        barrier.wait()
        for _ in range(turns):
            said = alexa.say("ask closer together for the next question")
            if "error.store" in said.keys:
                with lock:
                    apologies[0] += 1

    threads = [threading.Thread(target=device, args=(s,)) for s in speakers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return apologies[0], devices * turns


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", choices=("sqlite", "dynamodb"), default="sqlite")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--apps", type=int, default=2)
    options = parser.parse_args()
    utterances = Utterances(load_model("en-US"))
    counter = Counter()
    request_log = logging.getLogger("closer.request")
    request_log.setLevel(logging.INFO)
    request_log.addHandler(counter)
    request_log.propagate = False
    with tempfile.TemporaryDirectory() as folder, moto_dynamodb() as endpoint:
        if options.store == "sqlite":
            store: Any = SQLiteHouseholdStore(Path(folder) / "households.db")
        else:
            create_table(make_client(endpoint), "contention")
            store = DynamoDBHouseholdStore(make_client(endpoint), "contention")
        for devices in (2, 4, 8):
            counter.conflicts = 0
            said = total = 0
            for _ in range(options.trials):
                apologised, turns = trial(store, devices, options.turns, options.apps, utterances)
                said, total = said + apologised, total + turns
            print(
                json.dumps(
                    {
                        "store": options.store,
                        "apps": options.apps,
                        "devices": devices,
                        "turns": total,
                        "apologies": said,
                        "apology_percent": round(100 * said / total, 1),
                        "conflicts_retried": counter.conflicts,
                    }
                )
            )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
