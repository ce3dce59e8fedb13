"""`closer serve --dev` really serves: a process on 127.0.0.1 answering /healthz and /alexa."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.dynamo_server import free_port
from tests.signing import alexa_body


def test_serve_dev_answers_on_loopback_and_warns(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "CLOSER_SQLITE_PATH": str(tmp_path / "h.db"),
        "CLOSER_DEFAULT_TIMEZONE": "Europe/London",
    }
    env.pop("CLOSER_SKILL_ID", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "skill.cli", "serve", "--dev", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                    assert json.load(answer) == {"status": "ok"}
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
        from datetime import UTC, datetime

        body = alexa_body(timestamp=datetime.now(UTC))
        envelope = json.loads(body)
        envelope["context"]["System"]["apiEndpoint"] = "http://127.0.0.1:9"
        request = urllib.request.Request(
            f"{base}/alexa",
            data=json.dumps(envelope).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            reply = json.load(answer)
        assert reply["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "verification is OFF" in err


BUILT_WITH_COLLECTION_HELD = """
import gc
from skill.startup import hold_collection
hold_collection()
from skill.app import create_app
held = gc.isenabled()
app = create_app()
print(held, gc.isenabled(), gc.get_freeze_count())
"""


def test_a_server_builds_the_app_with_collection_held_then_frozen_and_on(tmp_path: Path) -> None:
    env = {**os.environ, "CLOSER_SQLITE_PATH": str(tmp_path / "h.db"), "CLOSER_VERIFY": "off"}
    env.pop("CLOSER_SKILL_ID", None)
    done = subprocess.run(
        [sys.executable, "-c", BUILT_WITH_COLLECTION_HELD],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    held, enabled, frozen = done.stdout.split()
    assert (held, enabled) == ("False", "True")
    assert int(frozen) > 20_000  # the start-up objects, out of the collector's reach
