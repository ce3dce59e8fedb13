"""A conversation a couple wants every night: brief, new each night, with words that work.

Every test lives the evening as a household would (``live=True``: each request arrives
after the last response's audio is over), and measures what is said (words, sentences,
how each open turn ends), not only which keys were spoken.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from skill.codec import decode
from skill.content.catalog import LocaleCatalog
from skill.devtools.conversation import Conversation, Said
from skill.devtools.nlu import Utterances
from skill.domain.clock import Daypart, daypart
from skill.domain.household import Household
from skill.speech.variants import Nightly
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import DEFAULT_ZONE, EVENING, HOUSEHOLD, ConversationFactory

NEW_YORK = ZoneInfo(DEFAULT_ZONE)
MORNING = datetime(2026, 3, 10, 9, 0, tzinfo=NEW_YORK)
NIGHTS = 21
PLAN_NIGHT = 5
"""The night the couple starts the plan: from then on each welcome names the week."""
LONG_ALLOWED = ("check_in.intro", "safety.answer")
"""The very first check-in's instructions and the safety answer may run long."""


@pytest.fixture
def couple(talk: ConversationFactory) -> Conversation:
    return talk(live=True, step=timedelta(seconds=3))


def words(text: str) -> int:
    return len(text.split())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s.strip()]


def last_words(turn: Said) -> str:
    """The last thing a person hears before the mic opens (speech, or the timed audio's)."""
    heard = [line for line in turn.text().splitlines() if line and not line.startswith("[")]
    return heard[-1] if heard else ""


def ask(couple: Conversation, words_said: str, one_shot: str) -> Said:
    """Say it in the session when one is open, else as Alexa would need it said."""
    return couple.say(words_said if couple.in_session else one_shot)


# -- the launch ---------------------------------------------------------------------------


def test_the_first_launch_is_short_and_asks_a_question(couple: Conversation) -> None:
    turn = couple.launch()
    assert turn.keys == ("launch.first",)
    assert words(turn.speech) <= 25 and turn.speech.endswith("?")
    assert turn.reprompt and not turn.ended


def test_a_returning_launch_ends_in_a_short_question(couple: Conversation) -> None:
    couple.launch()
    couple.say("our names are sam and alex")
    couple.advance(days=1)
    assert couple.launch().keys[-1] == "habits.reminder.offer"
    couple.say("no")
    couple.advance(days=1)
    turn = couple.launch()
    assert turn.keys == ("launch.returning", "launch.ask")
    assert sentences(turn.speech)[-1].endswith("?") and words(sentences(turn.speech)[-1]) <= 10
    assert turn.reprompt and not turn.ended


def test_a_check_in_to_continue_is_offered_as_a_question(couple: Conversation) -> None:
    couple.say("ask closer together to start a check-in")
    couple.say("ready", into=timedelta(seconds=1))
    couple.say("stop", into=timedelta(seconds=40))
    couple.advance(minutes=3)
    turn = couple.launch()
    assert turn.keys[-1] == "check_in.welcome_back"
    assert turn.speech.endswith("?") and turn.session["pending"] == "check_in.continue"
    assert "check_in.continue.back" in couple.say("yes").keys


# -- re-entry words that work after the session ends ------------------------------------


def said_after(text: str) -> str:
    """The words a line tells the couple to say: from "say, Alexa, " to the full stop."""
    found = re.search(r"say, (Alexa, [^.?]+)", text)
    assert found, text
    return found.group(1)


def test_tonights_question_ends_by_naming_the_words_that_work_later(
    couple: Conversation, utterances: Utterances
) -> None:
    couple.launch()
    turn = couple.say("tonight's question")
    assert turn.ended
    hint = sentences(turn.speech)[-1]
    assert "Closer Together" in hint and "ask me" not in turn.speech
    understood = utterances.understand(said_after(hint))
    assert understood.invoked or understood.launch
    again = couple.say(said_after(hint))
    assert again.status == 200 and not again.keys[0].startswith("fallback")


@pytest.mark.parametrize("night", range(5))
def test_every_hint_variation_reaches_the_skill(
    en: LocaleCatalog, utterances: Utterances, night: int
) -> None:
    hint = en.texts("questions.hint")[night]
    understood = utterances.understand(said_after(hint))
    assert understood.launch or understood.intent in ("NextQuestionIntent", "TonightQuestionIntent")


def test_no_line_tells_the_couple_to_ask_me(en: LocaleCatalog) -> None:
    for key in en.keys(prefix=""):
        for text in en.texts(key, _params(en, key)):
            assert not re.search(r"\b(ask me|just ask)\b", text, re.I), (key, text)


def _params(en: LocaleCatalog, key: str) -> dict[str, str]:
    names = re.findall(r"{([a-z_]+)}", " ".join(en.variants(key)))
    return dict.fromkeys(names, "x")


def test_a_stopped_check_in_says_how_to_come_back(couple: Conversation) -> None:
    couple.say("ask closer together to start a check-in")
    turn = couple.say("stop")
    assert turn.ended and "Alexa, ask Closer Together to continue our check-in" in turn.speech


def test_mid_audio_commands_carry_the_wake_word(couple: Conversation) -> None:
    couple.say("ask closer together to start a check-in")
    couple.say("ready")
    turn = couple.say("help", into=timedelta(seconds=30))
    assert "Alexa, pause" in turn.text()


# -- freshness ------------------------------------------------------------------------------


def test_the_wording_is_the_same_on_every_device_all_night(talk: ConversationFactory) -> None:
    kitchen = talk(device_id="amzn1.ask.device.kitchen")
    bedroom = talk(device_id="amzn1.ask.device.bedroom")
    kitchen.launch()
    kitchen.say("stop")
    kitchen.advance(days=1)
    bedroom.advance(days=1, minutes=40)
    kitchen_hello, bedroom_hello = kitchen.launch(), bedroom.launch()
    assert kitchen_hello.keys[0] == bedroom_hello.keys[0] == "launch.returning"
    assert sentences(kitchen_hello.speech)[0] == sentences(bedroom_hello.speech)[0]
    kitchen.advance(days=1)
    assert sentences(kitchen.launch().speech)[0] != sentences(kitchen_hello.speech)[0]


def test_a_line_heard_last_night_is_not_heard_tonight(en: LocaleCatalog) -> None:
    for night in range(NIGHTS):
        tonight = Nightly("household", EVENING + timedelta(days=night + 1))
        yesterday = Nightly("household", EVENING + timedelta(days=night))
        for key in ("launch.returning", "goodbye", "questions.hint", "questions.tonight"):
            count = len(en.variants(key))
            assert count >= 5
            assert tonight.index(key, count) != yesterday.index(key, count)


def test_the_night_runs_until_four_in_the_morning() -> None:
    late = Nightly("household", EVENING.replace(hour=23))
    small_hours = Nightly("household", EVENING.replace(hour=3) + timedelta(days=1))
    assert late.index("goodbye", 5) == small_hours.index("goodbye", 5)


def test_the_instructions_shorten_after_the_first_check_in(couple: Conversation) -> None:
    first = couple.say("ask closer together to start a check-in")
    assert first.keys == ("check_in.intro",) and first.speech.endswith("?")
    couple.say("ready")
    couple.say("yes")
    couple.say("yes")
    couple.advance(days=1)
    second = couple.say("ask closer together to start a check-in")
    assert second.keys == ("check_in.intro_short",)
    assert words(second.speech) <= 15 and second.speech.endswith("?")


def test_the_reflection_template_fades_after_a_few_check_ins(couple: Conversation) -> None:
    heard = []
    for _night in range(4):
        couple.say("ask closer together to start a check-in")
        heard.append("what I'm hearing is" in couple.say("ready").text())
        couple.say("yes")
        couple.say("yes")
        couple.advance(days=1)
    assert heard == [True, True, True, False]


# -- names ------------------------------------------------------------------------------------


def test_names_are_invited_once(couple: Conversation) -> None:
    heard = []
    for _night in range(5):
        turn = couple.launch()
        heard.append("launch.names_invite" in turn.keys)
        if heard[-1]:
            assert "I'll use them" in turn.speech and turn.speech.endswith("?")
            saved = couple.say("sam and alex")
            assert saved.keys[0] == "check_in.names.saved" and saved.speech.endswith("?")
        couple.say("stop")
        couple.advance(days=1)
    assert heard.count(True) == 1
    assert couple.say("ask closer together to start a check-in").speech.startswith(("Sam", "Here"))


def test_an_invitation_left_unanswered_is_not_repeated(couple: Conversation) -> None:
    invited = 0
    for _night in range(5):
        invited += "launch.names_invite" in couple.launch().keys
        couple.say("no thanks")
        couple.advance(days=1)
    assert invited == 1


# -- time of day ----------------------------------------------------------------------------


def test_a_morning_check_in_does_not_say_tonight(couple: Conversation) -> None:
    couple.now = MORNING
    turn = couple.say("ask closer together to start a check-in")
    assert "tonight" not in turn.speech.lower() and "today" in turn.speech
    couple.say("ready")
    couple.say("yes")
    done = couple.say("yes")
    assert "tonight" not in done.text().lower()


def test_goodbye_fits_the_time_of_day(couple: Conversation) -> None:
    for night in range(5):
        couple.now = MORNING + timedelta(days=night)
        couple.launch()
        morning = couple.say("stop").speech.lower()
        assert "evening" not in morning and "night" not in morning
        couple.now = EVENING + timedelta(days=night)
        couple.launch()
        evening = couple.say("stop").speech.lower()
        assert "day" not in evening.replace("today", "")


def test_a_decline_at_nine_in_the_evening_wishes_no_good_day(couple: Conversation) -> None:
    for night in range(5):
        couple.now = EVENING + timedelta(days=night)
        couple.say("ask closer together what's today's ritual")
        turn = couple.say("no")
        assert turn.keys[0] == "rituals.declined"
        assert "your day" not in turn.speech


def test_the_parts_of_the_day() -> None:
    at = EVENING.replace
    assert daypart(at(hour=8)) is Daypart.MORNING and daypart(at(hour=13)) is Daypart.AFTERNOON
    assert daypart(at(hour=21)) is Daypart.EVENING and daypart(at(hour=23)) is Daypart.LATE
    assert daypart(at(hour=2)) is Daypart.LATE


# -- counting -----------------------------------------------------------------------------


def test_a_check_in_whose_shares_are_done_counts_without_the_last_confirm(
    couple: Conversation, store: SQLiteHouseholdStore
) -> None:
    couple.say("ask closer together to start a check-in")
    couple.say("ready")
    last = couple.say("yes")
    assert last_words(last).endswith("?") and "check_in.ask.confirm" in last.keys
    assert couple.silence() is None
    assert couple.silence() is not None
    assert stored(store).check_in.count == 1
    assert stored(store).check_in.active is None
    couple.advance(minutes=5)
    assert "check_in.welcome_back" not in couple.launch().keys


def test_a_check_in_stopped_before_the_second_share_does_not_count(
    couple: Conversation, store: SQLiteHouseholdStore
) -> None:
    couple.say("ask closer together to start a check-in")
    couple.say("ready")
    couple.silence()
    couple.silence()
    assert stored(store).check_in.count == 0


def stored(store: SQLiteHouseholdStore) -> Household:
    saved = store.load(HOUSEHOLD)
    assert saved is not None
    return decode(saved.data)


def test_who_answers_first_alternates_by_night(couple: Conversation) -> None:
    couple.say("ask closer together our names are sam and alex")
    first_names = []
    for _night in range(4):
        turn = couple.say("ask closer together for tonight's question")
        first_names.append(_first(turn))
        couple.say("ask closer together for the next question")
        couple.advance(days=1)
    assert first_names == ["Sam", "Alex", "Sam", "Alex"]


def _first(turn: Said) -> str:
    found = re.search(r"\b(Sam|Alex)\b", turn.speech)
    assert found, turn.speech
    return found.group(1)


def test_the_set_introduction_is_said_once(couple: Conversation) -> None:
    first = couple.say("ask closer together for tonight's question")
    assert "questions.intro.set1" in first.keys
    again = couple.say("ask closer together for tonight's question")
    assert "questions.intro.set1" not in again.keys and "questions.same" in again.keys


# -- twenty-one nights -------------------------------------------------------------------


@dataclass
class Night:
    number: int
    question_night: bool
    turns: list[Said] = field(default_factory=list)

    @property
    def sentences(self) -> list[str]:
        return [s for turn in self.turns for s in sentences(turn.speech)]


def check_in_night(couple: Conversation, night: Night) -> None:
    night.turns.append(ask(couple, "start a check in", "ask closer together to start a check-in"))
    for answer in ("ready", "yes", "yes"):
        night.turns.append(couple.say(answer))


def question_night(couple: Conversation, night: Night) -> None:
    if night.number == 2:
        night.turns.append(couple.say("sam and alex"))
    elif night.number == 1:
        night.turns.append(couple.say("no"))
    elif night.number == PLAN_NIGHT:
        night.turns.append(couple.say("start our plan"))
        night.turns.append(couple.say("no"))
    one_shot = "ask closer together for tonight's question"
    night.turns.append(ask(couple, "tonight's question", one_shot))
    if night.number % 3 == 0:
        night.turns.append(couple.say("ask closer together for the next question"))


def live_three_weeks(couple: Conversation) -> list[Night]:
    nights = []
    for number in range(NIGHTS):
        couple.now = EVENING + timedelta(days=number, minutes=7 * (number % 5))
        night = Night(number, question_night=number % 7 != 4)
        night.turns.append(couple.launch())
        if night.question_night:
            question_night(couple, night)
        else:
            check_in_night(couple, night)
        if couple.in_session:
            night.turns.append(couple.say("stop"))
        nights.append(night)
    return nights


def repetition(nights: list[Night]) -> list[float]:
    """For each question night, the share of its sentences heard word for word the night before."""
    shares = []
    for before, night in itertools.pairwise(nights):
        if night.question_night:
            heard = set(before.sentences)
            said = night.sentences
            shares.append(sum(s in heard for s in said) / len(said))
    return shares


def test_three_weeks_of_nights_are_brief_fresh_and_always_end_open_turns_with_a_question(
    couple: Conversation,
) -> None:
    nights = live_three_weeks(couple)
    first = nights[0].turns[0]
    assert words(first.speech) <= 25 and first.speech.endswith("?")
    for night in nights:
        for turn in night.turns:
            assert turn.status == 200
            if not turn.ended:
                assert turn.reprompt, turn.keys
                assert last_words(turn).endswith("?"), (night.number, turn.keys, last_words(turn))
            if not turn.documents and not set(turn.keys) & set(LONG_ALLOWED):
                assert words(turn.speech) <= 60, (night.number, turn.keys, words(turn.speech))
    assert "plan.welcome_week" in nights[PLAN_NIGHT + 1].turns[0].keys
    shares = repetition(nights)
    assert len(shares) >= 15
    assert statistics.median(shares) <= 0.30, shares


# -- who goes first, by name ----------------------------------------------------------------


def test_can_alex_go_first_at_the_set_up(couple: Conversation) -> None:
    couple.say("ask closer together our names are sam and alex")
    couple.say("start a check in")
    turn = couple.say("can alex go first")
    assert "Alex" in sentences(turn.speech)[0] and turn.speech.endswith("?") and not turn.ended
    assert couple.say("ready").timeline[0].startswith("Alex,")


def test_can_alex_go_first_before_a_check_in(couple: Conversation) -> None:
    couple.say("ask closer together our names are sam and alex")
    turn = couple.say("can alex go first")
    assert turn.keys == ("check_in.first.next",) and turn.speech.endswith("?")
    started = couple.say("yes")
    assert started.keys == ("check_in.intro",) and "Alex, you'll go first" in started.speech
    assert couple.say("ready").timeline[0].startswith("Alex,")


def test_go_first_without_names_asks_for_them(couple: Conversation) -> None:
    turn = couple.say("ask closer together if alex can go first")
    assert turn.keys == ("check_in.first.no_names",) and turn.speech.endswith("?")
    assert couple.say("sam and alex").keys[0] == "check_in.names.saved"


def test_a_name_that_is_not_theirs_asks_which_of_them(couple: Conversation) -> None:
    couple.say("ask closer together our names are sam and alex")
    turn = couple.say("can jordan go first")
    assert turn.keys == ("check_in.first.which",) and "Sam" in turn.speech
    assert turn.speech.endswith("?")
