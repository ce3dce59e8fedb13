"""`closer serve | chat | say | create-table | models | check-in-table`.

``serve`` and ``create-table`` are the runtime; the others are development tools from
``skill.devtools``, imported only when asked for.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from skill.settings import Settings, SettingsError

DEV_WARNING = """
  ************************************************************************
  *  DEVELOPMENT MODE: Alexa request verification is OFF.                *
  *  Anyone who can reach this port can act as any household.            *
  *  Listening on 127.0.0.1 only. Never use --dev for a real endpoint.    *
  ************************************************************************
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="closer", description="Closer Together, an Alexa skill.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the Alexa endpoint (POST /alexa, GET /healthz)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--dev", action="store_true", help="verification off, bound to 127.0.0.1, debug logging"
    )

    for name, text in (
        ("chat", "talk to the skill in the terminal"),
        ("say", "say one or more utterances and print the replies"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--locale", default="en-US")
        sub.add_argument(
            "--user",
            default="amzn1.ask.account.local-household",
            help="the household (Alexa userId)",
        )
        sub.add_argument("--device", default="amzn1.ask.device.living-room")
        sub.add_argument("--tz", help="the device's time zone, e.g. Europe/London")
        sub.add_argument("--now", help="local date and time, e.g. 2026-03-10T21:00")
        sub.add_argument("--keys", action="store_true", help="also show the content keys spoken")
        _add_clock_options(sub, name)
        sub.add_argument(
            "--fake-alexa-api",
            action="store_true",
            help="answer reminders and timers from a fake Alexa API on 127.0.0.1",
        )

    commands.add_parser("create-table", help="create the DynamoDB table and wait until ACTIVE")
    commands.add_parser(
        "move-keys",
        help="move items keyed by a raw Alexa id to their digest keys (once, after upgrading)",
    )
    models = commands.add_parser("models", help="write interaction_models/<locale>.json")
    models.add_argument("--check", action="store_true", help="fail if a written model is stale")
    commands.add_parser(
        "check-in-table", help="print the check-in's transition table (phase x event -> phase)"
    )

    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command in ("chat", "say"):
            return _talk(args)
        if args.command == "create-table":
            return _create_table()
        if args.command == "move-keys":
            return _move_keys()
        if args.command == "check-in-table":
            return _check_in_table()
        return _models(args.check)
    except SettingsError as problem:
        print(f"closer: {problem}", file=sys.stderr)
        return 2


def _add_clock_options(sub: argparse.ArgumentParser, name: str) -> None:
    sub.add_argument(
        "--fresh",
        action="store_true",
        help="a new, empty household store for this run only (your state file is untouched)",
    )
    clock = sub.add_mutually_exclusive_group()
    clock.add_argument(
        "--fixed-clock",
        action="store_true",
        help="send each request 5 s after the last, even mid-audio (by default each one"
        " waits until the last response's audio is over and the mic opens)",
    )
    if name == "chat":
        clock.add_argument(
            "--real-time",
            action="store_true",
            help="play each response at its own pace (Ctrl-C skips to its end)",
        )
    else:
        sub.add_argument(
            "utterances",
            nargs="+",
            help='what to say, in order; "@+40s pause" interrupts the last response 40 s'
            ' after it began, "(silence)" answers nothing',
        )


def _serve(args: argparse.Namespace) -> int:
    from skill.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    env = dict(os.environ)
    host = args.host
    if args.dev:
        env["CLOSER_VERIFY"] = "off"
        host = "127.0.0.1"
        print(DEV_WARNING, file=sys.stderr)
    app = create_app({"SETTINGS": Settings.from_env(env)})
    print(
        f"Closer Together listening on http://{host}:{args.port}/alexa "
        "(for production, run it under gunicorn)",
        file=sys.stderr,
    )
    if args.dev:
        from skill.devtools.simulator import register

        register(app)
        print(f"Simulator: http://{host}:{args.port}/simulator", file=sys.stderr)
    try:
        app.run(host=host, port=args.port, debug=False, use_reloader=False)
    finally:
        app.extensions["closer"].close()
    return 0


def _talk(args: argparse.Namespace) -> int:
    from skill.devtools.talk import talk

    return talk(args)


def _check_in_table() -> int:
    from skill.devtools.check_in_table import grid

    print(grid(), end="")
    return 0


def _create_table() -> int:
    import boto3

    from skill.store.dynamodb import client_config, create_table

    settings = Settings.from_env()
    if not settings.aws_region:
        raise SettingsError("AWS_REGION is required to create the DynamoDB table")
    client = boto3.client(
        "dynamodb",
        region_name=settings.aws_region,
        endpoint_url=settings.dynamodb_endpoint_url,
        config=client_config(),
    )
    created = create_table(client, settings.dynamodb_table)
    state = "created" if created else "already exists"
    print(f"table {settings.dynamodb_table} {state} and is ACTIVE")
    return 0


def _move_keys() -> int:
    from skill.app import build_store
    from skill.store.base import KeyedStore

    settings = Settings.from_env()
    if settings.store == "dynamodb" and not settings.household_secret:
        raise SettingsError(
            "set CLOSER_HOUSEHOLD_SECRET to the service's secret: items move to keys made with it"
        )
    store = build_store(settings)
    try:
        assert isinstance(store, KeyedStore)
        moved = store.move_raw_keys()
    finally:
        store.close()
    print(f"{moved} households moved to digest keys; new households now cost one read")
    return 0


def _models(check: bool) -> int:
    from skill.devtools.models import stale_models, write_models

    if check:
        stale = stale_models()
        if stale:
            print(
                "stale interaction models: " + ", ".join(stale) + " (run `closer models`)",
                file=sys.stderr,
            )
            return 1
        return 0
    for path in write_models():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
