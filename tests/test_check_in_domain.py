"""The check-in's pure parts: timing and composition, the household record, words for time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from skill.codec import decode_check_in, decode_progress, encode_check_in, encode_progress
from skill.content.catalog import ContentError, LocaleCatalog
from skill.content.check_in import check as check_in_check
from skill.content.checks import check_vocabulary
from skill.domain.check_in import (
    BUDGET_MS,
    RECENT,
    TIMED,
    CheckInRecord,
    CheckInSettings,
    Completed,
    Phase,
    Progress,
    Slot,
    Spot,
    locate,
    minutes_between,
    perform,
    start,
)
from skill.domain.timeline import Cue, Segment, Silence, Sound
from skill.services.check_in import TurnVoice

AT = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)


class SlowVoice:
    """Generous, fixed estimates: every cue takes 6 s, every sound 3 s."""

    def person(self, order: int, who: int) -> str:
        return ("Sam", "Alex")[who]

    def span(self, ms: int) -> str:
        return f"{ms // 1000} seconds"

    def length_ms(self, segment: Segment) -> int:
        if isinstance(segment, Silence):
            return segment.ms
        return 3000 if isinstance(segment, Sound) else 6000


def audio_ms(segments: tuple[Segment, ...]) -> int:
    voice = SlowVoice()
    return sum(voice.length_ms(s) for s in segments)


@pytest.mark.parametrize("minutes", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("phase", sorted(TIMED - {Phase.BREATHING}))
def test_no_response_exceeds_the_budget_and_every_phase_gets_its_time(
    minutes: int, phase: Phase
) -> None:
    settings = CheckInSettings(turn_s=minutes * 60)
    progress = start(phase in (Phase.MORNING_1, Phase.MORNING_2), 0, AT)
    spot: Spot | None = Spot(phase, 0, settings.length_ms(phase))
    played: dict[Phase, int] = {}
    for _ in range(12):
        show = perform(progress, spot, SlowVoice(), AT, settings)
        assert show.audio_ms == audio_ms(show.segments) <= BUDGET_MS
        assert all(s.ms > 0 for s in show.segments if isinstance(s, Silence))
        for slot in show.progress.slots:
            played[slot.phase] = played.get(slot.phase, 0) + slot.stop_ms - slot.start_ms
        progress = show.progress
        if progress.phase is not Phase.HOLD:
            break
        spot = progress.held
    else:
        pytest.fail("the phase never finished")
    for done, ms in played.items():
        assert ms == settings.length_ms(done)


def test_a_speaking_turn_keeps_its_cues_on_the_clock() -> None:
    settings = CheckInSettings()
    show = perform(start(False, 0, AT), Spot(Phase.SPEAK_1, 0, 120_000), SlowVoice(), AT, settings)
    clock, times = 0, {}
    voice = SlowVoice()
    for segment in show.segments:
        if isinstance(segment, Cue | Sound):
            times.setdefault(segment.key if isinstance(segment, Cue) else segment.name, clock)
        clock += voice.length_ms(segment)
    started = times["start"] + 3000
    assert times["check_in.cue.halfway"] - started == 60_000
    assert times["check_in.cue.ten_seconds"] - started == 110_000
    assert times["end"] - started == 120_000
    assert show.progress.phase is Phase.CONFIRM_1
    assert [s.phase for s in show.progress.slots] == [Phase.SPEAK_1, Phase.REFLECT_1]


def test_locate_finds_the_phase_and_the_time_spent() -> None:
    progress = Progress(
        phase=Phase.CONFIRM_1,
        since=AT,
        until=AT + timedelta(minutes=4),
        slots=(
            Slot(Phase.SPEAK_1, 9_000, 0, 120_000, 120_000),
            Slot(Phase.REFLECT_1, 150_000, 0, 60_000, 60_000),
        ),
    )
    assert locate(progress, AT) == Spot(Phase.SPEAK_1, 0, 120_000)
    assert locate(progress, AT + timedelta(seconds=39)) == Spot(Phase.SPEAK_1, 30_000, 120_000)
    assert locate(progress, AT + timedelta(seconds=135)) == Spot(Phase.REFLECT_1, 0, 60_000)
    assert locate(progress, AT + timedelta(seconds=170)) == Spot(Phase.REFLECT_1, 20_000, 60_000)
    assert locate(progress, AT + timedelta(seconds=211)) is None


def test_progress_survives_the_session_and_the_store() -> None:
    progress = Progress(
        phase=Phase.HOLD,
        since=AT,
        until=AT + timedelta(seconds=200),
        morning=True,
        starter=1,
        began=AT,
        slots=(Slot(Phase.SPEAK_1, 9_000, 0, 180_000, 300_000, 0),),
        held=Spot(Phase.SPEAK_1, 180_000, 300_000, 0),
    )
    assert decode_progress(encode_progress(progress)) == progress
    for broken in (None, [], {"phase": "nope"}, {"phase": "hold", "since": "x", "until": "y"}):
        assert decode_progress(broken) is None


def test_a_resumed_check_in_expires_after_half_an_hour() -> None:
    progress = start(False, 0, AT)
    assert progress.resumable(AT + timedelta(minutes=29))
    assert not progress.resumable(AT + timedelta(minutes=31))
    assert not replace(progress, phase=Phase.DONE).resumable(AT)


def test_the_record_is_small_bounded_and_tolerant() -> None:
    assert encode_check_in(CheckInRecord()) == {}
    record = CheckInRecord(settings=CheckInSettings(turn_s=180, soft_sounds=True))
    for day in range(1, 10):
        record = record.completed(date(2026, 3, day), 9, morning=day % 2 == 0)
    assert len(record.recent) == RECENT
    assert record.count == 9 and record.morning_count == 4 and record.total_minutes == 81
    assert record.recent[-1] == Completed(date(2026, 3, 9), 9, False)
    data = encode_check_in(record)
    assert data["settings"] == {"turn_s": 180, "soft_sounds": True}
    assert decode_check_in(data) == record
    junk = {"count": "many", "settings": {"turn_s": 5000, "skip_intro": "yes"}, "recent": [1, [2]]}
    assert decode_check_in(junk) == CheckInRecord()


def test_minutes_are_whole_and_at_least_one() -> None:
    assert minutes_between(None, AT) == 1
    assert minutes_between(AT, AT + timedelta(seconds=20)) == 1
    assert minutes_between(AT, AT + timedelta(minutes=8, seconds=40)) == 9


@pytest.mark.parametrize(
    ("ms", "words"),
    [
        (120_000, "2 minutes"),
        (60_000, "one minute"),
        (42_000, "40 seconds"),
        (90_000, "one minute and 30 seconds"),
        (150_000, "2 minutes and 30 seconds"),
        (1_000, "5 seconds"),
    ],
)
def test_time_is_said_in_plain_words(en: LocaleCatalog, ms: int, words: str) -> None:
    assert TurnVoice(en, ()).span(ms) == words


def test_names_or_stand_ins(en: LocaleCatalog) -> None:
    assert TurnVoice(en, ("Sam", "Alex")).person(0, 1) == "Alex"
    assert TurnVoice(en, ()).person(1, 0) == "Second speaker"


def check_lines(catalog: LocaleCatalog) -> None:
    check_vocabulary(catalog)
    check_in_check(catalog)


def test_content_check_names_a_missing_line(en: LocaleCatalog) -> None:
    check_lines(en)
    lines = dict(en.lines)
    del lines["check_in.cue.halfway"]
    with pytest.raises(ContentError, match="halfway"):
        check_lines(LocaleCatalog(en.locale, lines))
    lines = {**en.lines, "check_in.cue.share": ("{speaker} has {hours}",)}
    with pytest.raises(ContentError, match="share"):
        check_lines(LocaleCatalog(en.locale, lines))
