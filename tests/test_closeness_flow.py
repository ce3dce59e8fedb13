"""Rating the week and knowing each partner by voice, through the real endpoint."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from skill.codec import decode_closeness, encode_closeness
from skill.devtools.conversation import Conversation, Said
from skill.domain.closeness import Closeness, Direction, rate, score, trend, week_of
from skill.domain.voices import DIGEST_LENGTH, person_digest
from skill.envelope import read_request
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import EVENING, HOUSEHOLD, ConversationFactory

RATE = "ask closer together to let's rate our week"
SAM = "amzn1.ask.person.sam-voice-profile"
ALEX = "amzn1.ask.person.alex-voice-profile"
MAX_WORDS = 60


def stored(store: SQLiteHouseholdStore) -> dict[str, Any]:
    found = store.load(HOUSEHOLD)
    assert found is not None
    return dict(found.data)


def this_week(store: SQLiteHouseholdStore) -> list[int]:
    weeks = stored(store).get("closeness", [])
    monday = week_of(EVENING.date()).isoformat()
    return next((w[1:] for w in weeks if w[0] == monday), [0, 0])


def short(turn: Said) -> Said:
    assert len(turn.speech.split()) <= MAX_WORDS, turn.speech
    if not turn.ended:
        assert turn.reprompt, turn.keys
    return turn


def named(alexa: Conversation) -> None:
    alexa.say("ask closer together to remember our names are Sam and Robin")


# -- the rating conversation -----------------------------------------------------------


def test_two_numbers_at_once_rate_both_and_read_back_a_first_rating(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    ask = short(alexa.say(RATE))
    assert ask.keys == ("closeness.ask",) and not ask.ended
    done = short(alexa.say("three and four"))
    assert done.keys == ("closeness.thanks", "closeness.trend.first") and done.ended
    assert "3 and 4" in done.speech
    assert this_week(store) == [3, 4]


def test_one_at_a_time_and_by_name(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    named(alexa)
    ask = short(alexa.say(RATE))
    assert ask.keys == ("closeness.ask_named",) and ask.speech.startswith("Sam")
    other = short(alexa.say("three"))
    assert other.keys == ("closeness.ask_other_named",) and "Robin" in other.speech
    done = short(alexa.say("a five"))
    assert done.keys[0] == "closeness.thanks" and "Sam said 3 and Robin said 5" in done.speech
    assert this_week(store) == [3, 5]


@pytest.mark.parametrize("unclear", ["seven", "zero", "twelve"])
def test_a_number_outside_one_to_five_is_asked_again_kindly(
    alexa: Conversation, store: SQLiteHouseholdStore, unclear: str
) -> None:
    alexa.say(RATE)
    again = short(alexa.say(unclear))
    assert again.keys == ("closeness.unclear",) and not again.ended
    assert store.load(HOUSEHOLD) is None
    assert short(alexa.say("two")).keys == ("closeness.ask_other",)


def test_a_number_alexa_could_not_make_out_is_asked_again(alexa: Conversation) -> None:
    alexa.say(RATE)
    assert alexa.intent("RateWeekIntent", rating="?").keys == ("closeness.unclear",)


def test_skip_before_any_rating_stores_nothing(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.launch()
    alexa.say("let's rate our week")
    turn = short(alexa.say("skip"))
    assert turn.keys == ("closeness.skipped",) and turn.ended
    assert "closeness" not in stored(store)


def test_one_partner_only_by_skip_or_just_me(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say(RATE)
    alexa.say("four")
    done = short(alexa.say("just me"))
    assert done.keys == ("closeness.one_only", "closeness.trend.first")
    assert "one of you said 4" in done.speech and this_week(store) == [4, 0]
    alexa.advance(days=7)
    alexa.say(RATE)
    alexa.say("two")
    assert alexa.say("skip").keys[0] == "closeness.one_only"


def test_just_me_first_takes_one_number(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    alexa.say(RATE)
    assert short(alexa.say("just me")).keys == ("closeness.ask_solo",)
    assert alexa.say("three").keys[0] == "closeness.thanks"
    assert this_week(store) == [3, 0]


def test_the_other_partner_can_add_theirs_later_that_week(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say(RATE)
    alexa.say("two")
    alexa.say("just me")
    alexa.advance(days=1)
    assert alexa.say(RATE).keys == ("closeness.ask",)
    assert alexa.say("four").keys[0] == "closeness.thanks"
    assert this_week(store) == [2, 4]


def test_im_sam_in_the_middle_asks_sam(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    named(alexa)
    alexa.say(RATE)
    turn = short(alexa.say("I'm Robin"))
    assert turn.keys == ("closeness.ask_named",) and turn.speech.startswith("Robin")
    alexa.say("five")
    assert this_week(store) == [0, 5]


def test_help_and_fallback_fit_the_rating(alexa: Conversation) -> None:
    alexa.say(RATE)
    assert short(alexa.say("help")).keys == ("help.rating",)
    assert short(alexa.say("the weather in paris")).keys[0] == "fallback.again"
    assert alexa.say("three and three").keys[0] == "closeness.thanks"


def test_the_offer_comes_on_the_check_in_day_until_the_week_is_rated(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say("ask closer together to set our weekly check-in to tuesdays")
    offer = short(alexa.launch())
    assert offer.keys[-1] == "closeness.offer" and not offer.ended
    assert short(alexa.say("yes")).keys == ("closeness.ask",)
    alexa.say("four and four")
    assert "closeness.offer" not in alexa.launch().keys
    alexa.advance(days=1)
    assert "closeness.offer" not in alexa.launch().keys
    alexa.advance(days=6)
    assert alexa.launch().keys[-1] == "closeness.offer"
    assert alexa.say("no").keys == ("closeness.declined",)
    alexa.advance(hours=1)
    assert "closeness.offer" not in alexa.launch().keys, "a no holds for the week"


# -- eight weeks of trend ---------------------------------------------------------------


def test_eight_weeks_are_read_back_from_the_earliest_kept(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    scores = [(2, 2), (2, 3), (3, 3), (3, 2), (4, 3), (3, 3), (2, 3), (3, 4), (4, 4)]
    for first, second in scores:
        alexa.say(RATE)
        turn = short(alexa.say(f"{first} and {second}"))
        alexa.advance(days=7)
    weeks = stored(store)["closeness"]
    assert len(weeks) == 8 and [w[1:] for w in weeks] == [list(s) for s in scores[1:]]
    assert turn.keys == ("closeness.thanks", "closeness.trend.closer")
    assert "7 weeks ago, you said 2 and 3. This week, you both said 4" in turn.speech
    how = short(alexa.say("ask closer together how are we doing"))
    assert how.keys == ("closeness.summary", "closeness.trend.closer")


def test_a_harder_week_is_met_kindly_and_a_small_win_is_named(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    for pair in ("four and four", "two and three", "three and three"):
        alexa.say(RATE)
        turn = alexa.say(pair)
        alexa.advance(days=7)
    assert turn.keys == ("closeness.thanks", "closeness.trend.harder", "closeness.small_win")
    assert "2 weeks ago, you both said 4" in turn.speech
    for word in ("should", "must", "failed", "bad"):
        assert word not in turn.speech.lower()


def test_how_are_we_doing_before_any_rating_invites_one(alexa: Conversation) -> None:
    alexa.say("ask closer together for tonight's question")
    alexa.advance(days=1)
    alexa.say("ask closer together for tonight's question")
    turn = short(alexa.say("ask closer together how are we doing"))
    assert turn.keys == ("closeness.summary", "closeness.invite")
    assert "Questions talked through: 1" in turn.speech
    assert "Check-ins done together: 0" in turn.speech


def test_the_trend_in_the_domain() -> None:
    record = Closeness()
    monday = date(2026, 3, 2)
    assert trend(record) is None
    for week, pair in enumerate([(2, 2), (2, 2), (3, 4)]):
        for partner, value in enumerate(pair):
            record = rate(record, monday + timedelta(weeks=week), partner, value)
    found = trend(record)
    assert found is not None
    assert (found.direction, found.weeks_apart, found.small_win) == (Direction.CLOSER, 2, True)
    assert decode_closeness(encode_closeness(record)) == record
    assert [score(s) for s in ("3", "five", "0", "6", "?", None)] == [3, 5, None, None, None, None]


# -- voices ---------------------------------------------------------------------------------


def test_a_recognised_voice_is_kept_as_a_digest_and_greeted_by_name(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    named(alexa)
    alexa.person_id = SAM
    known = short(alexa.say("ask closer together this is Sam"))
    assert known.keys == ("voices.known",)
    voices = stored(store)["voices"]
    assert voices == {person_digest(SAM): 0} and len(next(iter(voices))) == DIGEST_LENGTH
    assert SAM not in str(stored(store))
    hello = alexa.launch()
    assert hello.keys[0] == "voices.hello" and hello.speech.startswith("Hi, Sam.")
    alexa.person_id = ALEX
    alexa.say("ask closer together this is Robin")
    assert stored(store)["voices"] == {person_digest(SAM): 0, person_digest(ALEX): 1}


def test_each_recognised_partner_rates_for_themselves(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    named(alexa)
    for person, name in ((SAM, "Sam"), (ALEX, "Robin")):
        alexa.person_id = person
        alexa.say(f"ask closer together this is {name}")
    alexa.person_id = ALEX
    ask = alexa.say(RATE)
    assert ask.speech.startswith("Robin")
    other = alexa.say("two")
    assert "Sam" in other.speech
    alexa.person_id = SAM
    alexa.say("five")
    assert this_week(store) == [5, 2]


def test_an_unknown_voice_is_not_greeted_and_without_profiles_all_works(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    named(alexa)
    alexa.person_id = "amzn1.ask.person.a-visitor"
    assert "voices.hello" not in alexa.launch().keys
    alexa.say("stop")
    alexa.person_id = None
    assert "voices.hello" not in alexa.launch().keys
    turn = short(alexa.say("this is Sam"))
    assert turn.keys == ("voices.no_profile",) and "voices" not in stored(store)
    alexa.person_id = SAM
    who = short(alexa.say("ask closer together this is Jo"))
    assert who.keys == ("voices.who",) and not who.ended
    assert alexa.say("I'm Sam").keys == ("voices.known",)


def test_without_names_a_voice_cannot_be_matched(alexa: Conversation) -> None:
    alexa.person_id = SAM
    assert alexa.say("ask closer together this is Sam").keys == ("voices.names_first",)


def test_the_envelope_carries_only_a_digest_of_the_person_id(alexa: Conversation) -> None:
    alexa.person_id = SAM
    envelope = alexa.envelope({"type": "LaunchRequest"})
    assert read_request(envelope).person == person_digest(SAM)
    envelope["context"]["System"]["person"] = {"personId": 7}
    assert read_request(envelope).person is None
    del envelope["context"]["System"]["person"]
    assert read_request(envelope).person is None


# -- forget us -----------------------------------------------------------------------------


def test_forget_us_deletes_ratings_voices_and_decks(
    talk: ConversationFactory, store: SQLiteHouseholdStore
) -> None:
    alexa = talk()
    named(alexa)
    alexa.person_id = SAM
    alexa.say("ask closer together this is Sam")
    alexa.say(RATE)
    alexa.say("three and four")
    alexa.say("ask closer together for the dreams deck")
    data = stored(store)
    assert {"closeness", "voices"} <= set(data) and data["questions"]["deck"] == "dr"
    alexa.say("ask closer together to forget us")
    alexa.say("yes")
    assert store.load(HOUSEHOLD) is None
    assert "voices.hello" not in alexa.launch().keys


def test_new_names_keep_each_voice_with_its_name(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    named(alexa)
    alexa.person_id = SAM
    alexa.say("ask closer together this is Sam")
    alexa.say("ask closer together to remember our names are Robin and Sam")
    assert stored(store)["voices"] == {person_digest(SAM): 1}
    alexa.say("ask closer together to remember our names are Jo and Kit")
    assert "voices" not in stored(store)
