"""Echo Show screens: which APL document a reply shows, with what data.

The documents are data, ``content/screens/<name>.json``, each taking one
parameter, ``payload``, bound to the datasources built here. They are checked
when the app starts (``prepare``): every document parses, uses only the APL on
the allow-list of ``skill.speech.apl_check``, and every binding it uses is
provided by the datasource this module builds for it, in every locale.

A screen shows what the voice says at the same moment and nothing more. The
check-in's countdown is worked out from the same ``Slot``s the APL-for-audio
timeline was composed from: where in the response's audio each timed phase's
own time begins, and from which position of how long a phase it runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
    RenderDocumentDirective,
)

from skill.content.catalog import Catalog, ContentError, LocaleCatalog
from skill.domain.check_in import KIND, Phase, Progress, Slot
from skill.domain.plan import PLAN_WEEKS
from skill.domain.questions import QUESTION_ID
from skill.domain.rituals import PartOfDay
from skill.envelope import TOUCH_INTENTS
from skill.speech.apl_check import binding_problems, document_problems

APL_VERSION = "2024.1"
DIRECTORY = "screens"
DOCUMENTS: tuple[str, ...] = ("question", "check_in", "plan", "ritual")

AFTER: Mapping[Phase, str] = MappingProxyType(
    {
        Phase.SETUP: "setup",
        Phase.MORNING_SETUP: "setup",
        Phase.APPRECIATION_SETUP: "setup",
        Phase.CONFIRM_1: "confirm",
        Phase.CONFIRM_2: "confirm",
        Phase.PAUSED: "paused",
        Phase.AFTER_BREATH: "after_breath",
        Phase.DONE: "done",
    }
)
"""The waiting step a check-in screen shows once the timed parts are over (key suffix)."""

Names = Callable[[Phase], Mapping[str, str]]
"""Who is who in a phase: speaker, listener, first and second (the domain's ``roles``)."""


@dataclass(frozen=True)
class Screen:
    """A document to show and the datasources it is shown with."""

    document: str
    datasources: Mapping[str, Any]

    @property
    def token(self) -> str:
        return "closer-" + self.document.replace("_", "-")


@dataclass(frozen=True)
class ScreenLibrary:
    """The checked documents, by name."""

    documents: Mapping[str, Mapping[str, Any]]


# -- loading and checking -------------------------------------------------------------


def load_screens(directory: Path) -> ScreenLibrary:
    """Read and check every document in ``directory``. Raises ContentError."""
    if not directory.is_dir():
        raise ContentError(f"missing screen documents directory {directory}")
    unknown = sorted({p.stem for p in directory.glob("*.json")} - set(DOCUMENTS))
    if unknown:
        raise ContentError(f"{DIRECTORY}: unknown documents {unknown}")
    documents: dict[str, Mapping[str, Any]] = {}
    for name in DOCUMENTS:
        where = f"{DIRECTORY}/{name}.json"
        try:
            document = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ContentError(f"{where}: not a readable JSON document ({exc})") from None
        if not isinstance(document, Mapping):
            raise ContentError(f"{where}: not a JSON object")
        problems = document_problems(document, APL_VERSION, TOUCH_INTENTS)
        if problems:
            raise ContentError(f"{where}: " + "; ".join(problems))
        documents[name] = document
    return ScreenLibrary(MappingProxyType(documents))


def check_screens(library: ScreenLibrary, catalog: Catalog) -> None:
    """Every binding of every document is provided by its datasource, in every locale."""
    for locale in catalog.locales.values():
        for screen in sample_screens(locale):
            problems = binding_problems(library.documents[screen.document], screen.datasources)
            if problems:
                raise ContentError(
                    f"{locale.locale}: {DIRECTORY}/{screen.document}.json: " + "; ".join(problems)
                )


def prepare(content_dir: Path, catalog: Catalog) -> ScreenLibrary:
    """Load and check ``content_dir/screens`` (at start-up). Raises ContentError."""
    library = load_screens(content_dir / DIRECTORY)
    check_screens(library, catalog)
    return library


def screen_directive(screen: Screen, library: ScreenLibrary) -> RenderDocumentDirective:
    """The "Alexa.Presentation.APL.RenderDocument" directive that shows a screen."""
    document = library.documents[screen.document]
    return RenderDocumentDirective(
        token=screen.token, document=dict(document), datasources=dict(screen.datasources)
    )


# -- tonight's question ------------------------------------------------------------------


def question_screen(
    catalog: LocaleCatalog,
    text: str,
    question_id: str,
    revisiting: bool,
    first: str | None,
    deck: str | None = None,
) -> Screen:
    """The question card: where the household is (a set and number, or a deck), the question,
    who answers first."""
    found = QUESTION_ID.match(question_id)
    if deck is not None:
        place = catalog.plain("screen.question.deck", {"deck": deck})
    elif revisiting or found is None:
        place = catalog.plain("screen.question.earlier")
    else:
        numbers = {"set": int(found.group(1)), "number": int(found.group(2))}
        place = catalog.plain("screen.question.place", numbers)
    if first:
        who = catalog.plain("screen.question.first_named", {"name": first})
    else:
        who = catalog.plain("screen.question.first_nearest")
    card = {
        "heading": catalog.plain("screen.question.heading"),
        "place": place,
        "text": text,
        "first": who,
        "next": catalog.plain("screen.question.next"),
    }
    return Screen("question", {"question": card})


# -- the check-in ---------------------------------------------------------------------------


def check_in_screen(
    catalog: LocaleCatalog, progress: Progress, audio_ms: int, names: Names
) -> Screen:
    """Whose turn it is and a countdown for each timed part of one response's audio.

    ``progress`` is where the response leaves the check-in, with the ``slots`` its
    audio was composed of; ``audio_ms`` how long that audio plays. Each slot shows
    from the end of the one before and counts down from its ``beginMs``.
    """
    rows: list[dict[str, Any]] = []
    shown = 0
    for slot in progress.slots:
        end = slot.begin_ms + slot.stop_ms - slot.start_ms
        rows.append(_slot_row(catalog, slot, names(slot.phase), shown, end))
        shown = end
    heading = "screen.check_in.morning_heading" if progress.morning else "screen.check_in.heading"
    data = {
        "heading": catalog.plain(heading),
        "slots": rows,
        "after": {**_after(catalog, progress, names), "showFromMs": shown},
        "ticks": math.ceil(audio_ms / 1000) if rows else 0,
    }
    return Screen("check_in", {"checkIn": data})


def _slot_row(
    catalog: LocaleCatalog, slot: Slot, names: Mapping[str, str], shown: int, end: int
) -> dict[str, Any]:
    kind = KIND[slot.phase].value
    return {
        "phase": slot.phase.value,
        "title": catalog.plain(f"screen.check_in.{kind}", names),
        "detail": catalog.plain(f"screen.check_in.{kind}_detail", names),
        "showFromMs": shown,
        "showUntilMs": end,
        "beginMs": slot.begin_ms,
        "startMs": slot.start_ms,
        "stopMs": slot.stop_ms,
        "lengthMs": slot.length_ms,
        "fromS": math.ceil((slot.length_ms - slot.start_ms) / 1000),
        "untilS": math.ceil((slot.length_ms - slot.stop_ms) / 1000),
    }


def _after(catalog: LocaleCatalog, progress: Progress, names: Names) -> dict[str, str]:
    """The waiting step once the timed parts are over: its question in short, and a hint."""
    held = progress.held
    if progress.phase is Phase.HOLD and held is not None and held.phase in KIND:
        label = catalog.plain(f"screen.check_in.{KIND[held.phase].value}", names(held.phase))
        hint = "screen.check_in.go_on_hint" if held.at_ms > 0 else "screen.check_in.hold_hint"
        return {
            "title": catalog.plain("screen.check_in.next_up", {"label": label}),
            "hint": catalog.plain(hint),
        }
    key = AFTER.get(progress.phase)
    if key is None:
        return {"title": "", "hint": ""}
    confirming = progress.phase in (Phase.CONFIRM_1, Phase.CONFIRM_2)
    params = names(progress.phase if confirming else Phase.SPEAK_1)
    hint = f"screen.check_in.{key}_hint"
    return {
        "title": catalog.plain(f"screen.check_in.{key}", params),
        "hint": catalog.plain(hint, params) if catalog.has(hint) else "",
    }


# -- the plan and the rituals ---------------------------------------------------------------


def plan_screen(catalog: LocaleCatalog, week: int | None, title: str, summary: str) -> Screen:
    """The eight weeks with the current one marked (``week`` None: all eight are done)."""
    weeks = [
        {"number": n, "current": n == week, "done": week is None or n < week}
        for n in range(1, PLAN_WEEKS + 1)
    ]
    if week is None:
        heading = catalog.plain("screen.plan.finished")
    else:
        heading = catalog.plain("screen.plan.heading", {"number": week})
    data = {"heading": heading, "weeks": weeks, "title": headline(title), "summary": summary}
    return Screen("plan", {"plan": data})


def ritual_screen(
    catalog: LocaleCatalog,
    part: PartOfDay,
    check_in_day: bool,
    ritual: tuple[str, str],
    tip: tuple[int | None, str],
) -> Screen:
    """Today's ritual (name, how) for this part of the day, and the plan week's tip if any."""
    name, how = ritual
    week, tip_text = tip
    key = "screen.ritual.check_in_day" if check_in_day else f"screen.ritual.{part.value}"
    if week is None or not tip_text:
        label, tip_text = "", ""
    elif week > PLAN_WEEKS:
        label = catalog.plain("screen.ritual.keeping_going")
    else:
        label = catalog.plain("screen.ritual.week_tip", {"number": week})
    data = {
        "heading": catalog.plain(key),
        "name": headline(name),
        "how": how,
        "tipLabel": label,
        "tip": tip_text,
    }
    return Screen("ritual", {"ritual": data})


def headline(text: str) -> str:
    """A name said mid-sentence ("the evening one thing"), as a screen's title."""
    return text[:1].upper() + text[1:]


# -- what start-up checks the documents against ------------------------------------------


def sample_screens(catalog: LocaleCatalog) -> tuple[Screen, ...]:
    """One screen of each document, built by the same functions the services call."""
    names = {"speaker": "Sam", "listener": "Alex", "first": "Sam", "second": "Alex"}
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    slots = (
        Slot(Phase.SPEAK_1, 9000, 0, 120_000, 120_000),
        Slot(Phase.REFLECT_1, 142_000, 0, 60_000, 60_000),
    )
    progress = Progress(Phase.CONFIRM_1, since=moment, until=moment, slots=slots)
    return (
        question_screen(catalog, "What made you smile today?", "s1q01", False, "Sam"),
        check_in_screen(catalog, progress, 210_000, lambda _phase: names),
        plan_screen(catalog, 3, "Sample week", "A sample summary."),
        ritual_screen(catalog, PartOfDay.EVENING, False, ("A ritual", "How."), (3, "A tip.")),
    )
