"""The interaction model, the routing table and the content agree; the layers keep their shape."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from skill.content.catalog import LocaleCatalog
from skill.devtools.models import LOCALES, load_model
from skill.handlers import REQUEST_HANDLERS
from skill.handlers.core import CATCH_ALL

SKILL = Path(__file__).resolve().parent.parent / "skill"


def model_intents(locale: str) -> set[str]:
    language = load_model(locale)["interactionModel"]["languageModel"]
    return {intent["name"] for intent in language["intents"]}


def handled_intents() -> set[str]:
    return {name for handler in REQUEST_HANDLERS for name in handler.intents}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_in_the_model_has_a_handler(locale: str) -> None:
    unhandled = model_intents(locale) - handled_intents() - {"AMAZON.FallbackIntent"}
    assert not unhandled


@pytest.mark.parametrize("locale", LOCALES)
def test_every_handled_intent_is_in_the_model(locale: str) -> None:
    assert not handled_intents() - model_intents(locale)


def test_catch_alls_come_last() -> None:
    assert REQUEST_HANDLERS[-len(CATCH_ALL) :] == CATCH_ALL
    assert not any(handler in CATCH_ALL for handler in REQUEST_HANDLERS[: -len(CATCH_ALL)])


def python_files(*parts: str) -> list[Path]:
    return sorted((SKILL.joinpath(*parts)).rglob("*.py"))


def string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = (
        {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        | {
            id(argument)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("log", "logger")
            for argument in node.args
        }
        | {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.Raise)
            for inner in ast.walk(node)
        }
    )
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


SPEAKERS = {"tell", "ask", "then", "first", "keep_open", "with_card", "Say", "Cue"}


def spoken_keys(path: Path) -> set[str]:
    """String literals passed as content keys to Reply/Say/Cue builders."""
    keys: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in SPEAKERS:
            continue
        arguments = [*node.args, *(k.value for k in node.keywords if k.arg in ("reprompt", "key"))]
        keys |= {
            a.value for a in arguments if isinstance(a, ast.Constant) and isinstance(a.value, str)
        }
    return keys


def test_every_content_key_named_in_the_code_exists(en: LocaleCatalog) -> None:
    named = {
        (path.relative_to(SKILL).as_posix(), key)
        for path in python_files()
        for key in spoken_keys(path)
    }
    assert len(named) > 10
    missing = {f"{path}: {key}" for path, key in named if not en.has(key)}
    assert not missing


def test_handlers_hold_no_speech_no_dates_and_no_storage() -> None:
    for path in python_files("handlers"):
        source = path.read_text(encoding="utf-8")
        assert ".speak(" not in source and '.ask("' not in source, path
        for text in string_constants(path):
            assert " " not in text.strip(), (path, text)
        imports = {
            alias.name.split(".")[0]
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom)
        }
        assert not imports & {"boto3", "botocore", "datetime", "sqlite3", "zoneinfo"}, path


def test_the_domain_does_no_io() -> None:
    forbidden = {
        "boto3",
        "botocore",
        "sqlite3",
        "urllib",
        "requests",
        "flask",
        "ask_sdk_core",
        "ask_sdk_model",
        "socket",
        "os",
        "skill.store",
        "skill.speech",
    }
    for path in python_files("domain"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not any(name == f or name.startswith(f + ".") for f in forbidden), (
                    path,
                    name,
                )


def test_only_the_clock_reads_the_machine_time() -> None:
    offenders = [
        path.relative_to(SKILL)
        for path in python_files()
        if re.search(r"datetime\.now\(|time\.time\(\)|date\.today\(", path.read_text())
        and path.relative_to(SKILL).as_posix() not in ("domain/clock.py",)
    ]
    assert not offenders


def test_aws_clients_are_built_only_in_the_app_factory_and_cli() -> None:
    for path in python_files():
        rel = path.relative_to(SKILL).as_posix()
        if "boto3.client(" in path.read_text() or "boto3.resource(" in path.read_text():
            assert rel in ("app.py", "cli.py"), rel


def dynamic_keys() -> set[str]:
    """Keys the code builds from a value rather than naming them in full."""
    from skill.content.rituals import guide_key
    from skill.domain.questions import SETS
    from skill.domain.rituals import Topic
    from skill.services import check_in, closeness, habits, plan, questions, rituals, voices

    contexts = {questions.FEATURE, check_in.FEATURE, plan.FEATURE, rituals.FEATURE, rituals.GUIDE}
    contexts |= {questions.DECKS, closeness.FEATURE, voices.FEATURE, habits.FEATURE}
    contexts |= {questions.EVENING}
    from skill.domain.check_in import Kind
    from skill.domain.rituals import PartOfDay
    from skill.speech.screens import AFTER

    screens = (
        {f"screen.check_in.{kind.value}{end}" for kind in Kind for end in ("", "_detail")}
        | {f"screen.check_in.{step}{end}" for step in AFTER.values() for end in ("", "_hint")}
        | {f"screen.ritual.{part.value}" for part in PartOfDay}
    )
    return screens | (
        {f"questions.intro.set{n}" for n in range(1, SETS + 1)}
        | {guide_key(topic) for topic in Topic}
        | {f"{prefix}.{context}" for prefix in ("help", "fallback") for context in contexts}
    )


def test_every_key_the_code_builds_from_a_value_exists() -> None:
    """Families the code needs whole (help and fallback lines per context are optional)."""
    from skill.content.vocabulary import KEYS

    needed = {key for key in dynamic_keys() if not key.startswith(("help.", "fallback."))}
    needed -= {key for key in needed if key.startswith("screen.") and key.endswith("_hint")}
    assert needed - KEYS == set()


def test_the_vocabulary_is_what_the_code_speaks() -> None:
    from skill.content.vocabulary import KEYS

    named = {key for path in python_files() for key in spoken_keys(path)}
    assert named - KEYS == set(), "spoken by the code but not in the vocabulary"
    constants = {
        text
        for path in python_files()
        if path.name != "vocabulary.py"
        for text in string_constants(path)
    }
    unused = KEYS - constants - dynamic_keys()
    assert not unused, f"in the vocabulary but never spoken: {sorted(unused)}"


def test_the_vocabulary_is_the_base_locale(en: LocaleCatalog) -> None:
    from skill.content.vocabulary import KEYS

    assert set(en.keys()) == KEYS
