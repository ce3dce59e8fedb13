"""`closer chat` and `closer say`: the skill in the terminal, in process, as Alexa would ask it.

The clock is a household's: a device opens its mic only once a response's audio is
over, so each request arrives a short pause after that (``--fixed-clock`` sends each
one 5 s after the last instead, as most tests do). Two kinds of line say otherwise:
``@+40s pause`` interrupts the last response 40 s after it began, as "Alexa, pause"
would, and ``(silence)`` lets the open mic go unanswered (Alexa plays the reprompt;
a second silence ends the session). ``chat --real-time`` plays each response at its
own pace instead of fast-forwarding.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from skill.app import create_app
from skill.devtools.audio import Part, clock_text, length_ms
from skill.devtools.conversation import MIC_WINDOW, Conversation, Said
from skill.devtools.fake_alexa_api import FakeAlexaApi, fake_alexa_api
from skill.devtools.models import load_model
from skill.devtools.nlu import Utterances
from skill.domain.clock import system_now, zone_or_none
from skill.settings import Settings, SettingsError

PAUSE = timedelta(seconds=2)
"""How long a person takes to answer once the mic opens."""
FIXED_STEP = timedelta(seconds=5)
SILENCE = "(silence)"
MOMENT = re.compile(r"@\+(?:(\d+)m)?(?:(\d+)s)?\s+(\S.*)")
INDENT = " " * 7
NO_API = "http://127.0.0.1:9"
"""Without ``--fake-alexa-api``, Alexa's APIs are a closed local port: nothing leaves here."""
WIDTH = 100


@dataclass(frozen=True)
class Line:
    """One typed line: the words (none for a silence) and, for a barge-in, when."""

    typed: str
    words: str
    into: timedelta | None = None


def parse(line: str) -> Line:
    """``ready``, ``@+40s pause`` (40 s into the last response) or ``(silence)``."""
    text = line.strip()
    if not text:
        raise SettingsError(f"an empty line says nothing: write {SILENCE} for that")
    if text.lower() == SILENCE:
        return Line(text, "")
    if not text.startswith("@"):
        return Line(text, text)
    found = MOMENT.fullmatch(text)
    if not found or not (found.group(1) or found.group(2)):
        raise SettingsError(f"{text!r}: write the moment as @+40s or @+2m30s, then the words")
    minutes, seconds = (int(value or 0) for value in found.group(1, 2))
    return Line(text, found.group(3), timedelta(minutes=minutes, seconds=seconds))


def _ms(ms: int) -> timedelta:
    return timedelta(milliseconds=ms)


@dataclass
class RealTime:
    """Plays audio at its own pace, keeping the conversation's clock with the wall clock."""

    start: datetime
    sleep: Callable[[float], None] = time.sleep
    wall: Callable[[], float] = time.monotonic
    mark: tuple[float, datetime] = field(init=False)
    """A wall-clock reading and the simulated instant it stands for."""

    def __post_init__(self) -> None:
        self.mark = (self.wall(), self.start)

    def now(self) -> datetime:
        wall, at = self.mark
        return at + timedelta(seconds=self.wall() - wall)

    def wait_until(self, at: datetime) -> bool:
        """Sleep until the simulated clock reads ``at``; False when Ctrl-C skipped there."""
        try:
            seconds = (at - self.now()).total_seconds()
            if seconds > 0:
                self.sleep(seconds)
            return True
        except KeyboardInterrupt:
            self.mark = (self.wall(), at)
            return False

    def play(self, parts: list[Part], began: datetime, show: Callable[[Part], None]) -> None:
        """Show each part as it starts; Ctrl-C shows the rest at once and skips to the end."""
        self.mark = (self.wall(), began)
        end = began + _ms(length_ms(parts))
        playing = True
        for moment, part in [(began + _ms(part.at_ms), part) for part in parts] + [(end, None)]:
            if playing and not self.wait_until(moment):
                playing = False
                print(INDENT + "(Ctrl-C: skipping to the end of this response)")
            if part is not None:
                show(part)
        self.mark = (self.wall(), max(self.now(), end))


@dataclass
class Terminal:
    """Sends typed lines to the conversation and prints what a household would hear."""

    conversation: Conversation
    zone: ZoneInfo
    keys: bool = False
    real_time: RealTime | None = None
    api: FakeAlexaApi | None = None
    """The fake Alexa API the skill calls (``--fake-alexa-api``), whose calls are shown."""
    echo: bool = True
    """Print each line as ``you>   ...`` (``closer chat`` leaves that to the person typing)."""

    def run(self, line: Line) -> None:
        if self.echo:
            print(f"you>   {line.typed}")
        if not line.words:
            self._silence()
            return
        talk = self.conversation
        if line.into is not None:
            print(INDENT + self._interrupting(line.words, line.into))
        elif self.real_time:
            talk.now = max(talk.now, self.real_time.now())
        said = talk.say(line.words, line.into)
        self.show(said, talk.began or talk.now)

    def _interrupting(self, words: str, into: timedelta) -> str:
        talk = self.conversation
        if talk.began is None or talk.mic_opens is None:
            raise SettingsError(f"{words!r}: @+ interrupts the last response, and none has played")
        heard = talk.mic_opens - talk.began
        moment = clock_text(into // _ms(1))
        if into < heard:
            length = clock_text(heard // _ms(1))
            return f'({moment} into {length} of audio, as "Alexa, {words}" would)'
        return f"({moment} after the last response began; its audio was over)"

    def _silence(self) -> None:
        talk = self.conversation
        gave_up = talk.gives_up
        if not talk.in_session or talk.last is None or gave_up is None:
            print(INDENT + "(no session is open: nothing happens)")
            return
        if self.real_time:
            self.real_time.wait_until(gave_up)
        again, reprompt = talk.reprompted, talk.last.reprompt_parts
        ended = talk.silence()
        if ended is None:
            print(INDENT + f"(nothing heard for {MIC_WINDOW.seconds} s, so Alexa asks again)")
            self._play(reprompt, gave_up)
            print(INDENT + self._after(length_ms(reprompt), ended=False))
            return
        why = "again" if again else f"for {MIC_WINDOW.seconds} s, and there is no reprompt"
        print(INDENT + f"(nothing heard {why}: Alexa closes the session and sends")
        print(INDENT + " a SessionEndedRequest, reason EXCEEDED_MAX_REPROMPTS)")
        self._keys(ended)
        print(INDENT + "(session ended)")

    def show(self, said: Said, began: datetime) -> None:
        """A response as it plays, then what happens once it is over."""
        if said.status != 200:
            print(f"alexa> (HTTP {said.status}) {said.body.get('error', '')}")
            return
        self._play([part for part in said.parts if part.text] or [Part("(no speech)", 0, 0)], began)
        self._keys(said)
        if said.consent_card:
            asked = ", ".join(said.consent_card)
            print(INDENT + f"card: a permission request in the Alexa app: {asked}")
        elif said.card:
            print(INDENT + f"card: {said.card.get('title')}: {said.card.get('content')}")
        self._api_calls()
        if said.permission_request:
            scope = said.permission_request[0]
            print(f"alexa> (Alexa asks for permission: {scope}. Say 'I approve' or 'no'.)")
            print(INDENT + "(listening...)")
            return
        print(INDENT + self._after(said.audio_ms, said.ended))

    def _api_calls(self) -> None:
        """The calls the skill made to the fake Alexa API during this turn."""
        if self.api is None:
            return
        with self.api.lock:
            calls, self.api.alerts[:] = list(self.api.alerts), []
        for call in calls:
            print(INDENT + f"[Alexa API] {call.method} {call.path}")

    def _play(self, parts: list[Part], began: datetime) -> None:
        shown: list[Part] = []

        def show(part: Part) -> None:
            first = "alexa> " if not shown else INDENT
            print(textwrap.fill(part.text, WIDTH, initial_indent=first, subsequent_indent=INDENT))
            shown.append(part)

        if self.real_time:
            self.real_time.play(parts, began, show)
        else:
            for part in parts:
                show(part)

    def _keys(self, said: Said) -> None:
        if self.keys and said.keys:
            print(INDENT + "keys: " + ", ".join(said.keys))

    def _after(self, ms: int, ended: bool) -> str:
        """What follows the audio: the session ends, or the mic opens (and when)."""
        talk = self.conversation
        length = f"{clock_text(ms)} of audio"
        if ended:
            return f"({length}) (session ended)"
        if not talk.live or talk.mic_opens is None:
            step = talk.step.seconds
            return f"({length}; fixed clock: the next request comes {step} s later) (listening...)"
        opens = talk.mic_opens.astimezone(self.zone)
        return f"({length}, then the mic opens at {opens:%H:%M:%S}) (listening...)"


def talk(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    lines = [parse(utterance) for utterance in getattr(args, "utterances", None) or ()]
    if args.tz and zone_or_none(args.tz) is None:
        raise SettingsError(f"--tz {args.tz!r} is not a time zone")
    with _environment(args.fresh) as env:
        settings = Settings.from_env(env)
        zone = ZoneInfo(args.tz or settings.default_timezone)
        app = create_app({"SETTINGS": settings, "TIMEZONE_OVERRIDE": str(zone), "TESTING": True})
        stack = ExitStack()
        try:
            api = stack.enter_context(fake_alexa_api()) if args.fake_alexa_api else None
            terminal = _terminal(args, app.test_client(), zone, api)
            if args.command == "say":
                for line in lines:
                    terminal.run(line)
                return 0
            return _chat(terminal, settings, args.fresh)
        finally:
            stack.close()
            app.extensions["closer"].close()


@contextmanager
def _environment(fresh: bool) -> Iterator[dict[str, str]]:
    """The settings' environment: verification off, and with --fresh a new, empty store."""
    env = dict(os.environ)
    env["CLOSER_VERIFY"] = "off"
    if not fresh:
        yield env
        return
    with tempfile.TemporaryDirectory(prefix="closer-fresh-") as folder:
        env["CLOSER_STORE"] = "sqlite"
        env["CLOSER_SQLITE_PATH"] = str(Path(folder) / "households.db")
        yield env


def _terminal(
    args: argparse.Namespace, client: Any, zone: ZoneInfo, api: FakeAlexaApi | None
) -> Terminal:
    def post(envelope: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        answer = client.post("/alexa", json=envelope)
        return answer.status_code, answer.get_json(silent=True) or {}, dict(answer.headers)

    real_time = getattr(args, "real_time", False)
    conversation = Conversation(
        post,
        Utterances(load_model(args.locale)),
        user_id=args.user,
        device_id=args.device,
        locale=args.locale,
        now=_start_time(args.now, zone),
        live=real_time or not args.fixed_clock,
        step=_step(real_time, args.fixed_clock),
        api_endpoint=api.endpoint if api else NO_API,
        on_grant=api.grant if api else None,
    )
    clock = RealTime(conversation.now) if real_time else None
    return Terminal(conversation, zone, args.keys, clock, api=api)


def _step(real_time: bool, fixed_clock: bool) -> timedelta:
    """The gap before each request: the time taken to type it (real time), a person's
    pause once the mic opens (the default), or the tests' fixed step."""
    if real_time:
        return timedelta(0)
    return FIXED_STEP if fixed_clock else PAUSE


def _start_time(now: str | None, zone: ZoneInfo) -> datetime:
    if not now:
        return system_now()
    try:
        local = datetime.fromisoformat(now)
    except ValueError:
        raise SettingsError(f"--now {now!r} is not an ISO date and time") from None
    return local if local.tzinfo else local.replace(tzinfo=zone)


def _chat(terminal: Terminal, settings: Settings, fresh: bool) -> int:
    """Read lines until Ctrl-D; typed at a terminal, they are not printed twice."""
    store = settings.sqlite_path if settings.store == "sqlite" else settings.dynamodb_table
    note = "new and empty, for this run only" if fresh else "--fresh starts from nothing"
    print("Talk to Closer Together. Start with 'open closer together'; Ctrl-D to leave.")
    print(f"Household state: {store} ({settings.store}; {note}).")
    print("'@+40s pause' interrupts the last response 40 s in; '(silence)' answers nothing.")
    if terminal.api is not None:
        print(f"A fake Alexa API (reminders, timers) answers on {terminal.api.endpoint}.")
    terminal.echo = not sys.stdin.isatty()
    while True:
        try:
            typed = input("" if terminal.echo else "you>   ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if typed:
            _run_typed(terminal, typed)


def _run_typed(terminal: Terminal, typed: str) -> None:
    """One line typed into ``closer chat``; a line it cannot use is explained, not fatal."""
    try:
        line = parse(typed)
    except SettingsError as problem:
        if terminal.echo:
            print(f"you>   {typed}")
        print(INDENT + f"({problem})")
        return
    try:
        terminal.run(line)
    except SettingsError as problem:
        print(INDENT + f"({problem})")
