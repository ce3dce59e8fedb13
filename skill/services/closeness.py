"""Progress you can feel: each partner rates the week from one to five, and hears the trend.

The rating is a short conversation: Alexa asks (the recognised speaker, or the first name,
first), takes a bare number, two numbers at once ("three and four"), "skip" or "just me",
stores each rating as it comes and then reads the trend back kindly. The session attribute
``rating`` holds who is being asked while the conversation lasts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from skill.domain import closeness as domain
from skill.domain.closeness import Direction, Trend, WeekRating, week_of
from skill.domain.rituals import Weekday
from skill.domain.voices import partner_named, remember, speaker
from skill.reply import CONTEXT, Ask, Question, Reply
from skill.turn import Turn

FEATURE = "rating"
RATING = "rating"
"""Session attribute: ``{"asking": 0 or 1, "heard": ratings given so far, "solo": bool}``."""
NAMED: Mapping[str, str] = {
    "closeness.ask": "closeness.ask_named",
    "closeness.ask_other": "closeness.ask_other_named",
    "closeness.unclear": "closeness.unclear_named",
    "closeness.ask_solo": "closeness.ask_solo",
}
"""Each question of the rating, and its form that names the partner asked."""
TREND_KEYS: Mapping[Direction, str] = {
    Direction.CLOSER: "closeness.trend.closer",
    Direction.STEADY: "closeness.trend.steady",
    Direction.HARDER: "closeness.trend.harder",
}


@dataclass(frozen=True)
class Asking:
    """Where the rating conversation is: who is asked, how many have answered."""

    partner: int = 0
    heard: int = 0
    solo: bool = False

    @classmethod
    def read(cls, value: Any) -> Asking | None:
        if not isinstance(value, Mapping):
            return None
        partner, heard = value.get("asking"), value.get("heard")
        return cls(
            partner if partner in (0, 1) else 0,
            heard if isinstance(heard, int) and 0 <= heard <= 2 else 0,
            value.get("solo") is True,
        )

    def saved(self) -> dict[str, Any]:
        return {"asking": self.partner, "heard": self.heard, "solo": self.solo}


def in_rating(session: Mapping[str, Any]) -> bool:
    """The session is inside the weekly rating conversation (and has not moved on)."""
    return session.get(CONTEXT) == FEATURE and Asking.read(session.get(RATING)) is not None


def start(turn: Turn) -> Reply:
    """Ask how close each of you felt this week: the recognised speaker first, else the first."""
    speaker = _speaker(turn)
    return _ask(turn, Asking(speaker if speaker is not None else _unrated(turn, 0)))


def answer(turn: Turn, said: str | None, other: str | None) -> Reply:
    """One rating ("three") or two ("three and four"); anything else is asked again."""
    scores = [domain.score(value) for value in (said, other) if value is not None]
    if not scores:
        return start(turn)
    asking = Asking.read(turn.session.get(RATING)) or Asking(_unrated(turn, 0))
    if None in scores:
        return _ask(turn, asking, key="closeness.unclear")
    speaker = _speaker(turn)
    partner = speaker if speaker is not None else asking.partner
    record, week = turn.household.closeness, _week(turn)
    for offset, value in enumerate(scores):
        if value is not None:
            record = domain.rate(record, week, (partner + offset) % 2, value)
    turn.update(replace(turn.household, closeness=record))
    heard = asking.heard + len(scores)
    rated = record.week(week)
    if heard >= 2 or asking.solo or (rated is not None and rated.complete):
        return _done(turn, "closeness.thanks")
    return _ask(turn, Asking(1 - partner, heard), key="closeness.ask_other")


def skip(turn: Turn) -> Reply:
    """No rating, or no more ratings, this time."""
    asking = Asking.read(turn.session.get(RATING)) or Asking()
    if asking.heard == 0:
        return Reply.tell("closeness.skipped").with_session(**{CONTEXT: None, RATING: None})
    return _done(turn, "closeness.one_only")


def just_me(turn: Turn) -> Reply:
    """Only one of you is rating: take one number, or finish if it is already in."""
    asking = Asking.read(turn.session.get(RATING)) or Asking()
    if asking.heard:
        return _done(turn, "closeness.one_only")
    return _ask(turn, replace(asking, solo=True), key="closeness.ask_solo")


def introduced(turn: Turn, spoken: str | None) -> Reply:
    """ "I'm Sam" in the middle of the rating: Sam is asked (and Sam's voice kept, if heard)."""
    names = turn.household.names
    partner = partner_named(names, spoken)
    asking = Asking.read(turn.session.get(RATING)) or Asking()
    if partner is None:
        return _ask(turn, asking)
    if turn.person is not None:
        voices = remember(turn.household.voices, turn.person, partner)
        if voices != turn.household.voices:
            turn.update(replace(turn.household, voices=voices))
    return _ask(turn, replace(asking, partner=partner))


def declined(turn: Turn) -> Reply:
    """A no to rating the week: not offered again this week."""
    record = replace(turn.household.closeness, declined=_week(turn))
    turn.update(replace(turn.household, closeness=record))
    return Reply.tell("closeness.declined")


def how_are_we_doing(turn: Turn) -> Reply:
    """Check-ins done, questions shared, and the closeness trend if you have rated."""
    household = turn.household
    reply = Reply.tell(
        "closeness.summary",
        questions=household.questions.answered,
        check_ins=household.check_in.count,
    )
    return _trend(turn, reply, invite=True)


def welcome_note(turn: Turn) -> Reply | None:
    """On the weekly check-in day, until this week is rated: an offer to rate it."""
    day = turn.household.plan.check_in_day
    if day is None or Weekday.of(turn.clock.night()) is not day:
        return None
    record, week = turn.household.closeness, _week(turn)
    rated = record.week(week)
    if (rated is not None and rated.complete) or record.declined == week:
        return None
    return Reply.ask("closeness.offer", "closeness.offer_reprompt", pending=Ask.RATE_WEEK)


# -- speaking -------------------------------------------------------------------


def _ask(turn: Turn, asking: Asking, key: str = "closeness.ask") -> Reply:
    names = turn.household.names
    if len(names) >= 2:
        reply = Reply.ask(
            NAMED[key], "closeness.ask_reprompt", asked=Question.RATING, name=names[asking.partner]
        )
    else:
        reply = Reply.ask(key, "closeness.ask_reprompt", asked=Question.RATING)
    return reply.with_session(**{CONTEXT: FEATURE, RATING: asking.saved()})


def _done(turn: Turn, key: str) -> Reply:
    reply = Reply.tell(key).with_session(**{CONTEXT: None, RATING: None})
    return _trend(turn, reply, invite=False)


def _trend(turn: Turn, reply: Reply, *, invite: bool) -> Reply:
    found = domain.trend(turn.household.closeness)
    if found is None:
        return reply.then("closeness.invite") if invite else reply
    now = _pair(turn, found.latest)
    if found.earlier is None or found.direction is Direction.FIRST:
        return reply.then("closeness.trend.first", now=now)
    then = _pair(turn, found.earlier)
    reply = reply.then(TREND_KEYS[found.direction], when=_when(turn, found), then=then, now=now)
    if found.small_win and found.direction is not Direction.CLOSER:
        reply = reply.then("closeness.small_win")
    return reply


def _pair(turn: Turn, rated: WeekRating) -> str:
    """One week's ratings as a clause: "you both said 3", "Sam said 2 and Alex said 4"."""
    names, (a, b) = turn.household.names, rated.scores
    plain = turn.catalog.plain
    if len(names) >= 2 and a and b:
        return plain(
            "closeness.pair.named", {"first": names[0], "a": a, "second": names[1], "b": b}
        )
    if len(names) >= 2:
        return plain("closeness.pair.one_named", {"name": names[0 if a else 1], "a": a or b})
    if a and b:
        key = "closeness.pair.both" if a == b else "closeness.pair.two"
        return plain(key, {"a": min(a, b), "b": max(a, b)})
    return plain("closeness.pair.one", {"a": a or b})


def _when(turn: Turn, found: Trend) -> str:
    if found.weeks_apart == 1:
        return turn.catalog.plain("closeness.when.last_week")
    return turn.catalog.plain("closeness.when.weeks_ago", {"weeks": found.weeks_apart})


def _week(turn: Turn) -> date:
    return week_of(turn.clock.night())


def _speaker(turn: Turn) -> int | None:
    household = turn.household
    return speaker(household.names, household.voices, turn.person)


def _unrated(turn: Turn, fallback: int) -> int:
    """The partner who has not rated this week yet (the first, if neither or both have)."""
    rated = turn.household.closeness.week(_week(turn))
    if rated is not None and rated.scores[0] and not rated.scores[1]:
        return 1
    return fallback
