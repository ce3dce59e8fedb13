"""The house keeps its shape: no import cycles, dev tools apart from the runtime, one
follow-up table, typed and checked, short domain functions, and a launch that does not
depend on which module Python happened to import first."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from skill.handlers.follow_ups import FOLLOW_UPS, WELCOME_NOTES
from skill.reply import Ask
from skill.services import check_in, closeness, habits, plan, session

ROOT = Path(__file__).resolve().parent.parent
SKILL = ROOT / "skill"
MAX_DOMAIN_FUNCTION_LINES = 40


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every skill module a file imports, at any depth (functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "skill"}


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in SKILL.rglob("*.py")}
    return {
        name: {target for target in imports_of(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def test_no_two_modules_import_each_other_even_lazily() -> None:
    graph = import_graph()
    # Depth-first search for a cycle; the package facades (__init__) are edges like any other.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_the_runtime_never_imports_the_dev_tools() -> None:
    for name, targets in import_graph().items():
        if name.startswith("skill.devtools") or name == "skill.cli":
            continue
        assert not {t for t in targets if t.startswith("skill.devtools")}, name
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, skill.app, skill.wiring, skill.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('skill.devtools')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert loaded.stdout.strip() == "[]"


def test_only_the_cli_imports_inside_functions() -> None:
    """Lazy imports are for optional commands and optional engines, never to dodge a cycle."""
    allowed = {"skill/cli.py", "skill/app.py"}
    for path in SKILL.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    assert rel in allowed, f"{rel}: import inside {function.name}()"


def test_every_question_the_skill_asks_has_a_follow_up() -> None:
    assert set(FOLLOW_UPS) == set(Ask)
    asked = {
        node.attr
        for path in (SKILL / "services").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Ask"
    }
    assert set(Ask.__members__) <= asked, "a question in Ask that no service asks"


def test_welcome_notes_are_listed_in_a_stated_order() -> None:
    assert (
        check_in.welcome_note,
        habits.capsule_note,
        closeness.welcome_note,
        habits.round_offer,
        habits.reminder_offer,
        session.names_invite,
        plan.welcome_note,
    ) == WELCOME_NOTES


LAUNCH_SCRIPT = textwrap.dedent(
    """
    import importlib, json, sys, tempfile
    from datetime import datetime, timedelta, UTC
    from pathlib import Path

    for name in sys.argv[1:]:
        importlib.import_module(name)

    from skill.app import create_app
    from skill.settings import Settings
    from skill.store.sqlite import SQLiteHouseholdStore

    now = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)
    store = SQLiteHouseholdStore(Path(tempfile.mkdtemp()) / "households.db")
    stamp = (now - timedelta(minutes=5)).isoformat()
    store.save(
        "household",
        {
            "visits": 3,
            "first_seen": "2026-03-01",
            "last_seen": "2026-03-09",
            "plan": {"start": "2026-03-01"},
            "check_in": {"active": {"phase": "paused", "since": stamp, "until": stamp,
                                    "held": ["speak_1", 30000, 120000, 0]}},
        },
        None,
    )
    app = create_app({"TESTING": True, "STORE": store, "TIMEZONE_OVERRIDE": "UTC",
                      "SETTINGS": Settings(verify=False)})
    envelope = {
        "version": "1.0",
        "session": {"new": True, "sessionId": "s", "application": {"applicationId": "a"},
                    "user": {"userId": "household"}},
        "context": {"System": {"application": {"applicationId": "a"},
                               "user": {"userId": "household"}, "device": {"deviceId": "d"}}},
        "request": {"type": "LaunchRequest", "requestId": "r", "locale": "en-US",
                    "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ")},
    }
    answer = app.test_client().post("/alexa", json=envelope)
    print(json.dumps({"keys": answer.headers.get("X-Closer-Keys"),
                      "speech": answer.get_json()["response"]["outputSpeech"]["ssml"]}))
    app.extensions["closer"].close()
    """
)


@pytest.mark.parametrize(
    "order",
    [
        ["skill.services.plan", "skill.services.check_in"],
        ["skill.services.check_in", "skill.services.plan"],
        ["skill.handlers.plan", "skill.handlers.check_in", "skill.services.rituals"],
        [],
    ],
)
def test_the_launch_welcome_does_not_depend_on_import_order(order: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH_SCRIPT, *order],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    heard = json.loads(result.stdout)
    assert heard["keys"] == "launch.returning,check_in.welcome_back"


def test_domain_functions_are_short() -> None:
    for path in (SKILL / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= MAX_DOMAIN_FUNCTION_LINES, (path.name, node.name, length)


def test_types_check_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_type_ignore_comments_in_the_skill() -> None:
    for path in SKILL.rglob("*.py"):
        assert "type: ignore" not in path.read_text(encoding="utf-8"), path
