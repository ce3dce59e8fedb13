"""Put a Reply into words: SSML speech, reprompt, card, APL-for-audio, session attributes."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from ask_sdk_model.interfaces.connections.send_request_directive import SendRequestDirective
from ask_sdk_model.response import Response
from ask_sdk_model.ui.ask_for_permissions_consent_card import AskForPermissionsConsentCard
from ask_sdk_model.ui.simple_card import SimpleCard

from skill.content.catalog import Chooser, LocaleCatalog
from skill.domain.household import speakable
from skill.reply import ASKED, PENDING, REPEAT, Ask, Question, Reply, Say
from skill.speech.apla import render_directive
from skill.speech.screens import screen_directive
from skill.speech.variants import Nightly

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_core.response_helper import ResponseFactory

    from skill.exchange import Exchange


def ssml(catalog: LocaleCatalog, lines: tuple[Say, ...], chooser: Chooser) -> str:
    return " ".join(catalog.text(line.key, line.params, chooser) for line in lines)


def render(handler_input: HandlerInput, exchange: Exchange, reply: Reply) -> Response:
    """Build the response for ``reply`` and carry its session changes into the session."""
    exchange.reply = reply
    builder = handler_input.response_builder
    if reply.silent:
        return builder.response
    _speak(builder, exchange.catalog, reply, _chooser(exchange))
    if reply.screen is not None and exchange.screens and exchange.request.supports_apl:
        builder.add_directive(screen_directive(reply.screen, exchange.screens))
    _remember(exchange.session, reply)
    return builder.response


def _chooser(exchange: Exchange) -> Nightly:
    """The household's wording tonight: the same on every device, new each night."""
    request = exchange.request
    household = request.household_id or request.device_id or ""
    return Nightly(household, exchange.local or request.instant)


def _speak(
    builder: ResponseFactory, catalog: LocaleCatalog, reply: Reply, chooser: Chooser
) -> None:
    speech = ssml(catalog, reply.speech, chooser)
    reprompt = ssml(catalog, reply.reprompt, chooser)
    if reply.audio is not None:
        builder.add_directive(render_directive(reply.audio, catalog, chooser, lead=speech))
    elif speech:
        builder.speak(speech)
    if reprompt:
        builder.ask(reprompt)
    if reply.card is not None:
        builder.set_card(
            SimpleCard(
                title=catalog.plain(reply.card.title.key, reply.card.title.params),
                content=catalog.plain(reply.card.body.key, reply.card.body.params),
            )
        )
    _ask_permission(builder, reply)
    if reply.end_session is not None:
        builder.set_should_end_session(reply.end_session)


def _ask_permission(builder: ResponseFactory, reply: Reply) -> None:
    """Voice consent (``Connections.SendRequest`` AskFor), or the consent card as a fallback."""
    if reply.permission:
        builder.add_directive(
            SendRequestDirective(
                name="AskFor",
                payload={
                    "@type": "AskForPermissionsConsentRequest",
                    "@version": "2",
                    "permissionScopes": [
                        {"permissionScope": reply.permission, "consentLevel": "ACCOUNT"}
                    ],
                },
                token=reply.permission,
            )
        )
    if reply.permission_card:
        builder.set_card(AskForPermissionsConsentCard(permissions=[reply.permission_card]))


def _remember(session: MutableMapping[str, Any], reply: Reply) -> None:
    """Apply the reply's session changes, its pending question, and what to repeat."""
    for name, value in reply.session.items():
        if value is None:
            session.pop(name, None)
        else:
            session[name] = value
    for name, value in ((PENDING, reply.pending), (ASKED, reply.asked)):
        if value:
            session[name] = value.value
        else:
            session.pop(name, None)
    if reply.speech:
        session[REPEAT] = {
            "speech": [[line.key, dict(line.params)] for line in reply.speech],
            "reprompt": [[line.key, dict(line.params)] for line in reply.reprompt],
        }
        if reply.pending:
            session[REPEAT]["pending"] = reply.pending.value
        if reply.asked:
            session[REPEAT]["asked"] = reply.asked.value


def remembered(session: Mapping[str, Any], catalog: LocaleCatalog) -> Reply | None:
    """The last reply said in this session, to say again; None when the session holds none
    this catalog can say (a line from before a deploy, odd values)."""
    saved = session.get(REPEAT)
    if not isinstance(saved, dict):
        return None
    speech, reprompt = _lines(saved.get("speech"), catalog), _lines(saved.get("reprompt"), catalog)
    if not speech or reprompt is None:
        return None
    return Reply(
        speech=speech,
        reprompt=reprompt,
        end_session=not reprompt,
        pending=Ask.read(saved.get("pending")) if reprompt else None,
        asked=Question.read(saved.get("asked")) if reprompt else None,
    )


MAX_PARAM = 400


def _lines(raw: Any, catalog: LocaleCatalog) -> tuple[Say, ...] | None:
    """Saved lines as Says, or None if any of them cannot be said as saved."""
    out: list[Say] = []
    for item in raw if isinstance(raw, list) else ():
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            return None
        params = _params(item[1])
        if params is None or not catalog.can_say(item[0], params):
            return None
        out.append(Say(item[0], params))
    return tuple(out)


def _params(raw: Any) -> dict[str, str | int] | None:
    if not isinstance(raw, dict):
        return None
    params: dict[str, str | int] = {}
    for name, value in raw.items():
        if isinstance(value, str):
            params[name] = speakable(value)[:MAX_PARAM]
        elif isinstance(value, int) and not isinstance(value, bool):
            params[name] = value
        else:
            return None
    return params


SILENT_REQUESTS = ("SessionEndedRequest", "System.ExceptionEncountered", "AlexaSkillEvent.")


def emergency_response(catalog: LocaleCatalog, key: str, request_type: str) -> dict[str, object]:
    """A complete response envelope for when the skill itself could not run.

    Requests that take no speech (session ends, events) get an empty response.
    """
    if request_type.startswith(SILENT_REQUESTS):
        return {"version": "1.0", "response": {}}
    return {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": f"<speak>{catalog.text(key)}</speak>"},
            "shouldEndSession": True,
        },
    }
