"""Where a server's time goes: py-spy samples of the gunicorn workers during a load point.

``py-spy record --subprocesses --format raw`` writes collapsed stacks ("frame;frame;... count",
root first); this module turns them into the share of busy samples spent under each layer
(inclusive) and the top functions by own time.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

# Each busy sample goes to one category: that of the innermost frame that matches one (standard
# library frames such as socket.py or json/ fall through to their caller's category).
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "request verification",
        (
            "skill/verify.py",
            "ask_sdk_webservice_support/verifier.py",
            "certvalidator/",
            "oscrypto/",
            "asn1crypto/",
            "cryptography/",
        ),
    ),
    (
        "DynamoDB client (boto3, botocore, urllib3)",
        ("botocore/", "boto3/", "urllib3/", "ask_sdk_dynamodb/", "skill/store/"),
    ),
    (
        "ask-sdk (routing, models, serializer)",
        ("ask_sdk_core/", "ask_sdk_runtime/", "ask_sdk_model/", "ask_sdk_webservice_support/"),
    ),
    ("the skill's own code", ("skill/", "reference/app.py", "product_app.py")),
    ("Flask, Werkzeug, flask-ask-sdk", ("flask/", "werkzeug/", "flask_ask_sdk/")),
    ("gunicorn (HTTP, sockets)", ("gunicorn/",)),
)
# Within the DynamoDB client: where the innermost frame is (new connection, or waiting).
DYNAMODB_DETAIL = (
    ("  of which opening TCP connections", ("create_connection", "getaddrinfo", "socket.__init__")),
    ("  of which waiting for the response", ("readinto", "recv", "_real_close")),
)
FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>.*?)(?::(?P<line>\d+))?\)$")


def record(
    py_spy: Path, pid: int, seconds: int, out: Path, during: Callable[[], Any]
) -> tuple[Any, Path]:
    """Sample ``pid`` and its children for ``seconds`` while ``during()`` runs."""
    argv = [
        str(py_spy),
        "record",
        "--pid",
        str(pid),
        "--subprocesses",
        "--rate",
        "250",
        "--duration",
        str(seconds),
        "--format",
        "raw",
        "--nonblocking",
        "--output",
        str(out),
    ]
    with subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as spy:
        try:
            result = during()
        except BaseException:
            spy.kill()
            raise
        finally:
            try:
                spy.wait(timeout=seconds + 30)
            except subprocess.TimeoutExpired:
                spy.kill()
                spy.wait()
    return result, out


def parse(lines: Iterable[str]) -> list[tuple[list[str], int]]:
    stacks = []
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        stacks.append((stack.split(";"), int(count)))
    return stacks


def _file(frame: str) -> str:
    found = FRAME.match(frame)
    return found.group("file") if found else frame


def _short(frame: str) -> str:
    found = FRAME.match(frame)
    if not found:
        return frame
    path = found.group("file")
    for marker in ("site-packages/", "/bench/", "/main/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{found.group('function')} ({path})"


def category(frames: list[str]) -> str:
    for frame in reversed(frames):
        path = _file(frame)
        for name, markers in CATEGORIES:
            if any(marker in path for marker in markers):
                return name
    return "other (interpreter, standard library)"


def summarize(path: Path, top: int = 12) -> dict[str, Any]:
    """Busy samples by category (each sample once) and the top functions by own time."""
    stacks = [
        (frames, n)
        for frames, n in parse(path.read_text(encoding="utf-8", errors="replace").splitlines())
        if not _idle(frames)
    ]
    total = sum(n for _, n in stacks)
    split: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, n in stacks:
        name = category(frames)
        split[name] += n
        if name.startswith("DynamoDB"):
            inner = frames[-1]
            for detail, markers in DYNAMODB_DETAIL:
                if any(marker in inner for marker in markers):
                    split[detail] += n
                    break
        own[_short(frames[-1])] += n

    def pct(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    order = [name for name, _ in CATEGORIES[:2]] + [d for d, _ in DYNAMODB_DETAIL]
    order += [name for name, _ in CATEGORIES[2:]] + ["other (interpreter, standard library)"]
    return {
        "samples": total,
        "categories_pct": {name: pct(split[name]) for name in order},
        "top_own_pct": [(name, pct(n)) for name, n in own.most_common(top)],
    }


def _idle(frames: list[str]) -> bool:
    """Threads waiting for work (gunicorn's poller, idle worker threads, queue waits)."""
    inner = frames[-1] if frames else ""
    return any(
        marker in inner
        for marker in ("select (selectors.py", "wait (threading.py", "poll (selectors.py")
    )
