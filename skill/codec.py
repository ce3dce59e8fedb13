"""The household's stored form, in one place: the item's JSON shape, both ways.

``encode`` turns a Household into the compact dict the store writes; ``decode`` reads it
back, tolerantly: a missing or malformed value reads as its default, so an item written by
any earlier version still loads. Defaults are left out when writing, which keeps the item
small. The check-in under way has the same shape in the session attribute ``check_in``.

Field names are part of the stored contract: never rename one, only add.

Besides the household, the item carries ``rq``: digests of the requests whose writes made its
last few versions (8 characters each, newest last; the newest made the current version). A turn
whose write was re-sent, or answered too late, finds its own digest there; a replayed request
finds it too (see ``skill.exchange``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from typing import Any, TypeGuard

from skill.domain.alerts import keepable
from skill.domain.check_in import (
    RECENT,
    TIMED,
    TURN_MINUTES,
    CheckInRecord,
    CheckInSettings,
    Completed,
    Phase,
    Progress,
    Slot,
    Spot,
)
from skill.domain.clock import read_date, read_stamp, stamp
from skill.domain.closeness import HIGHEST, HISTORY, Closeness, WeekRating
from skill.domain.habits import SCREEN_FREE_MINUTES, Capsule, HabitsState, Reminder, clock_time
from skill.domain.household import MAX_NAMES, Household, speakable
from skill.domain.plan import MAX_HELD_DAYS, MAX_RESTARTS, PlanState
from skill.domain.questions import (
    DECK_CODE,
    MAX_DEALT,
    RECENT_LIMIT,
    TOTAL,
    QuestionProgress,
    is_question_id,
)
from skill.domain.rituals import Weekday
from skill.domain.voices import Voices, is_digest

Data = dict[str, Any]

APPLIED = "rq"
DIGEST_CHARS = 8
APPLIED_KEPT = 8
"""Enough to cover every other device of a household writing between a write and its check."""
NO_DIGEST = "." * DIGEST_CHARS
"""Stands for a write from a request without an id (never a base64url digest)."""


def request_digest(request_id: str) -> str | None:
    """A short digest of a request id (48 bits of SHA-256, base64url); None without an id."""
    if not request_id:
        return None
    digest = hashlib.sha256(request_id.encode("utf-8")).digest()[:6]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def applied_version(data: Mapping[str, Any], version: int, digest: str | None) -> int | None:
    """The version the request with ``digest`` wrote, if it made one of the last few."""
    text = _applied(data)
    if digest is None:
        return None
    for back in range(len(text) // DIGEST_CHARS):
        end = len(text) - back * DIGEST_CHARS
        if text[end - DIGEST_CHARS : end] == digest:
            return version - back
    return None


def with_applied(data: Data, before: Mapping[str, Any] | None, digest: str | None) -> Data:
    """``data`` to write, carrying the request digests of ``before`` and this request's."""
    kept = (_applied(before or {}) + (digest or NO_DIGEST))[-APPLIED_KEPT * DIGEST_CHARS :]
    return {**data, APPLIED: kept}


def without_applied(data: Mapping[str, Any]) -> Data:
    """The household part of a stored item."""
    return {name: value for name, value in data.items() if name != APPLIED}


def _applied(data: Mapping[str, Any]) -> str:
    text = data.get(APPLIED)
    if not isinstance(text, str) or len(text) % DIGEST_CHARS:
        return ""
    return text


def encode(household: Household) -> Data:
    """The household as stored (``visits`` always; everything else only when set)."""
    data: Data = {"visits": household.visits}
    _put_date(data, "first_seen", household.first_seen)
    _put_date(data, "last_seen", household.last_seen)
    if household.timezone:
        data["tz"] = household.timezone
    _put_date(data, "tz_checked", household.timezone_checked)
    if household.names:
        data["names"] = list(household.names)
    if household.names_invited:
        data["names_asked"] = True
    _put_date(data, "closeness_no", household.closeness.declined)
    for name, part in (
        ("questions", encode_questions(household.questions)),
        ("check_in", encode_check_in(household.check_in)),
        ("plan", encode_plan(household.plan)),
        ("closeness", encode_closeness(household.closeness)),
        ("voices", encode_voices(household.voices)),
        ("habits", encode_habits(household.habits)),
    ):
        if part:
            data[name] = part
    return data


def decode(data: Mapping[str, Any]) -> Household:
    tz = data.get("tz")
    return Household(
        visits=_count(data.get("visits")),
        first_seen=read_date(data.get("first_seen")),
        last_seen=read_date(data.get("last_seen")),
        timezone=tz if isinstance(tz, str) else None,
        timezone_checked=read_date(data.get("tz_checked")),
        names=_names(data.get("names")),
        questions=decode_questions(_map(data.get("questions"))),
        check_in=decode_check_in(_map(data.get("check_in"))),
        plan=decode_plan(_map(data.get("plan"))),
        closeness=decode_closeness(
            _list(data.get("closeness")), read_date(data.get("closeness_no"))
        ),
        voices=decode_voices(_map(data.get("voices"))),
        habits=decode_habits(_map(data.get("habits"))),
        names_invited=data.get("names_asked") is True,
    )


def _names(value: Any) -> tuple[str, ...]:
    """Stored names, made fit to speak (items stored before names were cleaned may hold
    control characters)."""
    names = (speakable(n) for n in _list(value) if isinstance(n, str))
    return tuple(n for n in names if n)[:MAX_NAMES]


# -- tonight's question ---------------------------------------------------------------


def encode_questions(progress: QuestionProgress) -> Data:
    data: Data = {}
    _put(data, "pos", progress.position)
    _put_date(data, "night", progress.night)
    _put(data, "q", progress.current)
    _put(data, "given", progress.given)
    _put(data, "answered", progress.answered)
    _put(data, "skipped", progress.skipped)
    if progress.recent:
        data["recent"] = list(progress.recent)
    _put(data, "deck", progress.deck)
    dealt = {code: count for code, count in progress.dealt if count}
    if dealt:
        data["dealt"] = dealt
    _put(data, "turn", progress.turn)
    _put(data, "nights", progress.nights)
    _put(data, "tonight", progress.tonight)
    return data


def decode_questions(data: Mapping[str, Any]) -> QuestionProgress:
    ids = [q for q in _list(data.get("recent")) if is_question_id(q)]
    current, deck = data.get("q"), data.get("deck")
    dealt = {
        code: min(_count(count), MAX_DEALT)
        for code, count in _map(data.get("dealt")).items()
        if isinstance(code, str) and DECK_CODE.match(code) and _count(count)
    }
    return QuestionProgress(
        position=min(_count(data.get("pos")), TOTAL),
        night=read_date(data.get("night")),
        current=current if is_question_id(current) else None,
        given=_count(data.get("given")),
        answered=_count(data.get("answered")),
        skipped=_count(data.get("skipped")),
        recent=tuple(ids[-RECENT_LIMIT:]),
        deck=deck if isinstance(deck, str) and DECK_CODE.match(deck) else None,
        dealt=tuple(sorted(dealt.items())),
        turn=min(_count(data.get("turn")), MAX_DEALT),
        nights=_count(data.get("nights")),
        tonight=_count(data.get("tonight")),
    )


# -- how close you felt, and whose voice is whose -------------------------------------


def encode_closeness(record: Closeness) -> list[Any]:
    """Each kept week as ``[monday, first partner's score, second partner's score]``."""
    return [[rated.week.isoformat(), *rated.scores] for rated in record.weeks]


def decode_closeness(items: list[Any], declined: date | None = None) -> Closeness:
    weeks = [rated for rated in (_week_rating(item) for item in items) if rated]
    unique = {rated.week: rated for rated in weeks}
    return Closeness(tuple(sorted(unique.values(), key=lambda r: r.week)[-HISTORY:]), declined)


def _week_rating(item: Any) -> WeekRating | None:
    if not isinstance(item, list) or len(item) != 3:
        return None
    week = read_date(item[0])
    scores = [s if _is_int(s) and 0 <= s <= HIGHEST else 0 for s in item[1:]]
    if week is None or not any(scores):
        return None
    return WeekRating(week, (scores[0], scores[1]))


def encode_voices(voices: Voices) -> Data:
    return dict(voices)


def decode_voices(data: Mapping[str, Any]) -> Voices:
    pairs = [(d, p) for d, p in data.items() if is_digest(d) and p in (0, 1) and _is_int(p)]
    by_partner = {partner: digest for digest, partner in pairs}
    return tuple((digest, partner) for partner, digest in sorted(by_partner.items()))


# -- the plan -------------------------------------------------------------------------


def encode_plan(state: PlanState) -> Data:
    data: Data = {}
    _put_date(data, "start", state.started)
    _put(data, "held", state.held_days)
    if state.check_in_day:
        data["day"] = state.check_in_day.value
    _put(data, "restarts", state.restarts)
    return data


def decode_plan(data: Mapping[str, Any]) -> PlanState:
    started = read_date(data.get("start"))
    day = data.get("day")
    return PlanState(
        started=started,
        held_days=min(_count(data.get("held")), MAX_HELD_DAYS) if started else 0,
        check_in_day=Weekday.parse(day) if isinstance(day, str) else None,
        restarts=min(_count(data.get("restarts")), MAX_RESTARTS),
    )


# -- reminders, the screen-free timer, the time capsule --------------------------------


def encode_habits(state: HabitsState) -> Data:
    """Only tokens, times and dates: nothing a couple says or writes is ever kept.

    ``reminder``: [alert token, "HH:MM"]; ``offered``/``tip``: said once; ``timer``: the
    screen-free minutes; ``capsule``: [sealed date, told 0/1, alert token or absent];
    ``round``: the last check-in day the appreciation round was offered.
    """
    data: Data = {}
    if state.reminder:
        data["reminder"] = [state.reminder.token, state.reminder.at.strftime("%H:%M")]
    if state.offered:
        data["offered"] = True
    if state.tip:
        data["tip"] = True
    if state.screen_free != SCREEN_FREE_MINUTES:
        data["timer"] = state.screen_free
    if state.capsule:
        capsule = state.capsule
        told = [capsule.sealed.isoformat(), int(capsule.told)]
        data["capsule"] = [*told, capsule.alert] if capsule.alert else told
    _put_date(data, "round", state.round_offered)
    return data


def decode_habits(data: Mapping[str, Any]) -> HabitsState:
    minutes = data.get("timer")
    return HabitsState(
        reminder=_reminder(_list(data.get("reminder"))),
        offered=data.get("offered") is True,
        tip=data.get("tip") is True,
        screen_free=minutes if _is_int(minutes) and 1 <= minutes <= 120 else SCREEN_FREE_MINUTES,
        capsule=_capsule(_list(data.get("capsule"))),
        round_offered=read_date(data.get("round")),
    )


def _reminder(raw: list[Any]) -> Reminder | None:
    if len(raw) != 2:
        return None
    token, at = keepable(raw[0]), clock_time(raw[1]) if isinstance(raw[1], str) else None
    return Reminder(token, at) if token and at else None


def _capsule(raw: list[Any]) -> Capsule | None:
    sealed = read_date(raw[0]) if len(raw) in (2, 3) else None
    if sealed is None:
        return None
    return Capsule(sealed, raw[1] == 1, keepable(raw[2]) if len(raw) == 3 else None)


# -- the check-in ---------------------------------------------------------------------


def encode_check_in(record: CheckInRecord) -> Data:
    data: Data = {}
    settings = encode_settings(record.settings)
    if settings:
        data["settings"] = settings
    _put(data, "next_starter", record.next_starter)
    _put(data, "count", record.count)
    _put(data, "morning_count", record.morning_count)
    _put(data, "total_minutes", record.total_minutes)
    _put_date(data, "last_date", record.last_date)
    if record.recent:
        data["recent"] = [[c.day.isoformat(), c.minutes, int(c.morning)] for c in record.recent]
    if record.active:
        data["active"] = encode_progress(record.active)
    _put(data, "rounds", record.rounds)
    return data


def decode_check_in(data: Mapping[str, Any]) -> CheckInRecord:
    recent = [c for c in (_completed(item) for item in _list(data.get("recent"))) if c]
    return CheckInRecord(
        settings=decode_settings(_map(data.get("settings"))),
        next_starter=_either(data.get("next_starter")),
        count=_count(data.get("count")),
        morning_count=_count(data.get("morning_count")),
        total_minutes=_count(data.get("total_minutes")),
        last_date=read_date(data.get("last_date")),
        recent=tuple(recent[-RECENT:]),
        active=decode_progress(data.get("active")),
        rounds=_count(data.get("rounds")),
    )


def _completed(item: Any) -> Completed | None:
    if not isinstance(item, list) or len(item) != 3 or not _is_int(item[1]):
        return None
    day = read_date(item[0])
    return Completed(day, item[1], bool(item[2])) if day else None


def encode_settings(settings: CheckInSettings) -> Data:
    default = CheckInSettings()
    return {
        f.name: getattr(settings, f.name)
        for f in fields(CheckInSettings)
        if getattr(settings, f.name) != getattr(default, f.name)
    }


def decode_settings(data: Mapping[str, Any]) -> CheckInSettings:
    default = CheckInSettings()
    values: Data = {}
    for f in fields(CheckInSettings):
        value, fallback = data.get(f.name), getattr(default, f.name)
        if isinstance(fallback, bool):
            values[f.name] = value if isinstance(value, bool) else fallback
        else:
            values[f.name] = value if _is_int(value) and 10 <= value <= 600 else fallback
    low, high = TURN_MINUTES
    if not low * 60 <= values["turn_s"] <= high * 60:
        values["turn_s"] = default.turn_s
    return CheckInSettings(**values)


def encode_progress(progress: Progress) -> Data:
    """A check-in under way, as the session attribute and the household's mirror hold it."""
    data: Data = {
        "phase": progress.phase.value,
        "since": stamp(progress.since),
        "until": stamp(progress.until),
    }
    if progress.morning:
        data["morning"] = True
    if progress.appreciation:
        data["appreciation"] = True
    _put(data, "starter", progress.starter)
    if progress.began:
        data["began"] = stamp(progress.began)
    if progress.slots:
        data["slots"] = [
            [s.phase.value, s.begin_ms, s.start_ms, s.stop_ms, s.length_ms, s.extra_ms]
            for s in progress.slots
        ]
    if progress.held:
        held = progress.held
        data["held"] = [held.phase.value, held.at_ms, held.length_ms, held.extra_ms]
    return data


def decode_progress(data: Any) -> Progress | None:
    """A check-in under way from session or household data; None if missing or malformed."""
    if not isinstance(data, Mapping):
        return None
    phase = _phase(data.get("phase"))
    since, until = read_stamp(data.get("since")), read_stamp(data.get("until"))
    if phase is None or since is None or until is None:
        return None
    slots = (_slot(raw) for raw in _list(data.get("slots")))
    return Progress(
        phase=phase,
        since=since,
        until=until,
        morning=data.get("morning") is True,
        appreciation=data.get("appreciation") is True,
        starter=_either(data.get("starter")),
        began=read_stamp(data.get("began")),
        slots=tuple(slot for slot in slots if slot is not None),
        held=_spot(_list(data.get("held"))),
    )


def _slot(raw: Any) -> Slot | None:
    if not isinstance(raw, list) or len(raw) != 6:
        return None
    phase = _phase(raw[0])
    if phase not in TIMED or not all(_is_int(v) for v in raw[1:]):
        return None
    return Slot(phase, raw[1], raw[2], raw[3], raw[4], raw[5])


def _spot(raw: list[Any]) -> Spot | None:
    phase = _phase(raw[0]) if len(raw) == 4 else None
    if phase is None or not all(_is_int(v) for v in raw[1:]):
        return None
    return Spot(phase, raw[1], raw[2], raw[3])


def _phase(value: Any) -> Phase | None:
    try:
        return Phase(value)
    except ValueError:
        return None


# -- tolerant readers and compact writers ------------------------------------------------


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> int:
    """A non-negative whole number, else 0."""
    return value if _is_int(value) and value >= 0 else 0


def _either(value: Any) -> int:
    """0 or 1 (which partner), else 0."""
    return value if value in (0, 1) and not isinstance(value, bool) else 0


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _put(data: Data, name: str, value: int | str | None) -> None:
    """Write a value unless it is the default (0, empty or None)."""
    if value:
        data[name] = value


def _put_date(data: Data, name: str, value: date | None) -> None:
    if value is not None:
        data[name] = value.isoformat()
