"""What a turn says, by key: the words themselves live in content/<locale>/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from skill.domain.timeline import Timeline


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
    pending: str | None = None
    """A yes/no question the household was just asked, resolved by the Yes/No handlers."""
    session: Mapping[str, Any] = field(default_factory=dict)
    """Session attribute updates; a value of None removes the attribute."""
    end_session: bool | None = True
    silent: bool = False
    """No speech at all (e.g. the answer to SessionEndedRequest)."""

    @classmethod
    def tell(cls, key: str, **params: Any) -> Reply:
        """Say something and end the session."""
        return cls(speech=(Say(key, params),), end_session=True)

    @classmethod
    def ask(cls, key: str, reprompt: str, *, pending: str | None = None, **params: Any) -> Reply:
        """Say something, keep the session open and reprompt with another key."""
        return cls(
            speech=(Say(key, params),),
            reprompt=(Say(reprompt, params),),
            pending=pending,
            end_session=False,
        )

    @classmethod
    def nothing(cls) -> Reply:
        return cls(silent=True, end_session=None)

    def then(self, key: str, **params: Any) -> Reply:
        """Append a line to the speech."""
        return replace(self, speech=(*self.speech, Say(key, params)))

    def first(self, key: str, **params: Any) -> Reply:
        """Prepend a line to the speech."""
        return replace(self, speech=(Say(key, params), *self.speech))

    def keep_open(self, reprompt: str, *, pending: str | None = None, **params: Any) -> Reply:
        return replace(self, reprompt=(Say(reprompt, params),), end_session=False, pending=pending)

    def with_card(self, title: str, body: str, **params: Any) -> Reply:
        return replace(self, card=Card(Say(title, params), Say(body, params)))

    def with_session(self, **updates: Any) -> Reply:
        return replace(self, session={**self.session, **updates})

    @property
    def keys(self) -> tuple[str, ...]:
        """Content keys in the order they are heard: speech, then any timed audio's cues."""
        cues = self.audio.cue_keys if self.audio is not None else ()
        return (*(s.key for s in self.speech), *cues)
