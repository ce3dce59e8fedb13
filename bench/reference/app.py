"""The reference skill: Closer Together's requests answered the way the ASK SDK docs show.

flask-ask-sdk's ``SkillAdapter`` (request signature and timestamp verification on), an ask-sdk-core
``CustomSkillBuilder`` with the SDK's ``DynamoDbAdapter``, and one handler class per request.
Every handler reads the persistent attributes (one ``GetItem``, strongly consistent), changes
them and saves them (one unconditional ``PutItem`` of the whole map), as the documentation's
persistence examples do. Speech is placeholder text; only the shape of the work matters here.

Configuration (environment): ``REFERENCE_SKILL_ID``, ``REFERENCE_TABLE``,
``REFERENCE_DYNAMODB_ENDPOINT_URL``, ``AWS_DEFAULT_REGION``, ``REFERENCE_INTENTS`` (JSON: kind ->
intent name, so the reference answers the product's own intent names) and ``REFERENCE_VERIFY``
(``on`` by default; the in-process capacity count turns it off, it does no store work).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime

import boto3
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
from flask import Flask
from flask_ask_sdk.skill_adapter import SkillAdapter

DEFAULT_INTENTS = {
    "question": "TonightsQuestionIntent",
    "next_question": "NextQuestionIntent",
    "plan": "PlanWeekIntent",
    "check_in": "StartCheckInIntent",
    "check_in_ready": "CheckInReadyIntent",
    "check_in_yes": "AMAZON.YesIntent",
}
QUESTIONS = [f"Here is question {n} of 36. Take turns answering it." for n in range(1, 37)]
WEEKS = 8
REPROMPT = "What would you like to do?"
CHECK_IN_STEPS = {"setup": "confirm_1", "confirm_1": "confirm_2", "confirm_2": "done"}


def _today(handler_input):
    stamp = handler_input.request_envelope.request.timestamp
    if isinstance(stamp, datetime):
        return stamp.astimezone(UTC).date()
    return datetime.now(UTC).date()


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        attributes_manager = handler_input.attributes_manager
        attributes = attributes_manager.persistent_attributes
        attributes["visits"] = int(attributes.get("visits", 0)) + 1
        attributes["last_seen"] = _today(handler_input).isoformat()
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        if attributes["visits"] == 1:
            speech = "Welcome to Closer Together. Ask for tonight's question to begin."
        else:
            speech = "Welcome back. Would you like tonight's question, or a check-in?"
        return handler_input.response_builder.speak(speech).ask(REPROMPT).response


class QuestionHandler(AbstractRequestHandler):
    """Tonight's question (the same all night), or with ``next_one`` the next question."""

    def __init__(self, intent_name, next_one=False):
        self.intent_name = intent_name
        self.next_one = next_one

    def can_handle(self, handler_input):
        return is_intent_name(self.intent_name)(handler_input)

    def handle(self, handler_input):
        attributes_manager = handler_input.attributes_manager
        attributes = attributes_manager.persistent_attributes
        tonight = _today(handler_input).isoformat()
        if self.next_one or attributes.get("question_night") != tonight:
            asked = int(attributes.get("questions_asked", 0))
            attributes["question_index"] = asked % len(QUESTIONS)
            attributes["questions_asked"] = asked + 1
            attributes["question_night"] = tonight
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        speech = QUESTIONS[int(attributes["question_index"])]
        return handler_input.response_builder.speak(speech).set_should_end_session(True).response


class PlanWeekHandler(AbstractRequestHandler):
    """Plan week; starting the plan is the same turn here (the first ask sets the start)."""

    def __init__(self, *intent_names):
        self.intent_names = [name for name in intent_names if name]

    def can_handle(self, handler_input):
        return any(is_intent_name(name)(handler_input) for name in self.intent_names)

    def handle(self, handler_input):
        attributes_manager = handler_input.attributes_manager
        attributes = attributes_manager.persistent_attributes
        today = _today(handler_input)
        start = date.fromisoformat(attributes.setdefault("plan_start", today.isoformat()))
        week = min(WEEKS, (today - start).days // 7 + 1)
        attributes["plan_week"] = week
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        speech = f"You are on week {week} of the eight week plan."
        return handler_input.response_builder.speak(speech).set_should_end_session(True).response


class StartCheckInHandler(AbstractRequestHandler):
    def __init__(self, intent_name):
        self.intent_name = intent_name

    def can_handle(self, handler_input):
        return is_intent_name(self.intent_name)(handler_input)

    def handle(self, handler_input):
        attributes_manager = handler_input.attributes_manager
        attributes = attributes_manager.persistent_attributes
        attributes["check_ins"] = int(attributes.get("check_ins", 0)) + 1
        attributes["last_check_in"] = _today(handler_input).isoformat()
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        handler_input.attributes_manager.session_attributes["phase"] = "setup"
        speech = (
            "Let's begin. The first speaker has two minutes, and the listener just listens."
            " Tell me when you are ready."
        )
        return handler_input.response_builder.speak(speech).ask(REPROMPT).response


class CheckInStepHandler(AbstractRequestHandler):
    """The turns inside a check-in: "ready" starts the first speaker, the first "yes" swaps,
    the second "yes" finishes. Each one saves where the household is (so it could carry on)."""

    def __init__(self, ready_intent, yes_intent):
        self.ready_intent = ready_intent
        self.yes_intent = yes_intent

    def can_handle(self, handler_input):
        phase = handler_input.attributes_manager.session_attributes.get("phase")
        if phase == "setup":
            return is_intent_name(self.ready_intent)(handler_input)
        return phase in CHECK_IN_STEPS and is_intent_name(self.yes_intent)(handler_input)

    def handle(self, handler_input):
        session = handler_input.attributes_manager.session_attributes
        attributes_manager = handler_input.attributes_manager
        attributes = attributes_manager.persistent_attributes
        step = CHECK_IN_STEPS[session["phase"]]
        if step == "done":
            attributes["check_ins_done"] = int(attributes.get("check_ins_done", 0)) + 1
            attributes.pop("check_in_step", None)
        else:
            attributes["check_in_step"] = step
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        builder = handler_input.response_builder
        if step == "done":
            session.pop("phase", None)
            speech = "That is your check-in done. Thank you both."
            return builder.speak(speech).set_should_end_session(True).response
        session["phase"] = step
        speech = 'Your two minutes start now. <break time="2s"/> Did that sound right?'
        return builder.speak(speech).ask(REPROMPT).response


class SessionEndedRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        speech = "Sorry, I had trouble doing what you asked. Please try again."
        return handler_input.response_builder.speak(speech).ask(speech).response


def create_app(dynamodb_resource=None):
    skill_id = os.environ["REFERENCE_SKILL_ID"]
    intents = {**DEFAULT_INTENTS, **json.loads(os.environ.get("REFERENCE_INTENTS") or "{}")}
    verify = os.environ.get("REFERENCE_VERIFY", "on") != "off"

    dynamodb = dynamodb_resource or boto3.resource(
        "dynamodb",
        region_name=os.environ.get("AWS_DEFAULT_REGION"),
        endpoint_url=os.environ.get("REFERENCE_DYNAMODB_ENDPOINT_URL"),
    )
    adapter = DynamoDbAdapter(
        table_name=os.environ["REFERENCE_TABLE"],
        partition_key_name="id",
        create_table=False,
        dynamodb_resource=dynamodb,
    )

    sb = CustomSkillBuilder(persistence_adapter=adapter)
    sb.skill_id = skill_id
    sb.add_request_handler(CheckInStepHandler(intents["check_in_ready"], intents["check_in_yes"]))
    sb.add_request_handler(LaunchRequestHandler())
    sb.add_request_handler(QuestionHandler(intents["question"]))
    sb.add_request_handler(QuestionHandler(intents["next_question"], next_one=True))
    sb.add_request_handler(PlanWeekHandler(intents["plan"], intents.get("plan_start")))
    sb.add_request_handler(StartCheckInHandler(intents["check_in"]))
    sb.add_request_handler(SessionEndedRequestHandler())
    sb.add_exception_handler(CatchAllExceptionHandler())

    app = Flask(__name__)
    # flask-ask-sdk reads these once, when the SkillAdapter is built.
    app.config["ASK_SDK_VERIFY_SIGNATURE"] = verify
    app.config["ASK_SDK_VERIFY_TIMESTAMP"] = verify
    skill_adapter = SkillAdapter(skill=sb.create(), skill_id=skill_id, app=app)
    skill_adapter.register(app=app, route="/alexa")
    return app
