"""Tonight's question as pure logic: nights, order, moves, the end of set 3, stored shape."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from skill.codec import decode_questions, encode_questions
from skill.domain.clock import LocalClock
from skill.domain.questions import (
    RECENT_LIMIT,
    TOTAL,
    Deck,
    QuestionProgress,
    Stage,
    Step,
    at_start,
    choose_deck,
    next_question,
    place,
    revisit_pick,
    skip,
    start_over,
    surprise,
    tonight,
)

ORDER = tuple(f"s{s}q{n:02d}" for s in (1, 2, 3) for n in range(1, 13))
NIGHT = date(2026, 3, 10)


def night_at(utc: str, zone: str) -> date:
    instant = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    return LocalClock.at(instant, ZoneInfo(zone)).night()


def local_night(local: str, zone: str) -> date:
    where = ZoneInfo(zone)
    return LocalClock.at(datetime.fromisoformat(local).replace(tzinfo=where), where).night()


def at_position(position: int, night: date = NIGHT) -> QuestionProgress:
    """Progress with the question at ``position`` assigned on ``night``."""
    progress = QuestionProgress()
    for _ in range(position):
        progress = next_question(tonight(progress, night, ORDER).progress, night, ORDER).progress
        progress = replace(progress, night=None, current=None)
    return tonight(progress, night, ORDER).progress


# -- the night and its 4 a.m. boundary ---------------------------------------


@pytest.mark.parametrize(
    ("utc", "zone", "night"),
    [
        # New York springs forward at 2 a.m. on 2026-03-08 (EST -5 -> EDT -4).
        ("2026-03-08T06:30:00", "America/New_York", date(2026, 3, 7)),  # 01:30 EST
        ("2026-03-08T07:30:00", "America/New_York", date(2026, 3, 7)),  # 03:30 EDT
        ("2026-03-08T07:59:00", "America/New_York", date(2026, 3, 7)),  # 03:59 EDT
        ("2026-03-08T08:00:00", "America/New_York", date(2026, 3, 8)),  # 04:00 EDT
        # London springs forward at 1 a.m. on 2026-03-29 (GMT -> BST +1).
        ("2026-03-29T00:30:00", "Europe/London", date(2026, 3, 28)),  # 00:30 GMT
        ("2026-03-29T02:30:00", "Europe/London", date(2026, 3, 28)),  # 03:30 BST
        ("2026-03-29T03:00:00", "Europe/London", date(2026, 3, 29)),  # 04:00 BST
        # New York falls back on 2026-11-01: 03:30 EST is 08:30 UTC.
        ("2026-11-01T08:30:00", "America/New_York", date(2026, 10, 31)),
        ("2026-11-01T09:00:00", "America/New_York", date(2026, 11, 1)),
    ],
)
def test_the_night_turns_at_four_local_time_across_dst(utc: str, zone: str, night: date) -> None:
    assert night_at(utc, zone) == night


def test_one_instant_is_a_different_night_in_different_zones() -> None:
    instant = "2026-03-11T03:30:00"
    assert night_at(instant, "Europe/London") == date(2026, 3, 10)  # 03:30 local
    assert night_at(instant, "America/New_York") == date(2026, 3, 10)  # 23:30 local
    assert night_at(instant, "Asia/Tokyo") == date(2026, 3, 11)  # 12:30 local


def test_the_short_spring_night_still_keeps_one_question() -> None:
    evening = local_night("2026-03-07T22:00", "America/New_York")
    small_hours = local_night("2026-03-08T03:30", "America/New_York")
    progress = tonight(QuestionProgress(), evening, ORDER).progress
    again = tonight(progress, small_hours, ORDER)
    assert again.step is Step.SAME and again.question == "s1q01"
    morning = local_night("2026-03-08T04:00", "America/New_York")
    assert tonight(progress, morning, ORDER).question == "s1q02"


def test_london_change_of_clocks_keeps_the_question_until_four() -> None:
    progress = tonight(QuestionProgress(), local_night("2026-03-28T21:00", "Europe/London"), ORDER)
    late = local_night("2026-03-29T03:45", "Europe/London")
    assert tonight(progress.progress, late, ORDER).step is Step.SAME
    assert tonight(progress.progress, late + timedelta(days=1), ORDER).question == "s1q02"


# -- one question per household per night --------------------------------------


def test_a_new_household_gets_the_first_question_with_the_set_introduced() -> None:
    result = tonight(QuestionProgress(), NIGHT, ORDER)
    assert result.question == "s1q01"
    assert result.step is Step.NEW
    assert result.opens_set == 1
    assert result.progress.night == NIGHT and result.progress.current == "s1q01"


def test_asking_twice_or_from_two_devices_gives_the_same_question() -> None:
    first = tonight(QuestionProgress(), NIGHT, ORDER)
    second = tonight(first.progress, NIGHT, ORDER)
    assert second.question == first.question
    assert second.step is Step.SAME
    assert second.progress == first.progress


def test_two_devices_reading_the_same_state_compute_the_same_assignment() -> None:
    state = at_position(7, NIGHT)
    kitchen = tonight(state, NIGHT + timedelta(days=1), ORDER)
    bedroom = tonight(state, NIGHT + timedelta(days=1), ORDER)
    assert kitchen == bedroom
    retried = tonight(kitchen.progress, NIGHT + timedelta(days=1), ORDER)
    assert retried.step is Step.SAME and retried.progress == kitchen.progress


def test_each_new_night_moves_one_question_on_even_after_a_gap() -> None:
    progress = QuestionProgress()
    heard = []
    for night in (NIGHT, NIGHT + timedelta(days=1), NIGHT + timedelta(days=5)):
        result = tonight(progress, night, ORDER)
        progress = result.progress
        heard.append(result.question)
    assert heard == ["s1q01", "s1q02", "s1q03"]
    assert progress.answered == 2 and progress.position == 2


def test_the_sets_run_in_order_and_each_opens_with_its_introduction() -> None:
    progress = QuestionProgress()
    opened = {}
    for day in range(TOTAL):
        result = tonight(progress, NIGHT + timedelta(days=day), ORDER)
        progress = result.progress
        assert result.question == ORDER[day]
        if result.opens_set:
            opened[result.opens_set] = result.question
    assert opened == {1: "s1q01", 2: "s2q01", 3: "s3q01"}


def test_who_answers_first_alternates_night_by_night() -> None:
    progress = QuestionProgress()
    starters = []
    for day in range(4):
        progress = tonight(progress, NIGHT + timedelta(days=day), ORDER).progress
        starters.append(progress.starter)
        assert tonight(progress, NIGHT + timedelta(days=day), ORDER).progress.starter == (
            progress.starter
        )
    assert starters == [0, 1, 0, 1]


# -- next, skip, start over -----------------------------------------------------


def test_next_moves_on_within_the_night_and_counts_an_answer() -> None:
    first = tonight(QuestionProgress(), NIGHT, ORDER).progress
    result = next_question(first, NIGHT, ORDER)
    assert result.step is Step.NEXT and result.question == "s1q02"
    assert result.progress.answered == 1 and result.progress.skipped == 0
    assert tonight(result.progress, NIGHT, ORDER).question == "s1q02"


def test_next_on_a_new_night_is_tonights_question() -> None:
    first = tonight(QuestionProgress(), NIGHT, ORDER).progress
    result = next_question(first, NIGHT + timedelta(days=1), ORDER)
    assert result.step is Step.NEW and result.question == "s1q02"


def test_skip_moves_on_without_counting_an_answer() -> None:
    first = tonight(QuestionProgress(), NIGHT, ORDER).progress
    result = skip(first, NIGHT, ORDER)
    assert result.step is Step.SKIPPED and result.question == "s1q02"
    assert result.progress.skipped == 1 and result.progress.answered == 0


def test_skip_with_nothing_out_tonight_gives_tonights_question() -> None:
    result = skip(QuestionProgress(), NIGHT, ORDER)
    assert result.step is Step.NEW and result.question == "s1q01"
    assert result.progress.skipped == 0


def test_start_over_returns_to_the_first_question_and_keeps_counters() -> None:
    progress = at_position(20)
    reset = start_over(progress)
    assert at_start(reset) and not at_start(progress)
    assert reset.answered == progress.answered
    again = tonight(reset, NIGHT, ORDER)
    assert again.question == "s1q01" and again.opens_set == 1


def test_place_says_the_set_and_number() -> None:
    assert place(QuestionProgress(), NIGHT, ORDER).stage is Stage.NOT_STARTED
    progress = at_position(13)
    here = place(progress, NIGHT, ORDER)
    assert (here.stage, here.set, here.number) == (Stage.TONIGHT, 2, 2)
    later = place(progress, NIGHT + timedelta(days=1), ORDER)
    assert (later.stage, later.set, later.number) == (Stage.UPCOMING, 2, 3)
    assert place(at_position(35), NIGHT + timedelta(days=1), ORDER).stage is Stage.REVISITING


# -- after the 36th question ------------------------------------------------------


def test_after_the_last_question_the_household_revisits_earlier_ones() -> None:
    last = at_position(35)
    assert last.current == "s3q12"
    result = tonight(last, NIGHT + timedelta(days=1), ORDER)
    assert result.finished_now and result.revisiting
    assert result.opens_set is None
    assert result.question in ORDER and result.question not in last.recent
    following = tonight(result.progress, NIGHT + timedelta(days=2), ORDER)
    assert not following.finished_now and following.revisiting
    assert following.question not in result.progress.recent[:-1]


def test_revisits_favour_questions_not_heard_recently_and_stay_bounded() -> None:
    progress = at_position(35)
    heard: list[str] = []
    for day in range(1, 40):
        result = tonight(progress, NIGHT + timedelta(days=day), ORDER)
        assert result.question not in progress.recent
        progress = result.progress
        heard.append(result.question)
        assert len(progress.recent) <= RECENT_LIMIT
    assert len(set(heard)) > RECENT_LIMIT
    assert progress.position == TOTAL


def test_revisit_picks_are_deterministic_for_a_night() -> None:
    last = at_position(35)
    night = NIGHT + timedelta(days=1)
    assert tonight(last, night, ORDER) == tonight(last, night, ORDER)
    assert revisit_pick(ORDER, (), "2026-04-01/40") == revisit_pick(ORDER, (), "2026-04-01/40")
    assert revisit_pick(ORDER, ORDER[:-1], "x") == ORDER[-1]
    assert revisit_pick(ORDER[:1], ORDER[:1], "x") == ORDER[0]


def test_start_over_after_the_end_begins_the_sets_again() -> None:
    finished = tonight(at_position(35), NIGHT + timedelta(days=1), ORDER).progress
    again = tonight(start_over(finished), NIGHT + timedelta(days=2), ORDER)
    assert again.question == "s1q01" and not again.revisiting


# -- what is stored ---------------------------------------------------------------


def test_the_stored_shape_round_trips_and_stays_small() -> None:
    progress = tonight(at_position(35), NIGHT + timedelta(days=1), ORDER).progress
    for day in range(2, 60):
        progress = tonight(progress, NIGHT + timedelta(days=day), ORDER).progress
    data = encode_questions(progress)
    assert decode_questions(json.loads(json.dumps(data))) == progress
    assert len(json.dumps(data)) < 400
    assert encode_questions(QuestionProgress()) == {}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"pos": "three", "night": 5, "q": "nonsense", "given": True, "recent": "s1q01"},
        {"pos": -4, "night": "not a date", "recent": [1, None, "s1q02"]},
        {"pos": 999, "recent": [f"s1q{n:02d}" for n in range(1, 13)] * 5},
    ],
)
def test_malformed_stored_progress_is_tolerated(data: dict[str, object]) -> None:
    progress = decode_questions(data)
    assert 0 <= progress.position <= TOTAL
    assert len(progress.recent) <= RECENT_LIMIT
    assert tonight(progress, NIGHT, ORDER).question in ORDER


# -- the decks after the 36 --------------------------------------------------------------

DECKS = (
    Deck("aa", ("aa01", "aa02")),
    Deck("bb", ("bb01", "bb02")),
    Deck("cc", ("cc01",)),
)
DONE_36 = QuestionProgress(position=35, night=NIGHT, current="s3q12", given=36)


def test_after_the_36_each_deck_takes_its_turn_then_earlier_ones_return() -> None:
    progress, heard = DONE_36, []
    for day in range(1, 7):
        result = tonight(progress, NIGHT + timedelta(days=day), ORDER, DECKS)
        progress = result.progress
        heard.append(result.question)
        assert result.finished_now is (day == 1)
    assert heard[:5] == ["aa01", "bb01", "cc01", "aa02", "bb02"]
    last = tonight(progress, NIGHT + timedelta(days=7), ORDER, DECKS)
    assert last.revisiting and last.deck is None
    assert place(last.progress, NIGHT + timedelta(days=7), ORDER, DECKS).stage is Stage.REVISITING


def test_a_picked_deck_replaces_tonights_question_and_leads_until_it_runs_out() -> None:
    start = tonight(QuestionProgress(), NIGHT, ORDER, DECKS).progress
    chosen = choose_deck(start, NIGHT, ORDER, DECKS, "bb")
    assert chosen is not None and chosen.question == "bb01" and chosen.step is Step.CHOSEN
    assert chosen.progress.position == 0 and chosen.progress.deck == "bb"
    again = choose_deck(chosen.progress, NIGHT, ORDER, DECKS, "bb")
    assert again is not None and again.step is Step.SAME
    here = place(chosen.progress, NIGHT, ORDER, DECKS)
    assert (here.stage, here.deck, here.number) == (Stage.TONIGHT, DECKS[1], 1)
    night2 = tonight(chosen.progress, NIGHT + timedelta(days=1), ORDER, DECKS)
    assert night2.question == "bb02" and night2.progress.dealt_in("bb") == 1
    night3 = tonight(night2.progress, NIGHT + timedelta(days=2), ORDER, DECKS)
    assert night3.question == "s1q01" and night3.progress.deck is None
    assert choose_deck(night3.progress, NIGHT, ORDER, DECKS, "bb") is None
    assert choose_deck(night3.progress, NIGHT, ORDER, DECKS, "zz") is None


def test_surprise_avoids_the_deck_in_play_and_is_the_same_for_the_same_state() -> None:
    chosen = choose_deck(DONE_36, NIGHT, ORDER, DECKS, "aa")
    assert chosen is not None
    first = surprise(chosen.progress, NIGHT, ORDER, DECKS)
    assert first is not None and first.deck is not None and first.deck.code != "aa"
    assert surprise(chosen.progress, NIGHT, ORDER, DECKS) == first
    used = replace(DONE_36, dealt=(("aa", 2), ("bb", 2), ("cc", 1)))
    assert surprise(used, NIGHT, ORDER, DECKS) is None
