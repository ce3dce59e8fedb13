"""The skill manifest (infra/skill-package/skill.json) and the ASK CLI package built from it."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from skill.devtools.models import INVOCATION_NAME, LOCALES, load_model, model_path
from skill.devtools.nlu import Utterances
from skill.domain.household import Household
from skill.handlers import REQUEST_HANDLERS

ROOT = Path(__file__).resolve().parent.parent
SKILL = ROOT / "skill"
MANIFEST_PATH = ROOT / "infra" / "skill-package" / "skill.json"
SCRIPT = ROOT / "infra" / "assemble_skill_package.py"
ENDPOINT = "https://abc123.us-east-1.awsapprunner.com/alexa"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))["manifest"]


@pytest.fixture(scope="module")
def assembler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("assemble_skill_package", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def example_phrases() -> list[tuple[str, str]]:
    body = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))["manifest"]
    return [
        (locale, phrase)
        for locale, info in body["publishingInformation"]["locales"].items()
        for phrase in info["examplePhrases"]
    ]


def test_every_model_locale_is_published_and_nothing_else(manifest: dict[str, Any]) -> None:
    assert manifest["manifestVersion"] == "1.0"
    assert set(manifest["publishingInformation"]["locales"]) == set(LOCALES)
    assert set(manifest["privacyAndCompliance"]["locales"]) == set(LOCALES)
    countries = {locale.split("-")[1] for locale in LOCALES}
    assert set(manifest["publishingInformation"]["distributionCountries"]) == countries


@pytest.mark.parametrize("locale", LOCALES)
def test_store_listing(manifest: dict[str, Any], locale: str) -> None:
    info = manifest["publishingInformation"]["locales"][locale]
    assert info["name"] == "Closer Together"
    assert 0 < len(info["summary"]) <= 160
    assert 0 < len(info["description"]) <= 4000
    assert 1 <= len(info["examplePhrases"]) <= 3
    assert len(set(info["examplePhrases"])) == len(info["examplePhrases"])
    assert 0 < len(info["keywords"]) <= 30 and all(k.strip() for k in info["keywords"])
    urls = manifest["privacyAndCompliance"]["locales"][locale]
    assert urls["privacyPolicyUrl"].startswith("https://")
    assert urls["termsOfUseUrl"].startswith("https://")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_first_example_phrase_opens_the_skill(manifest: dict[str, Any], locale: str) -> None:
    first = manifest["publishingInformation"]["locales"][locale]["examplePhrases"][0]
    assert first == f"Alexa, open {INVOCATION_NAME}"
    understood = Utterances(load_model(locale)).understand(first)
    assert understood.launch


@pytest.mark.parametrize(("locale", "phrase"), example_phrases())
def test_every_example_phrase_reaches_the_skill(locale: str, phrase: str) -> None:
    assert phrase.startswith("Alexa, ")
    assert INVOCATION_NAME in phrase
    understood = Utterances(load_model(locale)).understand(phrase)
    assert understood.invoked
    assert understood.launch or not (understood.intent or "AMAZON.").startswith("AMAZON."), (
        phrase,
        understood.intent,
    )


def test_the_endpoint_is_https_and_events_go_to_the_same_place(manifest: dict[str, Any]) -> None:
    endpoint = manifest["apis"]["custom"]["endpoint"]
    assert endpoint["uri"].startswith("https://") and endpoint["uri"].endswith("/alexa")
    assert endpoint["sslCertificateType"] == "Trusted"
    assert manifest["events"]["endpoint"] == endpoint


def test_subscribed_events_are_handled(manifest: dict[str, Any]) -> None:
    request_types = {kind for handler in REQUEST_HANDLERS for kind in handler.request_types}
    names = {"SKILL_DISABLED": "AlexaSkillEvent.SkillDisabled"}
    subscribed = [event["eventName"] for event in manifest["events"]["subscriptions"]]
    assert "SKILL_DISABLED" in subscribed
    for event in subscribed:
        assert names[event] in request_types, event


def source_mentions(*needles: str) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in sorted(SKILL.rglob("*.py"))
        for needle in needles
        if needle in path.read_text(encoding="utf-8")
    ]


def test_only_permissions_the_code_uses_are_requested(manifest: dict[str, Any]) -> None:
    """The Settings API time zone needs no consent; timers, reminders, person ids would."""
    requested = {permission["name"] for permission in manifest.get("permissions", [])}
    used = set()
    if source_mentions("get_timer_management_service", "/v1/alerts/timers"):
        used.add("alexa::alerts:timers:skill:readwrite")
    if source_mentions("get_reminder_management_service", "/v1/alerts/reminders"):
        used.add("alexa::alerts:reminders:skill:readwrite")
    if source_mentions("personId", "person_id"):
        used.add("alexa::person_id:read")
    assert requested == used


def test_the_permissions_asked_by_voice_are_the_ones_declared(manifest: dict[str, Any]) -> None:
    from skill.domain.alerts import SCOPES

    requested = {permission["name"] for permission in manifest.get("permissions", [])}
    assert requested - {"alexa::person_id:read"} == set(SCOPES)
    instructions = manifest["publishingInformation"]["testingInstructions"]
    assert "remind us every night at nine" in instructions
    assert "screen free time" in instructions


def test_screen_interfaces_are_declared_only_when_used(manifest: dict[str, Any]) -> None:
    declared = {i["type"] for i in manifest["apis"]["custom"].get("interfaces", [])}
    uses_apl = bool(source_mentions('"Alexa.Presentation.APL.RenderDocument"'))
    assert ("ALEXA_PRESENTATION_APL" in declared) == uses_apl


def test_privacy_answers_are_honest(manifest: dict[str, Any]) -> None:
    privacy = manifest["privacyAndCompliance"]
    stores_names = "names" in {field.name for field in dataclasses.fields(Household)}
    assert privacy["usesPersonalInfo"] is stores_names
    assert privacy["allowsPurchases"] is False
    assert privacy["containsAds"] is False
    assert privacy["isChildDirected"] is False
    assert privacy["isExportCompliant"] is True


def test_assembling_writes_the_ask_cli_layout(assembler: ModuleType, tmp_path: Path) -> None:
    package = tmp_path / "build" / "skill-package"
    assembler.assemble(package, ENDPOINT, certificate="Wildcard")
    skill = json.loads((package / "skill.json").read_text(encoding="utf-8"))["manifest"]
    expected = {"uri": ENDPOINT, "sslCertificateType": "Wildcard"}
    assert skill["apis"]["custom"]["endpoint"] == expected
    assert skill["events"]["endpoint"] == expected
    for locale in LOCALES:
        written = package / "interactionModels" / "custom" / f"{locale}.json"
        assert written.read_bytes() == model_path(locale).read_bytes()
    resources = json.loads((tmp_path / "build" / "ask-resources.json").read_text())
    assert resources == {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}},
    }


def test_reassembling_keeps_the_ask_cli_state(assembler: ModuleType, tmp_path: Path) -> None:
    package = tmp_path / "skill-package"
    assembler.assemble(package, ENDPOINT)
    state = tmp_path / ".ask" / "ask-states.json"
    state.parent.mkdir()
    state.write_text("{}")
    (package / "stale.json").write_text("{}")
    assembler.assemble(package, "https://skill.example.org/alexa")
    assert state.exists()
    assert not (package / "stale.json").exists()
    skill = json.loads((package / "skill.json").read_text(encoding="utf-8"))["manifest"]
    assert skill["apis"]["custom"]["endpoint"]["uri"] == "https://skill.example.org/alexa"


def test_assembling_refuses_to_replace_a_folder_that_is_not_a_package(
    assembler: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(assembler.AssemblyError):
        assembler.assemble(tmp_path, ENDPOINT)
    assert (tmp_path / "notes.txt").exists()


@pytest.mark.parametrize(
    ("given", "uri"),
    [
        ("https://abc.awsapprunner.com", "https://abc.awsapprunner.com/alexa"),
        ("https://abc.awsapprunner.com/", "https://abc.awsapprunner.com/alexa"),
        ("https://skill.example.org/alexa", "https://skill.example.org/alexa"),
        ("https://skill.example.org:443/alexa", "https://skill.example.org:443/alexa"),
    ],
)
def test_endpoint_forms(assembler: ModuleType, given: str, uri: str) -> None:
    assert assembler.endpoint_uri(given) == uri


@pytest.mark.parametrize(
    "given",
    [
        "http://skill.example.org/alexa",
        "skill.example.org/alexa",
        "https://skill.example.org:8443/alexa",
        "https://skill.example.org/alexa?x=1",
    ],
)
def test_bad_endpoints_are_refused(assembler: ModuleType, given: str) -> None:
    with pytest.raises(assembler.AssemblyError):
        assembler.endpoint_uri(given)


def test_the_script_runs_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "skill-package"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--endpoint",
            ENDPOINT,
            "--out",
            str(out),
            "--privacy-policy-url",
            "https://closer.example.org/privacy",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    skill = json.loads((out / "skill.json").read_text(encoding="utf-8"))["manifest"]
    urls = skill["privacyAndCompliance"]["locales"]["en-GB"]
    assert urls["privacyPolicyUrl"] == "https://closer.example.org/privacy"
    assert "placeholder" in done.stderr
