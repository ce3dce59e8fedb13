"""Echo Show screens through the real endpoint: the documents, their data, the countdown's
timing against the APL-for-audio timeline, touches, and devices without a screen."""

from __future__ import annotations

import copy
import json
import math
import shutil
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.app import create_app
from skill.content.catalog import Catalog, ContentError, LocaleCatalog
from skill.devtools.conversation import Conversation, Said
from skill.settings import Settings
from skill.speech import screens
from skill.speech.apl_check import binding_problems, document_problems
from skill.speech.apla import SOUNDS, speech_ms
from skill.store.sqlite import SQLiteHouseholdStore
from tests import no_screen_script
from tests.conftest import EVENING, AppFactory, ConversationFactory
from tests.stamps import stamped
from tests.test_check_in_apla import wait_out

APL = "Alexa.Presentation.APL.RenderDocument"
ECHO_SHOW = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.1"}}}
CONTENT = Settings().content_dir
WORDING_SPREAD_MS = 3000
"""How much longer a cue's longest wording may take than the one spoken."""


def screens_of(turn: Said) -> list[dict[str, Any]]:
    return [d for d in turn.directives if d.get("type") == APL]


def screen(turn: Said) -> dict[str, Any]:
    found = screens_of(turn)
    assert len(found) == 1, turn.directives
    return found[0]


@pytest.fixture
def show(talk: ConversationFactory) -> Conversation:
    """The household's Echo Show 8."""
    return talk(interfaces=ECHO_SHOW)


@pytest.fixture(scope="module")
def library() -> screens.ScreenLibrary:
    return screens.load_screens(CONTENT / "screens")


# -- the documents -------------------------------------------------------------------


def test_every_document_is_valid_and_bound_to_the_data_built_for_it(
    library: screens.ScreenLibrary, catalog: Catalog
) -> None:
    assert sorted(library.documents) == sorted(screens.DOCUMENTS)
    for name, document in library.documents.items():
        assert document_problems(document, screens.APL_VERSION, screens.TOUCH_INTENTS) == [], name
    screens.check_screens(library, catalog)


def test_the_catalog_does_not_take_the_screens_for_a_locale(catalog: Catalog) -> None:
    assert (CONTENT / "screens").is_dir()
    assert "screens" not in catalog.locales


def mutated(document: Mapping[str, Any], change: Callable[[dict[str, Any]], None]) -> dict:
    copied = copy.deepcopy(dict(document))
    change(copied)
    return copied


def question_items(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document["mainTemplate"]["item"]["item"]["items"]


SHAPE_FAULTS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "an unknown component": (
        lambda d: question_items(d).append({"type": "Video"}),
        "component 'Video' is not on the allow-list",
    ),
    "an unknown property": (
        lambda d: question_items(d)[0].update(marquee=True),
        "Text has no property 'marquee'",
    ),
    "another version": (lambda d: d.update(version="1.0"), "version must be 2024.1"),
    "a command not on the list": (
        lambda d: question_items(d)[0].update(onMount=[{"type": "OpenURL", "source": "x"}]),
        "command 'OpenURL' is not on the allow-list",
    ),
    "a touch naming another intent": (
        lambda d: question_items(d)[-1].update(
            onPress=[{"type": "SendEvent", "arguments": ["ForgetUsIntent"]}]
        ),
        "SendEvent must name one of ['NextQuestionIntent']",
    ),
    "SetValue on a component that is not there": (
        lambda d: question_items(d)[0].update(
            onMount=[{"type": "SetValue", "componentId": "nowhere", "property": "text"}]
        ),
        "SetValue names no component",
    ),
    "a template without payload": (
        lambda d: d["mainTemplate"].update(parameters=["data"]),
        "mainTemplate must take the one parameter payload",
    ),
}


@pytest.mark.parametrize("fault", sorted(SHAPE_FAULTS))
def test_the_shape_check_finds(library: screens.ScreenLibrary, fault: str) -> None:
    change, expected = SHAPE_FAULTS[fault]
    document = mutated(library.documents["question"], change)
    problems = document_problems(document, screens.APL_VERSION, screens.TOUCH_INTENTS)
    assert any(expected in problem for problem in problems), problems


def sample(name: str, en: LocaleCatalog) -> screens.Screen:
    return next(s for s in screens.sample_screens(en) if s.document == name)


def test_the_binding_check_finds_what_the_data_does_not_provide(
    library: screens.ScreenLibrary, en: LocaleCatalog
) -> None:
    check_in = sample("check_in", en)
    assert binding_problems(library.documents["check_in"], check_in.datasources) == []
    data = copy.deepcopy(dict(check_in.datasources))
    del data["checkIn"]["ticks"]
    del data["checkIn"]["slots"][1]["beginMs"]
    problems = binding_problems(library.documents["check_in"], data)
    assert any("payload.checkIn.ticks" in p for p in problems), problems
    assert any("data.beginMs" in p for p in problems), problems
    question = mutated(
        library.documents["question"],
        lambda d: question_items(d)[0].update(text="${payload.question.mood} ${weather}"),
    )
    problems = binding_problems(question, sample("question", en).datasources)
    assert any("payload.question.mood" in p for p in problems), problems
    assert any("unknown name 'weather'" in p for p in problems), problems
    colour = mutated(
        library.documents["plan"], lambda d: question_items(d)[0].update(color="@teal")
    )
    assert any("@teal" in p for p in binding_problems(colour, sample("plan", en).datasources))


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_text("{not json"), "not a readable JSON document"),
        (lambda p: p.unlink(), "not a readable JSON document"),
        (lambda p: p.with_name("extra.json").write_text("{}"), "unknown documents ['extra']"),
        (
            lambda p: p.write_text(p.read_text().replace("payload.question.text", "payload.q")),
            "the datasource gives no payload.q",
        ),
    ],
)
def test_the_app_refuses_to_start_on_a_broken_screen(
    tmp_path: Path, damage: Callable[[Path], None], message: str
) -> None:
    content = copy_content(tmp_path)
    damage(content / "screens" / "question.json")
    settings = Settings(verify=False, content_dir=content)
    store = SQLiteHouseholdStore(tmp_path / "h.db")
    try:
        with pytest.raises(ContentError, match=message.replace("[", r"\[").replace("]", r"\]")):
            create_app({"SETTINGS": settings, "STORE": store})
    finally:
        store.close()


# -- tonight's question ---------------------------------------------------------------


def test_an_echo_show_gets_tonights_question_as_a_card(
    show: Conversation, library: screens.ScreenLibrary
) -> None:
    turn = show.say("ask closer together for tonight's question")
    directive = screen(turn)
    card = directive["datasources"]["question"]
    assert directive["token"] == "closer-question"
    assert directive["document"] == library.documents["question"]
    assert card["text"] and card["text"] in turn.speech
    assert card["place"] == "Set 1 · Question 1 of 12"
    assert card["first"] == "Whoever is nearest answers first"
    assert turn.speech and turn.ended and turn.card
    assert binding_problems(directive["document"], directive["datasources"]) == []


def test_the_card_names_who_answers_first_as_the_voice_does(show: Conversation) -> None:
    show.say("ask closer together to remember our names are sam and alex")
    first = screen(show.say("ask closer together for tonight's question"))
    card = first["datasources"]["question"]
    spoken_name = card["first"].split()[0]
    assert spoken_name in ("Sam", "Alex") and spoken_name in show.last.speech  # type: ignore[union-attr]
    again = screen(show.say("ask closer together to repeat the question"))
    assert again["datasources"]["question"] == card
    after = screen(show.say("ask closer together for the next question"))
    assert after["datasources"]["question"]["place"] == "Set 1 · Question 2 of 12"
    assert after["datasources"]["question"]["first"] != card["first"]


def user_event(device: Conversation, *arguments: str) -> Said:
    request = {
        "type": "Alexa.Presentation.APL.UserEvent",
        "token": "closer-question",
        "arguments": list(arguments),
        "source": {"type": "TouchWrapper", "handler": "Press", "id": ""},
    }
    status, body, headers = device.post(device.envelope(request))
    return Said(status, body, headers)


def test_touching_next_question_is_the_same_as_saying_it(
    show: Conversation, talk: ConversationFactory
) -> None:
    show.launch()
    show.say("tonight's question")
    touched = user_event(show, "NextQuestionIntent")
    assert touched.status == 200
    assert "questions.next" in touched.keys
    place = screen(touched)["datasources"]["question"]["place"]
    assert place == "Set 1 · Question 2 of 12"
    spoken = talk(interfaces=ECHO_SHOW, user_id="amzn1.ask.account.other")
    spoken.say("ask closer together for tonight's question")
    assert spoken.say("ask closer together for the next question").keys == touched.keys


def test_a_touch_naming_anything_else_is_answered_with_silence(show: Conversation) -> None:
    show.launch()
    for arguments in (("ForgetUsIntent",), ("nonsense", "more"), ()):
        touched = user_event(show, *arguments)
        assert touched.status == 200 and touched.keys == () and touched.response == {}


# -- the check-in ----------------------------------------------------------------------


def apla_offset_of_first_start_chime(document: Mapping[str, Any]) -> int:
    """Where the phase's own time starts in the APLA audio: after its cue and start chime,
    measured by adding up the document's own items (speech estimated, sounds by id)."""
    by_source = {sound.source: sound.ms for sound in SOUNDS.values()}
    offset = 0
    for item in document["mainTemplate"]["item"]["items"]:
        if item["type"] == "Speech":
            offset += speech_ms(item["content"])
        elif item["type"] == "Audio":
            offset += by_source[item["source"]]
            if item["source"] == SOUNDS["start"].source:
                return offset
        else:
            offset += item["duration"]
    raise AssertionError("no start chime")


def audio_document(turn: Said) -> dict[str, Any]:
    (document,) = turn.documents
    return document


def slots_of(turn: Said) -> list[list[Any]]:
    return turn.session["check_in"]["slots"]


def test_the_countdown_starts_where_the_audio_times_the_phase(show: Conversation) -> None:
    show.say("start a check-in")
    turn = show.say("ready")
    rows = screen(turn)["datasources"]["checkIn"]["slots"]
    slots = slots_of(turn)
    assert [r["phase"] for r in rows] == [s[0] for s in slots] == ["speak_1", "reflect_1"]
    for row, (_phase, begin, start, stop, length, _extra) in zip(rows, slots, strict=True):
        assert (row["beginMs"], row["startMs"], row["stopMs"], row["lengthMs"]) == (
            begin,
            start,
            stop,
            length,
        )
        assert row["fromS"] == (length - start) // 1000
        assert row["showUntilMs"] == begin + stop - start
    # The domain times each cue by its longest wording (so no response overruns Alexa's
    # 240 s); the audio speaks one wording, so the phase's time starts at most that much
    # earlier than the slot says, never later.
    heard = apla_offset_of_first_start_chime(audio_document(turn))
    assert heard <= rows[0]["beginMs"] <= heard + WORDING_SPREAD_MS
    assert rows[0]["lengthMs"] == 120_000 and rows[1]["lengthMs"] == 60_000
    assert rows[1]["showFromMs"] == rows[0]["showUntilMs"]
    data = screen(turn)["datasources"]["checkIn"]
    since = stamped(turn.session["check_in"]["since"])
    until = stamped(turn.session["check_in"]["until"])
    assert data["ticks"] == math.ceil((until - since) / timedelta(seconds=1))
    assert data["after"]["showFromMs"] == rows[-1]["showUntilMs"]
    assert data["after"]["title"].endswith("did that capture it?")


def test_a_phase_split_across_responses_counts_on_from_where_it_stopped(
    show: Conversation,
) -> None:
    show.say("ask closer together to make the turns five minutes")
    show.say("ask closer together to start a check-in")
    first = show.say("ready")
    (row,) = screen(first)["datasources"]["checkIn"]["slots"]
    assert row["lengthMs"] == 300_000 and 0 < row["stopMs"] < 300_000
    assert row["untilS"] == (300_000 - row["stopMs"]) // 1000
    after = screen(first)["datasources"]["checkIn"]["after"]
    assert after["hint"] == "Say “go on” when you're ready"
    wait_out(show)
    then = show.say("go on")
    rest = screen(then)["datasources"]["checkIn"]["slots"][0]
    assert rest["phase"] == "speak_1" and rest["startMs"] == row["stopMs"]
    assert rest["fromS"] == row["untilS"] and rest["untilS"] == 0
    # the share carries on with no cue and no chime: its time runs from the audio's start
    assert rest["beginMs"] == slots_of(then)[0][1] == 0


def test_every_check_in_screen_is_bound_and_names_who_the_voice_names(show: Conversation) -> None:
    show.say("ask closer together to remember our names are sam and alex")
    turns = [show.say("ask closer together to start a check-in"), show.say("ready")]
    wait_out(show)
    turns.append(show.say("yes"))
    wait_out(show)
    turns.append(show.say("yes"))
    assert turns[-1].ended
    for turn in turns:
        directive = screen(turn)
        assert binding_problems(directive["document"], directive["datasources"]) == []
        for row in directive["datasources"]["checkIn"]["slots"]:
            name = row["title"].split()[0]
            assert name == "Appreciations" or name in "\n".join(turn.timeline)
    assert screen(turns[0])["datasources"]["checkIn"]["after"]["hint"]
    assert screen(turns[-1])["datasources"]["checkIn"]["after"]["title"] == "Check-in complete"


# -- the plan and the rituals ---------------------------------------------------------------


def test_the_plan_week_marks_the_current_one_of_eight(
    talk: ConversationFactory,
) -> None:
    device = talk(interfaces=ECHO_SHOW, now=datetime(2026, 3, 1, 20, 0, tzinfo=EVENING.tzinfo))
    started = device.say("ask closer together to start our plan")
    plan = screen(started)["datasources"]["plan"]
    assert [w["current"] for w in plan["weeks"]] == [True] + [False] * 7
    device.now = EVENING
    turn = device.say("ask closer together what week are we on")
    plan = screen(turn)["datasources"]["plan"]
    assert plan["heading"] == "Week 2 of 8"
    assert [w["number"] for w in plan["weeks"] if w["current"]] == [2]
    assert plan["title"].lower() in turn.speech.lower() and plan["summary"] in turn.speech
    device.advance(days=70)
    done = screen(device.say("ask closer together what week are we on"))["datasources"]["plan"]
    assert done["heading"] == "All eight weeks done"
    assert not any(w["current"] for w in done["weeks"])


def test_todays_ritual_shows_the_ritual_the_voice_gives(talk: ConversationFactory) -> None:
    device = talk(interfaces=ECHO_SHOW, now=datetime(2026, 3, 1, 20, 0, tzinfo=EVENING.tzinfo))
    device.say("ask closer together to start our plan")
    device.now = EVENING
    turn = device.say("ask closer together what's today's ritual")
    ritual = screen(turn)["datasources"]["ritual"]
    assert ritual["heading"] == "This evening"
    assert ritual["how"] in turn.speech and ritual["tip"] in turn.speech
    assert ritual["name"].lower() in turn.speech.lower()
    assert ritual["tipLabel"] == "Week 2"
    morning = talk(
        interfaces=ECHO_SHOW,
        now=EVENING.replace(hour=7, minute=30),
        user_id="amzn1.ask.account.new",
    )
    early = screen(morning.say("ask closer together what's today's ritual"))
    assert early["datasources"]["ritual"]["heading"] == "This morning"
    assert early["datasources"]["ritual"]["tip"] == ""


# -- devices without a screen ----------------------------------------------------------------


def test_a_device_without_a_screen_never_gets_an_apl_directive(alexa: Conversation) -> None:
    turns = [
        alexa.say("open closer together"),
        alexa.say("tonight's question"),
        alexa.say("ask closer together to start a check-in"),
        alexa.say("ready"),
        alexa.say("ask closer together to start our plan"),
        alexa.say("ask closer together what's today's ritual"),
    ]
    assert all(t.status == 200 for t in turns)
    assert [screens_of(t) for t in turns] == [[]] * len(turns)
    assert any(t.documents for t in turns)


def test_a_device_without_a_screen_gets_byte_for_byte_what_a_screen_gets_without_its_card(
    make_app: AppFactory, tmp_path: Path, catalog: Catalog
) -> None:
    """The same evening on two households' devices: the speaker's bodies are the Echo Show's
    with the APL directive taken out, byte for byte."""

    def bodies(interfaces: Mapping[str, Any] | None) -> list[str]:
        with SQLiteHouseholdStore(tmp_path / f"{bool(interfaces)}.db") as store:
            client = make_app(STORE=store).test_client()

            def post(envelope: dict[str, Any]) -> tuple[int, str, Mapping[str, str]]:
                answer = client.post("/alexa", json=envelope)
                return answer.status_code, answer.get_data(as_text=True), dict(answer.headers)

            return no_screen_script.responses(post, interfaces)

    speaker, show = bodies(None), bodies(ECHO_SHOW)
    waits = no_screen_script.SCRIPT.count(no_screen_script.WAIT)
    assert len(speaker) == len(show) == len(no_screen_script.SCRIPT) - waits
    shown = 0
    for index, (plain, screened) in enumerate(zip(speaker, show, strict=True)):
        without = json.loads(screened)
        directives = without["response"].get("directives", [])
        kept = [d for d in directives if d.get("type") != "Alexa.Presentation.APL.RenderDocument"]
        shown += len(directives) - len(kept)
        if kept:
            without["response"]["directives"] = kept
        else:
            without["response"].pop("directives", None)
        assert json.loads(plain) == without, f"response {index} differs beyond the screen"
        assert "Alexa.Presentation.APL.RenderDocument" not in plain
    assert shown >= 5


def every_text(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for each in value.values():
            yield from every_text(each)
    elif isinstance(value, list):
        for each in value:
            yield from every_text(each)


def test_screens_speak_no_ssml(show: Conversation) -> None:
    turns = [show.say("ask closer together for tonight's question")]
    show.say("ask closer together to start a check-in")
    turns.append(show.say("ready"))
    for turn in turns:
        for text in every_text(screen(turn)["datasources"]):
            assert "<" not in text and "&amp;" not in text, text


def test_a_screen_and_a_speaker_in_one_house_share_the_question(show: Conversation) -> None:
    speaker = Conversation(show.post, show.utterances, user_id=show.user_id, now=show.now)
    on_screen = screen(show.say("ask closer together for tonight's question"))
    heard = speaker.say("ask closer together for tonight's question")
    assert on_screen["datasources"]["question"]["text"] in heard.speech
    assert screens_of(heard) == []
