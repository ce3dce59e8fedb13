"""What a turn says, by key: the words themselves live in content/<locale>/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self

from skill.domain.timeline import Timeline

if TYPE_CHECKING:
    from skill.speech.screens import Screen

PENDING = "pending"
"""Session attribute: the yes/no question the household was just asked (an ``Ask`` value)."""
REPEAT = "repeat"
"""Session attribute: the last reply's keys and parameters, to say it again."""
CONTEXT = "context"
"""Session attribute naming the flow the household is in, so help and fallback can fit it."""
ASKED = "asked"
"""Session attribute: the open question the household was just asked (a ``Question`` value),
so a bare answer ("Sunday", "three") is taken as the answer to it."""


class SessionValue(StrEnum):
    """A value kept in a session attribute, read back tolerantly."""

    @classmethod
    def read(cls, value: Any) -> Self | None:
        """The member named by a session value, or None (unknown values are ignored)."""
        try:
            return cls(value)
        except ValueError:
            return None


class Ask(SessionValue):
    """Every yes/no question the skill asks. The value is kept in the session while the
    answer is awaited; the routing layer's follow-up table says what yes and no lead to."""

    START_PLAN = "plan.start"
    PLAN_PRACTICES = "plan.practices"
    RESTART_PLAN = "plan.restart"
    GO_BACK = "plan.go_back"
    WEEKLY_RITUALS = "plan.weekly"
    MORNING_CHECK_IN = "rituals.morning"
    TONIGHTS_QUESTION = "rituals.question"
    START_QUESTIONS_OVER = "questions.start_over"
    FORGET = "privacy.forget"
    RATE_WEEK = "closeness.rate"
    REMINDER_OFFER = "habits.reminder_offer"
    APPRECIATION_ROUND = "habits.appreciation_round"
    NEW_CAPSULE = "habits.new_capsule"
    BACK_TO_CHECK_IN = "check_in.back"
    LEAVE_FOR_QUESTION = "check_in.leave_for_question"
    ANOTHER_QUESTION = "questions.another"
    CONTINUE_CHECK_IN = "check_in.continue"
    START_CHECK_IN = "check_in.start"


class Question(SessionValue):
    """Every open question the skill asks, answered in a word or two ("Sunday", "three",
    "repair attempts", "Sam and Alex"). The value is kept in the session for one turn."""

    WHICH_DAY = "which_day"
    HOW_MANY_MINUTES = "how_many_minutes"
    WHICH_TOPIC = "which_topic"
    NAMES = "names"
    WHICH_DECK = "which_deck"
    RATING = "rating"
    WHO_IS_THIS = "who_is_this"


@dataclass(frozen=True)
class Say:
    """One keyed line from the catalog with its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Card:
    """A card in the Alexa app: title and body are catalog keys."""

    title: Say
    body: Say


@dataclass(frozen=True)
class Reply:
    """The outcome of a turn, before it is put into words.

    A reply with a reprompt keeps the session open; one without ends it, unless
    ``end_session`` says otherwise (None lets Alexa decide, as for
    SessionEndedRequest answers).
    """

    speech: tuple[Say, ...] = ()
    reprompt: tuple[Say, ...] = ()
    card: Card | None = None
    audio: Timeline | None = None
    pending: Ask | None = None
    """A yes/no question the household was just asked."""
    asked: Question | None = None
    """An open question the household was just asked (its short answer is expected)."""
    session: Mapping[str, Any] = field(default_factory=dict)
    """Session attribute updates; a value of None removes the attribute."""
    end_session: bool | None = True
    silent: bool = False
    """No speech at all (e.g. the answer to SessionEndedRequest)."""
    forget: bool = False
    """Delete everything stored for the household (instead of saving it)."""
    screen: Screen | None = None
    """What an Echo Show shows alongside the speech (sent only to devices with APL)."""
    permission: str | None = None
    """A permission scope to ask for by voice (Alexa asks; the answer comes back as a
    Connections.Response request in the same session)."""
    permission_card: str | None = None
    """A permission scope to ask for with a consent card in the Alexa app."""

    @classmethod
    def tell(cls, key: str, **params: Any) -> Reply:
        """Say something and end the session."""
        return cls(speech=(Say(key, params),), end_session=True)

    @classmethod
    def ask(
        cls,
        key: str,
        reprompt: str,
        *,
        pending: Ask | None = None,
        asked: Question | None = None,
        **params: Any,
    ) -> Reply:
        """Say something, keep the session open and reprompt with another key."""
        return cls(
            speech=(Say(key, params),),
            reprompt=(Say(reprompt, params),),
            pending=pending,
            asked=asked,
            end_session=False,
        )

    @classmethod
    def ask_permission(cls, key: str, scope: str, **params: Any) -> Reply:
        """Say something, then hand over to Alexa to ask for ``scope`` by voice."""
        return cls(speech=(Say(key, params),), permission=scope, end_session=None)

    @classmethod
    def nothing(cls, *, forget: bool = False) -> Reply:
        return cls(silent=True, end_session=None, forget=forget)

    def then(self, key: str, **params: Any) -> Reply:
        """Append a line to the speech."""
        return replace(self, speech=(*self.speech, Say(key, params)))

    def first(self, key: str, **params: Any) -> Reply:
        """Prepend a line to the speech."""
        return replace(self, speech=(Say(key, params), *self.speech))

    def with_card(self, title: str, body: str, **params: Any) -> Reply:
        return replace(self, card=Card(Say(title, params), Say(body, params)))

    def with_permission_card(self, scope: str) -> Reply:
        return replace(self, permission_card=scope)

    def with_session(self, **updates: Any) -> Reply:
        return replace(self, session={**self.session, **updates})

    @property
    def keys(self) -> tuple[str, ...]:
        """Content keys in the order they are heard: speech, then any timed audio's cues."""
        cues = self.audio.cue_keys if self.audio is not None else ()
        return (*(s.key for s in self.speech), *cues)
