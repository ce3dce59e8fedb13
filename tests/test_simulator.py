"""The browser simulator: its dev-only routes, and the whole evening driven in headless Chromium.

The browser test needs Debian's Chromium (``apt-get install -y chromium chromium-driver``);
without it, it is skipped with that line. ``CLOSER_SCREENSHOTS=docs`` also writes the
README's two screenshots there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from skill.app import create_app
from skill.content.catalog import LocaleCatalog
from skill.content.questions import catalog_questions
from skill.devtools.simulator import STATIC, register
from skill.settings import Settings
from tests import browser

ROOT = Path(__file__).resolve().parent.parent
EVENING = "2026-03-10T21:00:00-04:00"
PNG = b"\x89PNG\r\n\x1a\n"


def build_dev_app(folder: Path) -> Flask:
    """``closer serve --dev`` in process: verification off, a fresh SQLite file."""
    settings = Settings(verify=False, sqlite_path=folder / "households.db", default_timezone="UTC")
    app = create_app({"SETTINGS": settings})
    register(app)
    return app


@pytest.fixture
def dev_app(tmp_path: Path) -> Iterator[Flask]:
    app = build_dev_app(tmp_path)
    yield app
    app.extensions["closer"].close()


# -- the routes ---------------------------------------------------------------------------


def test_the_page_and_its_files_are_served_in_dev_mode_only(
    dev_app: Flask, make_app: Callable[..., Flask]
) -> None:
    client = dev_app.test_client()
    with client.get("/simulator") as page:
        assert page.status_code == 200 and b"simulator.js" in page.data
    for name in ("expr.js", "apl.js", "apla.js", "simulator.js", "simulator.css"):
        with client.get(f"/simulator/static/{name}") as answer:
            assert answer.status_code == 200 and answer.data == (STATIC / name).read_bytes()
    assert make_app().test_client().get("/simulator").status_code == 404


def test_the_page_fetches_nothing_from_elsewhere() -> None:
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", text), path.name
        assert 'fetch("http' not in text and "import(" not in text, path.name


def test_words_become_intents_through_the_interaction_model(dev_app: Flask) -> None:
    client = dev_app.test_client()
    launch = client.post("/simulator/understand", json={"text": "open closer together"})
    assert launch.get_json()["launch"] is True
    said = client.post("/simulator/understand", json={"text": "make the turns three minutes"})
    found = said.get_json()
    assert found["intent"] == "CheckInTurnLengthIntent"
    assert found["slots"]["minutes"]["value"] == "3" and not found["invoked"]
    one_shot = client.post(
        "/simulator/understand", json={"text": "ask closer together for tonight's question"}
    ).get_json()
    assert one_shot["intent"] == "TonightsQuestionIntent" and one_shot["invoked"]
    assert client.post("/simulator/understand", json={"text": ""}).status_code == 400
    assert client.post("/simulator/understand", json={"text": "x" * 600}).status_code == 400


def test_the_config_carries_the_skills_own_audio_estimates(dev_app: Flask) -> None:
    from skill.speech.apla import SOUNDS, WORD_MS

    config = dev_app.test_client().get("/simulator/config").get_json()
    assert config["timing"]["wordMs"] == WORD_MS
    assert config["timing"]["sounds"][SOUNDS["end"].source] == SOUNDS["end"].ms
    assert "en-US" in config["locales"]


def test_the_settings_api_stand_in_answers_the_zone_the_page_asked_for(dev_app: Flask) -> None:
    client = dev_app.test_client()
    url = "/simulator/api/v2/devices/amzn1.ask.device.x/settings/System.timeZone"
    answer = client.get(url, headers={"Authorization": "Bearer simulator:Europe/London"})
    assert answer.get_json() == "Europe/London"
    unknown = client.get(url, headers={"Authorization": "Bearer simulator:Mars/Base"})
    assert unknown.status_code == 404
    assert client.get(url).status_code == 404


def test_the_runtime_never_imports_the_dev_tools() -> None:
    code = (
        "import sys, skill.app, skill.wiring, skill.turn;"
        "print([m for m in sys.modules if m.startswith('skill.devtools')])"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert found.stdout.strip() == "[]"
    assert "devtools" not in (ROOT / "skill" / "app.py").read_text(encoding="utf-8")


def test_the_static_files_ship_in_the_package() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"skill.devtools.simulator" = ["static/*.html", "static/*.css", "static/*.js"]' in (
        pyproject
    )
    assert {p.suffix for p in STATIC.iterdir()} == {".html", ".css", ".js"}


# -- in a real browser ------------------------------------------------------------------------


PAGE = "/simulator?speed=600&mute=1&keys=1&zone=America/New_York&device=echo-show-8"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """One dev server and one headless Chromium for the browser tests of this module."""
    reason = browser.missing()
    if reason:
        pytest.skip(reason)
    app = build_dev_app(tmp_path_factory.mktemp("simulator"))
    try:
        with browser.serving(app) as base, browser.chromium() as driver:
            yield base, driver
    finally:
        app.extensions["closer"].close()


@pytest.fixture
def opened(served: tuple[str, Any], request: pytest.FixtureRequest) -> Callable[[str], Any]:
    """Open the simulator page as a household of its own, on a March evening in New York."""
    base, driver = served
    user = "amzn1.ask.account." + re.sub(r"\W+", "-", request.node.name)

    def open_page(extra: str = "") -> Any:
        driver.get(f"{base}{PAGE}&start={EVENING}&user={user}{extra}")
        wait_for(driver, lambda: state(driver) == "idle")
        return driver

    return open_page


@pytest.fixture
def page(opened: Callable[[str], Any]) -> Any:
    return opened("")


def wait_for(driver: Any, ready: Callable[[], Any], seconds: float = 30) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.02).until(lambda _d: ready())


def state(driver: Any) -> str:
    return str(driver.find_element("tag name", "body").get_attribute("data-state"))


def turns(driver: Any) -> int:
    return int(driver.find_element("tag name", "body").get_attribute("data-turns") or 0)


def screen_text(driver: Any) -> str:
    return str(driver.find_element("id", "screen").text)


def last_answer(driver: Any) -> str:
    answers = driver.find_elements("css selector", "#transcript li.alexa")
    return str(answers[-1].get_attribute("textContent")) if answers else ""


def say(driver: Any, words: str, then: str = "listening") -> str:
    """Type to Alexa, wait for the answer to be heard out, and return it (with its keys)."""
    before = turns(driver)
    box = driver.find_element("id", "utterance")
    box.send_keys(words)
    box.submit()
    wait_for(driver, lambda: turns(driver) > before and state(driver) == then)
    return last_answer(driver)


def speed(driver: Any, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "speed")).select_by_value(value)


def keep(name: str, png: bytes) -> None:
    target = os.environ.get("CLOSER_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / name).write_bytes(png)


def test_an_evening_in_the_simulator(page: Any, en: LocaleCatalog) -> None:
    driver = page
    assert "launch.first" in say(driver, "open closer together")

    answer = say(driver, "tonight's question", then="idle")
    question = catalog_questions(en)[0].text
    assert question in answer and "questions.tonight" in answer
    shown = screen_text(driver)
    card = driver.find_element("id", "screen-box").screenshot_as_png
    assert question in shown and question in screen_text(driver)
    assert "Set 1 · Question 1 of 12" in shown and "Whoever is nearest answers first" in shown
    assert card.startswith(PNG) and len(card) > 5000
    keep("question-card.png", card)

    assert "check_in.intro" in say(driver, "ask closer together to start a check-in")
    assert "goes first" in screen_text(driver)
    speed(driver, "60")
    before = turns(driver)
    driver.find_element("id", "utterance").send_keys("ready\n")
    first = wait_for(driver, lambda: countdown(driver, "shares"))
    later = wait_for(driver, lambda: (c := countdown(driver, "shares")) and c < first and c)
    assert 0 < later < first <= 120
    keep("simulator.png", driver.get_screenshot_as_png())
    wait_for(driver, lambda: turns(driver) > before and state(driver) == "listening")
    assert "did that capture it?" in screen_text(driver)

    speed(driver, "600")
    swapped = say(driver, "yes")
    assert "check_in.swap" in swapped and "check_in.cue.share" in swapped
    done = say(driver, "yes", then="idle")
    assert "check_in.goodbye" in done or "check_in.cue.appreciate" in done
    assert "Check-in complete" in screen_text(driver)
    assert "(session ended)" in driver.find_element("id", "transcript").text


def countdown(driver: Any, title: str) -> int | None:
    """Seconds left on the screen's countdown while ``title`` shows, else None."""
    text = screen_text(driver)
    found = re.search(r"(\d+):(\d\d)", text)
    if title not in text or not found:
        return None
    return int(found.group(1)) * 60 + int(found.group(2))


def test_touching_next_question_asks_for_it(page: Any) -> None:
    driver = page
    say(driver, "ask closer together for tonight's question", then="idle")
    assert "Question 1 of 12" in screen_text(driver)
    before = turns(driver)
    driver.find_element("css selector", "#screen .apl-TouchWrapper").click()
    wait_for(driver, lambda: turns(driver) > before and state(driver) == "idle")
    assert "Question 2 of 12" in screen_text(driver)
    assert "questions.next" in last_answer(driver)


@pytest.mark.parametrize("device", ["round-hub", "echo-show-5", "echo-show-15", "fire-tv"])
def test_the_card_fits_every_screen(page: Any, device: str, en: LocaleCatalog) -> None:
    from selenium.webdriver.support.ui import Select

    driver = page
    Select(driver.find_element("id", "device")).select_by_value(device)
    say(driver, "ask closer together for tonight's question", then="idle")
    question = catalog_questions(en)[0].text
    assert question in screen_text(driver)
    inside = driver.execute_script(
        "const s = document.getElementById('screen').getBoundingClientRect();"
        "return [...document.querySelectorAll('#screen .apl-Text')]"
        ".filter(e => e.offsetParent !== null).every(e => {"
        " const r = e.getBoundingClientRect();"
        " return r.left >= s.left - 1 && r.right <= s.right + 1"
        "  && r.top >= s.top - 1 && r.bottom <= s.bottom + 1; });"
    )
    assert inside, f"text runs off the {device} screen"


def test_a_device_without_a_screen_shows_none(page: Any) -> None:
    from selenium.webdriver.support.ui import Select

    driver = page
    Select(driver.find_element("id", "device")).select_by_value("echo-dot")
    answer = say(driver, "ask closer together for tonight's question", then="idle")
    assert "questions.tonight" in answer
    assert not driver.find_element("id", "bezel").is_displayed()
    assert driver.find_element("id", "speaker").is_displayed()


def test_an_unanswered_question_is_reprompted_then_the_session_ends(
    opened: Callable[[str], Any],
) -> None:
    driver = opened("&hold=0&mic=400")
    before = turns(driver)
    driver.find_element("id", "utterance").send_keys("open closer together\n")
    wait_for(driver, lambda: "(reprompt)" in driver.find_element("id", "transcript").text)
    wait_for(driver, lambda: turns(driver) >= before + 2 and state(driver) == "idle")
    transcript = driver.find_element("id", "transcript").text
    assert transcript.count("mic open") == 2
    assert "(no answer: the session ends)" in transcript
    assert "Session ended" in driver.find_element("id", "state-text").text
