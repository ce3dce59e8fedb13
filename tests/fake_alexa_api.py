"""The local stand-in for Alexa's APIs (Settings, Reminders, Timers) lives with the dev
tools, so ``closer chat --fake-alexa-api`` can start it too; the tests import it from here."""

from __future__ import annotations

from skill.devtools.fake_alexa_api import ACCESS_TOKEN, Call, FakeAlexaApi, fake_alexa_api

__all__ = ["ACCESS_TOKEN", "Call", "FakeAlexaApi", "fake_alexa_api"]
