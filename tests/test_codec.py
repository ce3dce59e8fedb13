"""The household's stored form: one codec, a complete example item, tolerant reading."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from skill import codec
from skill.domain.check_in import (
    CheckInRecord,
    CheckInSettings,
    Completed,
    Phase,
    Progress,
    Slot,
    Spot,
)
from skill.domain.household import Household
from skill.domain.plan import PlanState
from skill.domain.questions import QuestionProgress
from skill.domain.rituals import Weekday
from skill.store.base import encode_data

EXAMPLE: dict[str, Any] = {
    "visits": 41,
    "first_seen": "2026-03-01",
    "last_seen": "2026-04-10",
    "tz": "Europe/London",
    "tz_checked": "2026-04-10",
    "names": ["Sam", "Alex"],
    "questions": {
        "pos": 14,
        "night": "2026-04-10",
        "q": "s2q03",
        "given": 16,
        "answered": 13,
        "skipped": 1,
        "recent": ["s1q11", "s1q12", "s2q01", "s2q02", "s2q03"],
    },
    "check_in": {
        "settings": {"turn_s": 180, "skip_intro": True, "soft_sounds": True},
        "next_starter": 1,
        "count": 7,
        "morning_count": 2,
        "total_minutes": 61,
        "last_date": "2026-04-08",
        "recent": [["2026-04-01", 11, 0], ["2026-04-05", 2, 1], ["2026-04-08", 12, 0]],
        "active": {
            "phase": "paused",
            "since": 1775852100000,
            "until": 1775852100000,
            "starter": 1,
            "began": 1775851805000,
            "slots": [["speak_1", 4200, 0, 120000, 120000, 0]],
            "held": ["speak_1", 40000, 120000, 0],
        },
    },
    "plan": {"start": "2026-03-02", "held": 7, "day": "sunday", "restarts": 1},
    "habits": {
        "reminder": ["amzn1.alert.reminder.1", "21:00"],
        "offered": True,
        "tip": True,
        "timer": 30,
        "capsule": ["2026-03-14", 1, "amzn1.alert.reminder.2"],
        "round": "2026-04-05",
    },
}
"""A household six weeks in, with every field set, as the store keeps it (today and before:
the field names are the same as the first version's)."""

AT = datetime(2026, 4, 10, 20, 15, tzinfo=UTC)


def test_the_example_item_reads_as_the_household_it_describes() -> None:
    household = codec.decode(EXAMPLE)
    assert household.names == ("Sam", "Alex")
    assert household.questions == QuestionProgress(
        position=14,
        night=date(2026, 4, 10),
        current="s2q03",
        given=16,
        answered=13,
        skipped=1,
        recent=("s1q11", "s1q12", "s2q01", "s2q02", "s2q03"),
    )
    assert household.plan == PlanState(date(2026, 3, 2), 7, Weekday.SUNDAY, 1)
    assert household.habits.reminder is not None
    assert household.habits.reminder.at.hour == 21
    assert household.habits.capsule is not None
    assert household.habits.capsule.opens == date(2026, 6, 14)
    record = household.check_in
    assert record.settings == CheckInSettings(turn_s=180, skip_intro=True, soft_sounds=True)
    assert record.recent[1] == Completed(date(2026, 4, 5), 2, morning=True)
    assert record.active == Progress(
        phase=Phase.PAUSED,
        since=AT,
        until=AT,
        starter=1,
        began=datetime(2026, 4, 10, 20, 10, 5, tzinfo=UTC),
        slots=(Slot(Phase.SPEAK_1, 4200, 0, 120000, 120000),),
        held=Spot(Phase.SPEAK_1, 40000, 120000),
    )


def test_the_example_item_round_trips_exactly_and_is_small() -> None:
    assert codec.encode(codec.decode(EXAMPLE)) == EXAMPLE
    size = len(encode_data(EXAMPLE).encode())
    assert size <= 1024, size


def test_instants_stored_as_iso_strings_read_as_the_same_instants() -> None:
    active = EXAMPLE["check_in"]["active"]
    iso = {
        **active,
        "since": "2026-04-10T20:15:00.000+00:00",
        "until": "2026-04-10T21:15:00.000+01:00",
        "began": "2026-04-10T20:10:05.000+00:00",
    }
    progress = codec.decode_progress(iso)
    assert progress is not None
    assert progress == codec.decode_progress(active)
    assert codec.encode_progress(progress) == active


@pytest.mark.parametrize("odd", [True, -1, 10**16, 1.5, "1775852100000"])
def test_an_instant_that_is_not_one_reads_as_missing(odd: Any) -> None:
    active = {**EXAMPLE["check_in"]["active"], "since": odd}
    assert codec.decode_progress(active) is None


def test_a_new_household_stores_only_its_visit_count() -> None:
    assert codec.encode(Household()) == {"visits": 0}
    assert codec.decode({}) == Household()
    assert Household().is_new
    assert Household(timezone="Europe/London").is_new
    assert not Household(visits=1, first_seen=date(2026, 3, 1)).is_new
    assert not Household(check_in=CheckInRecord(count=1)).is_new


@pytest.mark.parametrize(
    "broken",
    [
        {"visits": -3, "names": "Sam", "questions": [], "plan": {"start": "yesterday"}},
        {"visits": True, "tz": 7, "check_in": {"recent": [["x", 1, 0]], "next_starter": True}},
        {"questions": {"q": "s9q99", "pos": 999, "recent": ["s1q01", 3, None]}},
        {"check_in": {"active": {"phase": "dancing", "since": "now", "until": "later"}}},
        {"check_in": {"settings": {"turn_s": 9999, "skip_intro": "yes"}}},
    ],
)
def test_malformed_values_read_as_their_defaults(broken: dict[str, Any]) -> None:
    household = codec.decode(broken)
    assert codec.decode(json.loads(json.dumps(codec.encode(household)))) == household
    assert household.visits >= 0 and household.questions.position <= 36
    assert household.check_in.active is None
    assert household.check_in.settings.turn_s == 120 or "settings" not in broken.get("check_in", {})


A_YEAR_IN: dict[str, Any] = {
    **EXAMPLE,
    "questions": {
        "pos": 36,
        "night": "2027-02-20",
        "q": "dr31",
        "given": 340,
        "answered": 330,
        "skipped": 4,
        "recent": ["ev30", "me31", "dr31"],
        "deck": "dr",
        "dealt": {"ap": 30, "dr": 30, "me": 31},
        "turn": 3,
    },
    "closeness": [["2027-02-08", 3, 4], ["2027-02-15", 4, 0]],
    "voices": {"abcdEF12": 0, "zyx-_987": 1},
}
"""A household a year in: decks, ratings and two recognised voices (fields added since)."""


def test_a_year_in_round_trips_and_old_items_read_without_the_new_fields() -> None:
    household = codec.decode(A_YEAR_IN)
    assert codec.encode(household) == A_YEAR_IN
    assert household.questions.dealt_in("me") == 31 and household.questions.deck == "dr"
    assert household.closeness.weeks[-1].scores == (4, 0)
    assert household.voices == (("abcdEF12", 0), ("zyx-_987", 1))
    old = codec.decode(EXAMPLE)
    assert (old.questions.deck, old.questions.dealt, old.questions.turn) == (None, (), 0)
    assert old.closeness.weeks == () and old.voices == ()


@pytest.mark.parametrize(
    "broken",
    [
        {"questions": {"deck": "DREAMS", "dealt": {"x": 3, "me": -1, "dr": "9"}, "turn": -2}},
        {"questions": {"dealt": [1, 2], "q": "dream01"}},
        {"closeness": [["monday", 3, 4], ["2027-02-08", 9, True], ["2027-02-15"], "x"]},
        {"closeness": {"2027-02-08": 3}},
        {"voices": {"abcdEF12": 2, "too-long-digest": 0, "abcdEF13": True}},
        {"voices": ["abcdEF12"]},
    ],
)
def test_malformed_new_fields_read_as_their_defaults(broken: dict[str, Any]) -> None:
    household = codec.decode(broken)
    assert household.questions.deck is None and household.questions.dealt == ()
    assert household.questions.current is None
    assert household.voices == ()
    assert all(0 < s <= 5 for week in household.closeness.weeks for s in week.given)
    assert codec.decode(codec.encode(household)) == household
