"""Every APL-for-audio document a check-in produces is valid, within Alexa's limits and on time.

A small structural validator checks the APLA component shapes (Sequencer, Mixer,
Speech, Audio, Silence, filters); an independent estimate of how long each
document plays (silence exactly, speech by its words, sounds generously) keeps
every response within 240 s; the halfway and ten-second cues are checked
against the chimes around them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from skill.devtools.conversation import Conversation, Said
from tests.stamps import stamped

SOUNDBANK = re.compile(r"^soundbank://soundlibrary/[a-z0-9_]+(?:/[a-z0-9_]+)+$")
SSML_TAGS = {"speak", "break", "prosody"}
BASE = {"type", "description", "when", "duration", "id", "bind", "filter"}
SHAPES: Mapping[str, tuple[set[str], set[str]]] = {
    "Sequencer": ({"items"}, set()),
    "Mixer": ({"items"}, set()),
    "Speech": ({"content"}, {"contentType"}),
    "Audio": ({"source"}, set()),
    "Silence": ({"duration"}, set()),
}
FILTERS: Mapping[str, set[str]] = {
    "Repeat": {"repeatCount"},
    "Volume": {"amount"},
    "FadeIn": {"duration"},
    "FadeOut": {"duration"},
    "Trim": set(),
}
WORD_MS = 430
SOUND_MS = 3000
TOLERANCE_MS = 1500

ALEXA_AUDIO_LIMIT_MS = 240_000
"""Alexa plays at most 240 s of audio in one response."""


def problems(document: Mapping[str, Any]) -> list[str]:
    """Everything structurally wrong with an APLA document (empty when valid)."""
    found: list[str] = []
    if document.get("type") != "APLA":
        found.append("type must be APLA")
    if not re.match(r"^\d+\.\d+$", str(document.get("version", ""))):
        found.append("version must look like 0.91")
    template = document.get("mainTemplate")
    if not isinstance(template, Mapping) or not isinstance(template.get("item"), Mapping):
        return [*found, "mainTemplate.item must be one component"]
    found.extend(_component(template["item"], "item"))
    kinds = [c["type"] for c in components(template["item"])]
    if not any(kind in ("Speech", "Audio") for kind in kinds):
        found.append("the document is only silence")
    return found


def _component(item: Mapping[str, Any], where: str) -> Iterator[str]:
    kind = item.get("type")
    if kind not in SHAPES:
        yield f"{where}: unknown component {kind!r}"
        return
    required, optional = SHAPES[kind]
    for name in required - set(item):
        yield f"{where}: {kind} needs {name}"
    for name in set(item) - required - optional - BASE:
        yield f"{where}: {kind} has no property {name}"
    if item.get("duration") not in (None, "auto", "trimToParent") and kind != "Silence":
        yield f"{where}: duration must be auto or trimToParent"
    for index, applied in enumerate(item.get("filter", [])):
        needed = FILTERS.get(applied.get("type"))
        if needed is None:
            yield f"{where}.filter[{index}]: unknown filter {applied.get('type')!r}"
        elif needed - set(applied):
            yield f"{where}.filter[{index}]: {applied['type']} needs {sorted(needed)}"
    if kind in ("Sequencer", "Mixer"):
        items = item.get("items")
        if not isinstance(items, list) or not items:
            yield f"{where}: {kind} needs a non-empty items list"
            return
        if kind == "Mixer" and all(child.get("type") == "Silence" for child in items):
            yield f"{where}: a Mixer of silences only"
        for index, child in enumerate(items):
            yield from _component(child, f"{where}.items[{index}]")
    elif kind == "Silence":
        duration = item.get("duration")
        if not isinstance(duration, int) or isinstance(duration, bool) or duration <= 0:
            yield f"{where}: Silence duration must be a positive whole number of ms"
    elif kind == "Audio":
        if not SOUNDBANK.match(str(item.get("source", ""))):
            yield f"{where}: not a well-formed soundbank id: {item.get('source')!r}"
    elif kind == "Speech":
        yield from _speech(item, where)


def _speech(item: Mapping[str, Any], where: str) -> Iterator[str]:
    content = str(item.get("content", ""))
    if item.get("contentType") != "SSML":
        return
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        yield f"{where}: SSML is not well formed ({exc})"
        return
    if root.tag != "speak":
        yield f"{where}: SSML must be wrapped in <speak>"
    for element in root.iter():
        if element.tag not in SSML_TAGS:
            yield f"{where}: unexpected SSML tag <{element.tag}>"
    if not "".join(root.itertext()).strip():
        yield f"{where}: empty speech"


def components(item: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield item
    for child in item.get("items", []):
        yield from components(child)


def speech_text(item: Mapping[str, Any]) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", str(item.get("content", ""))).split())


def played_ms(item: Mapping[str, Any]) -> int:
    """An estimate, independent of the skill's own, of how long a component plays."""
    kind = item["type"]
    if kind == "Silence":
        return int(item["duration"])
    if kind == "Audio":
        return SOUND_MS
    if kind == "Speech":
        pauses = sum(int(ms) for ms in re.findall(r'time="(\d+)ms"', item["content"]))
        return 300 + WORD_MS * len(speech_text(item).split()) + pauses
    children = [c for c in item["items"] if c.get("duration") != "trimToParent"]
    if kind == "Mixer":
        return max(played_ms(c) for c in children)
    return sum(played_ms(c) for c in children)


@dataclass(frozen=True)
class Heard:
    """One top-level part of a document and when it starts."""

    at_ms: int
    item: Mapping[str, Any]
    key: str | None


def heard(document: Mapping[str, Any], keys: tuple[str, ...]) -> list[Heard]:
    """The top-level parts in order with start times; speech parts carry their content key."""
    items = document["mainTemplate"]["item"]["items"]
    speeches = [i for i, item in enumerate(items) if item["type"] == "Speech"]
    key_of = {index: keys[-(len(speeches) - n)] for n, index in enumerate(speeches)}
    parts, clock = [], 0
    for index, item in enumerate(items):
        parts.append(Heard(clock, item, key_of.get(index)))
        clock += played_ms(item)
    return parts


def is_chime(part: Heard, which: str) -> bool:
    source = str(part.item.get("source", ""))
    return part.item["type"] == "Audio" and (
        "short_chime" in source if which == "start" else "bell_timer" in source
    )


def cue_offsets(document: Mapping[str, Any], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each timed stretch (start chime to end chime): its opening key, length and cue offsets."""
    stretches: list[dict[str, Any]] = []
    opening: str | None = None
    current: dict[str, Any] | None = None
    for part in heard(document, keys):
        if part.key and part.key.startswith("check_in.cue.") and current is None:
            opening = part.key
        if is_chime(part, "start"):
            current = {"opening": opening, "begin": part.at_ms + SOUND_MS, "cues": {}}
        elif current is not None and part.key:
            current["cues"][part.key] = part.at_ms - current["begin"]
        if is_chime(part, "end") and current is not None:
            current["length"] = part.at_ms - current["begin"]
            stretches.append(current)
            current, opening = None, None
    return stretches


def check_document(document: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    assert problems(document) == []
    assert played_ms(document["mainTemplate"]["item"]) <= ALEXA_AUDIO_LIMIT_MS
    for stretch in cue_offsets(document, keys):
        cues, length = stretch["cues"], stretch["length"]
        if "check_in.cue.ten_seconds" in cues:
            assert abs(cues["check_in.cue.ten_seconds"] - (length - 10_000)) <= TOLERANCE_MS
        if "check_in.cue.halfway" in cues and stretch["opening"] == "check_in.cue.share":
            assert abs(cues["check_in.cue.halfway"] - length // 2) <= TOLERANCE_MS


# -- running whole check-ins -------------------------------------------------------


def wait_out(alexa: Conversation) -> None:
    """Let the last response's audio play to its end."""
    until = stamped(alexa.attributes["check_in"]["until"])
    alexa.now = max(alexa.now, until.astimezone(alexa.now.tzinfo) + timedelta(seconds=1))


def into(alexa: Conversation, phase: str, seconds: int) -> None:
    """Move the clock to ``seconds`` into a timed phase of the last response's audio."""
    state = alexa.attributes["check_in"]
    since = stamped(state["since"]).astimezone(alexa.now.tzinfo)
    slot = next(s for s in state["slots"] if s[0] == phase)
    alexa.now = since + timedelta(milliseconds=slot[1] - slot[2] + seconds * 1000) - alexa.step


Script = Callable[[Conversation], list[Said]]


def full_evening(alexa: Conversation) -> list[Said]:
    said = [alexa.say("start a check-in"), alexa.say("ready")]
    wait_out(alexa)
    said.append(alexa.say("yes"))
    wait_out(alexa)
    said.append(alexa.say("yes"))
    return said


def with_a_no(alexa: Conversation) -> list[Said]:
    said = [alexa.say("start a check-in"), alexa.say("ready")]
    wait_out(alexa)
    said.append(alexa.say("no"))
    while alexa.attributes.get("check_in", {}).get("phase") == "hold":
        wait_out(alexa)
        said.append(alexa.say("ready"))
    wait_out(alexa)
    said.append(alexa.say("no"))
    assert said[-1].ended
    return said


def pause_and_resume(alexa: Conversation) -> list[Said]:
    said = [alexa.say("start a check-in"), alexa.say("ready")]
    into(alexa, "speak_1", 40)
    said.append(alexa.say("pause"))
    alexa.advance(minutes=3)
    said.append(alexa.say("resume"))
    into(alexa, "reflect_1", 20)
    said.append(alexa.say("more time"))
    wait_out(alexa)
    said.append(alexa.say("yes"))
    return said


def five_minute_turns(alexa: Conversation) -> list[Said]:
    said = [alexa.say("make the turns five minutes"), alexa.say("start a check-in")]
    said.append(alexa.say("ready"))
    for _ in range(8):
        if alexa.attributes.get("check_in", {}).get("phase") != "hold":
            break
        wait_out(alexa)
        said.append(alexa.say("go on"))
    wait_out(alexa)
    said.append(alexa.say("yes"))
    return said


def time_out_and_soft_sounds(alexa: Conversation) -> list[Said]:
    said = [alexa.say("play soft sounds during the check-in"), alexa.say("start a check-in")]
    said.append(alexa.say("ready"))
    into(alexa, "speak_1", 70)
    said.append(alexa.say("time out"))
    wait_out(alexa)
    said.append(alexa.say("yes"))
    into(alexa, "speak_1", 5)
    said.append(alexa.say("more time"))
    return said


def morning(alexa: Conversation) -> list[Said]:
    return [alexa.say("start a morning check-in"), alexa.say("ready")]


SCRIPTS: dict[str, Script] = {
    "full evening": full_evening,
    "a no": with_a_no,
    "pause, resume and more time": pause_and_resume,
    "five-minute turns": five_minute_turns,
    "time-out and soft sounds": time_out_and_soft_sounds,
    "morning": morning,
}


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_document_in_a_run_is_valid_and_within_limits(alexa: Conversation, name: str) -> None:
    said = SCRIPTS[name](alexa)
    documents = [(doc, turn.keys) for turn in said for doc in turn.documents]
    assert documents
    for turn in said:
        assert turn.status == 200
        assert len(turn.documents) <= 1
        if turn.documents:
            assert "outputSpeech" not in turn.response
    for document, keys in documents:
        check_document(document, keys)


def test_a_speaking_turn_has_its_cues_where_they_belong(alexa: Conversation) -> None:
    alexa.say("start a check-in")
    turn = alexa.say("ready")
    (document,) = turn.documents
    first = cue_offsets(document, turn.keys)[0]
    assert first["opening"] == "check_in.cue.share"
    assert abs(first["length"] - 120_000) <= TOLERANCE_MS
    assert abs(first["cues"]["check_in.cue.halfway"] - 60_000) <= TOLERANCE_MS
    assert abs(first["cues"]["check_in.cue.ten_seconds"] - 110_000) <= TOLERANCE_MS
    reflection = cue_offsets(document, turn.keys)[1]
    assert reflection["opening"] == "check_in.cue.reflect"
    assert abs(reflection["length"] - 60_000) <= TOLERANCE_MS


def test_five_minute_turns_are_split_across_responses(alexa: Conversation) -> None:
    said = five_minute_turns(alexa)
    talking = [turn for turn in said if turn.documents]
    assert len(talking) >= 2
    first = cue_offsets(talking[0].documents[0], talking[0].keys)
    assert first == []  # the first half ends without an end chime: the turn goes on
    assert talking[0].session["check_in"]["phase"] == "hold"
    phase, at_ms, length_ms, _ = talking[0].session["check_in"]["held"]
    assert (phase, length_ms) == ("speak_1", 300_000)
    assert 150_000 <= at_ms < 240_000
    assert "check_in.cue.halfway" in talking[0].keys
    assert talking[0].keys[-1] == "check_in.ask.keep_going"
    # the share carries on without a word: the rest of its time is silence and quiet cues
    assert talking[1].speech == "" and talking[1].timeline[0].startswith("[silence")
    assert "check_in.cue.resume" not in talking[1].keys
    rest = talking[1].session["check_in"]["slots"]
    assert rest[0][0] == "speak_1" and rest[0][2:4] == [at_ms, 300_000]
    assert talking[1].session["check_in"]["phase"] == "confirm_1"


def test_soft_sounds_mix_a_quiet_ambience_under_long_silences(alexa: Conversation) -> None:
    alexa.say("play soft sounds during the check-in")
    alexa.say("start a check-in")
    (document,) = alexa.say("ready").documents
    mixers = [c for c in components(document["mainTemplate"]["item"]) if c["type"] == "Mixer"]
    assert mixers
    for mixer in mixers:
        silence, sound = mixer["items"]
        assert silence["type"] == "Silence"
        assert sound["duration"] == "trimToParent"
        assert SOUNDBANK.match(sound["source"])
        assert {f["type"] for f in sound["filter"]} >= {"Repeat", "Volume"}


def test_without_soft_sounds_there_is_no_mixer(alexa: Conversation) -> None:
    alexa.say("start a check-in")
    (document,) = alexa.say("ready").documents
    assert all(c["type"] != "Mixer" for c in components(document["mainTemplate"]["item"]))


def test_the_validator_catches_what_alexa_would_refuse() -> None:
    silence_only = {
        "type": "APLA",
        "version": "0.91",
        "mainTemplate": {
            "item": {"type": "Sequencer", "items": [{"type": "Silence", "duration": 5}]}
        },
    }
    assert "the document is only silence" in problems(silence_only)
    bad_sound = {
        "type": "APLA",
        "version": "0.91",
        "mainTemplate": {"item": {"type": "Audio", "source": "https://example.com/a.mp3"}},
    }
    assert any("soundbank" in p for p in problems(bad_sound))
    bad_speech = {
        "type": "APLA",
        "version": "0.91",
        "mainTemplate": {
            "item": {"type": "Speech", "contentType": "SSML", "content": "<speak><b>x</speak>"}
        },
    }
    assert problems(bad_speech)
    no_duration = {
        "type": "APLA",
        "version": "0.91",
        "mainTemplate": {"item": {"type": "Mixer", "items": [{"type": "Silence"}]}},
    }
    assert len(problems(no_duration)) >= 2
