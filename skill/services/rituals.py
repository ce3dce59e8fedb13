"""Use cases for the daily and weekly rituals and the short guidance on hard conversations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from skill.domain import plan as plan_domain
from skill.domain import rituals as domain
from skill.domain.rituals import DAILY, WEEKLY, PartOfDay, Ritual, Topic, Weekday
from skill.reply import Reply
from skill.services import confirm
from skill.services import plan as plan_service
from skill.speech.catalog import ContentError, LocaleCatalog, per_catalog, table_text
from skill.turn import Turn

CONTEXT = "rituals"
GUIDE_CONTEXT = "guide"
MAX_NAME_WORDS = 8
MAX_HOW_WORDS = 30


@dataclass(frozen=True)
class RitualText:
    """A ritual as the content names and describes it."""

    ritual: Ritual
    name: str
    how: str


# -- content -------------------------------------------------------------


@per_catalog
def ritual_texts(catalog: LocaleCatalog) -> dict[Ritual, RitualText]:
    """Every ritual's name and how-to, from ``[[daily_rituals]]`` and ``[[weekly_rituals]]``."""
    found: dict[Ritual, RitualText] = {}
    for table, expected in (("daily_rituals", DAILY), ("weekly_rituals", WEEKLY)):
        raw = catalog.table(table)
        where = f"{catalog.locale}: [[{table}]]"
        if not isinstance(raw, list):
            raise ContentError(f"{where} must be a list of tables")
        ids: list[str] = []
        for item in raw:
            if not isinstance(item, Mapping):
                raise ContentError(f"{where}: every ritual must be a table")
            ident = item.get("id")
            try:
                ritual = Ritual(ident)
            except ValueError:
                raise ContentError(f"{where}: unknown ritual id {ident!r}") from None
            ids.append(ritual.value)
            found[ritual] = RitualText(
                ritual,
                table_text(f"{where} {ident}", item, "name"),
                table_text(f"{where} {ident}", item, "how"),
            )
        if sorted(ids) != sorted(r.value for r in expected):
            raise ContentError(f"{where}: needs exactly {[r.value for r in expected]}, found {ids}")
    return found


@per_catalog
def weekday_names(catalog: LocaleCatalog) -> dict[Weekday, str]:
    raw = catalog.table("weekdays")
    where = f"{catalog.locale}: [weekdays]"
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where} must be a table")
    return {day: table_text(where, raw, day.value) for day in Weekday}


def guide_key(topic: Topic) -> str:
    return f"guide.{topic.value}"


def check_content(catalog: LocaleCatalog) -> None:
    """Raise ContentError unless every ritual, weekday and guidance topic is present."""
    for text in ritual_texts(catalog).values():
        where = f"{catalog.locale}: ritual {text.ritual.value}"
        if len(text.name.split()) > MAX_NAME_WORDS:
            raise ContentError(f"{where}: the name is over {MAX_NAME_WORDS} words")
        if len(text.how.split()) > MAX_HOW_WORDS:
            raise ContentError(f"{where}: the how-to is over {MAX_HOW_WORDS} words")
    weekday_names(catalog)
    for topic in Topic:
        if not catalog.has(guide_key(topic)):
            raise ContentError(f"{catalog.locale}: no guidance for {topic.value}")


# -- answers -----------------------------------------------------------------


def todays_ritual(turn: Turn) -> Reply:
    """The ritual for this moment of the household's day, with this plan week's tip."""
    state = turn.household.plan
    here = plan_domain.position(state, turn.clock.today)
    pick = domain.todays_ritual(turn.clock.now, state.check_in_day, here.week or None)
    text = ritual_texts(turn.catalog)[pick.ritual]
    if pick.check_in_day:
        reply = Reply.tell("rituals.check_in_day", name=text.name, how=text.how)
    elif pick.part is PartOfDay.MORNING:
        reply = Reply.ask(
            "rituals.morning",
            "rituals.offer_morning_reprompt",
            pending="rituals.morning",
            name=text.name,
            how=text.how,
        )
    elif pick.part is PartOfDay.EVENING:
        reply = Reply.ask(
            "rituals.evening",
            "rituals.offer_question_reprompt",
            pending="rituals.question",
            name=text.name,
            how=text.how,
        )
    else:
        reply = Reply.tell("rituals.afternoon", name=text.name, how=text.how)
    reply = _with_tip(turn, reply, pick.week)
    if reply.pending == "rituals.morning":
        reply = reply.then("rituals.offer_morning")
    elif reply.pending == "rituals.question":
        reply = reply.then("rituals.offer_question")
    return reply.with_session(context=CONTEXT)


def _with_tip(turn: Turn, reply: Reply, week: int | None) -> Reply:
    if week is None:
        return reply
    if plan_domain.is_maintenance(week):
        return reply.then("rituals.maintenance_tip", tip=plan_service.maintenance(turn.catalog).tip)
    current = plan_service.week(turn.catalog, week)
    return reply.then("rituals.week_tip", number=current.number, tip=current.tip)


def weekly(turn: Turn) -> Reply:
    """The three weekly rituals and the household's check-in day."""
    texts = ritual_texts(turn.catalog)
    reply = Reply.tell("rituals.weekly_intro")
    for ritual in WEEKLY:
        reply = reply.then("rituals.item", name=texts[ritual].name, how=texts[ritual].how)
    day = turn.household.plan.check_in_day
    if day is None:
        return reply.then("rituals.no_check_in_day")
    return reply.then("rituals.check_in_day_is", day=weekday_names(turn.catalog)[day])


def daily(turn: Turn) -> Reply:
    """The three daily rituals."""
    texts = ritual_texts(turn.catalog)
    reply = Reply.tell("rituals.daily_intro")
    for ritual in DAILY:
        reply = reply.then("rituals.item", name=texts[ritual].name, how=texts[ritual].how)
    return reply


def set_check_in_day(turn: Turn, spoken: str | None) -> Reply:
    """Store the weekly check-in day, or ask which day if it was not understood."""
    day = Weekday.parse(spoken)
    if day is None:
        return Reply.ask("rituals.which_day", "rituals.which_day_reprompt").with_session(
            context=CONTEXT
        )
    household = turn.household
    state = plan_domain.set_check_in_day(household.plan, day)
    if state != household.plan:
        turn.update(replace(household, plan=state))
    return Reply.tell("rituals.day_saved", day=weekday_names(turn.catalog)[day])


def guidance(turn: Turn, spoken: str | None) -> Reply:
    """Short guidance on one topic, or the list of topics if none was understood."""
    topic = Topic.parse(spoken)
    if topic is None:
        return Reply.ask("guide.topics", "guide.topics_reprompt").with_session(
            context=GUIDE_CONTEXT
        )
    if topic is Topic.OUTSIDE_HELP:
        return outside_help(turn)
    return Reply.tell(guide_key(topic))


def outside_help(turn: Turn) -> Reply:
    """When outside help is worth seeking, and what to do if anyone feels unsafe."""
    return Reply.tell(guide_key(Topic.OUTSIDE_HELP)).then("guide.outside_help_safety")


# -- yes / no ------------------------------------------------------------------


@confirm.on_answer("rituals.morning")
def _answer_morning(turn: Turn, yes: bool) -> Reply:
    if not yes:
        return Reply.tell("rituals.declined")
    from skill.services import check_in

    return check_in.start_morning(turn)


@confirm.on_answer("rituals.question")
def _answer_question(turn: Turn, yes: bool) -> Reply:
    if not yes:
        return Reply.tell("rituals.declined")
    from skill.services import questions

    return questions.tonight(turn)
