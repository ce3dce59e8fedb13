"""`closer chat` and `closer say`: the skill in the terminal, in process, as Alexa would ask it."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Mapping
from contextlib import ExitStack
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from skill.app import create_app
from skill.devtools.conversation import Conversation, Said
from skill.devtools.fake_alexa_api import FakeAlexaApi, fake_alexa_api
from skill.devtools.models import load_model
from skill.devtools.nlu import Utterances
from skill.domain.clock import system_now, zone_or_none
from skill.settings import Settings, SettingsError

NO_API = "http://127.0.0.1:9"
"""Without ``--fake-alexa-api``, Alexa's APIs are a closed local port: nothing leaves here."""


def talk(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    env = dict(os.environ)
    env["CLOSER_VERIFY"] = "off"
    settings = Settings.from_env(env)
    if args.tz and zone_or_none(args.tz) is None:
        raise SettingsError(f"--tz {args.tz!r} is not a time zone")
    zone = ZoneInfo(args.tz or settings.default_timezone)
    app = create_app({"SETTINGS": settings, "TIMEZONE_OVERRIDE": str(zone), "TESTING": True})
    client = app.test_client()
    stack = ExitStack()
    api = stack.enter_context(fake_alexa_api()) if args.fake_alexa_api else None

    def post(envelope: dict[str, Any]) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        answer = client.post("/alexa", json=envelope)
        return answer.status_code, answer.get_json(silent=True) or {}, dict(answer.headers)

    conversation = Conversation(
        post,
        Utterances(load_model(args.locale)),
        user_id=args.user,
        device_id=args.device,
        locale=args.locale,
        now=_start_time(args.now, zone),
        api_endpoint=api.endpoint if api else NO_API,
        on_grant=(lambda scope: api.grant(scope)) if api else None,
    )
    try:
        if args.command == "say":
            for utterance in args.utterances:
                print(f"you>   {utterance}")
                show(conversation.say(utterance), args.keys, api)
            return 0
        return _chat(conversation, args, api)
    finally:
        stack.close()
        app.extensions["closer"].close()


def _start_time(now: str | None, zone: ZoneInfo) -> datetime:
    if not now:
        return system_now()
    try:
        local = datetime.fromisoformat(now)
    except ValueError:
        raise SettingsError(f"--now {now!r} is not an ISO date and time") from None
    return local if local.tzinfo else local.replace(tzinfo=zone)


def _chat(conversation: Conversation, args: argparse.Namespace, api: FakeAlexaApi | None) -> int:
    print("Talk to Closer Together. Start with 'open closer together'; Ctrl-D to leave.")
    if api is not None:
        print(f"A fake Alexa API (reminders, timers) answers on {api.endpoint}.")
    while True:
        try:
            utterance = input("you>   ").strip()
        except EOFError:
            print()
            return 0
        if utterance:
            if not args.now:
                conversation.now = system_now()
            show(conversation.say(utterance), args.keys, api)


def show(said: Said, keys: bool, api: FakeAlexaApi | None = None) -> None:
    if said.status != 200:
        print(f"alexa> (HTTP {said.status}) {said.body.get('error', '')}")
        return
    text = said.text() or "(no speech)"
    print("alexa> " + "\n       ".join(text.splitlines()))
    if keys and said.keys:
        print("       keys: " + ", ".join(said.keys))
    if said.consent_card:
        print("       card: a permission request in the Alexa app: " + ", ".join(said.consent_card))
    elif said.card:
        print(f"       card: {said.card.get('title')}: {said.card.get('content')}")
    _show_api(api)
    if said.permission_request:
        scope = said.permission_request[0]
        print(f"alexa> (Alexa asks for permission: {scope}. Say 'I approve' or 'no'.)")
    listening = not said.ended or said.permission_request
    print("       (listening...)" if listening else "       (session ended)")


def _show_api(api: FakeAlexaApi | None) -> None:
    """The calls the skill made to the fake Alexa API during this turn."""
    if api is None:
        return
    with api.lock:
        calls, api.alerts[:] = list(api.alerts), []
    for call in calls:
        print(f"       [Alexa API] {call.method} {call.path}")
