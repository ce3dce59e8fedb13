"""Use cases for the daily and weekly rituals and the short guidance on hard conversations."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from skill.content.plan import maintenance, week
from skill.content.rituals import guide_key, ritual_texts, weekday_names
from skill.domain import plan as plan_domain
from skill.domain import rituals as domain
from skill.domain.rituals import DAILY, WEEKLY, PartOfDay, Ritual, Topic, Weekday
from skill.reply import CONTEXT, Ask, Question, Reply
from skill.speech.screens import ritual_screen
from skill.turn import Turn

FEATURE = "rituals"
GUIDE = "guide"


def todays_ritual(turn: Turn) -> Reply:
    """The ritual for this moment of the household's day, with this plan week's tip."""
    state = turn.household.plan
    here = plan_domain.position(state, turn.clock.today)
    pick = domain.todays_ritual(turn.clock.now, state.check_in_day, here.week or None)
    text = ritual_texts(turn.catalog)[pick.ritual]
    params: dict[str, Any] = {"name": text.name, "how": text.how}
    if pick.check_in_day:
        reply = Reply.tell("rituals.check_in_day", **params)
    elif pick.part is PartOfDay.MORNING:
        reply = Reply.ask(
            "rituals.morning",
            "rituals.offer_morning_reprompt",
            pending=Ask.MORNING_CHECK_IN,
            **params,
        )
    elif pick.part is PartOfDay.EVENING:
        reply = Reply.ask(
            "rituals.evening",
            "rituals.offer_question_reprompt",
            pending=Ask.TONIGHTS_QUESTION,
            **params,
        )
    else:
        reply = Reply.tell("rituals.afternoon", **params)
    reply = _with_tip(turn, reply, pick.week)
    card = ritual_screen(
        turn.catalog, pick.part, pick.check_in_day, (text.name, text.how), _tip(turn, pick.week)
    )
    reply = replace(reply, screen=card)
    if reply.pending is Ask.MORNING_CHECK_IN:
        reply = reply.then("rituals.offer_morning")
    elif reply.pending is Ask.TONIGHTS_QUESTION:
        reply = reply.then("rituals.offer_question")
    return reply.with_session(**{CONTEXT: FEATURE})


def _with_tip(turn: Turn, reply: Reply, week_number: int | None) -> Reply:
    if week_number is None:
        return reply
    _, tip = _tip(turn, week_number)
    if plan_domain.is_maintenance(week_number):
        return reply.then("rituals.maintenance_tip", tip=tip)
    return reply.then("rituals.week_tip", number=week_number, tip=tip)


def _tip(turn: Turn, week_number: int | None) -> tuple[int | None, str]:
    """This plan week's tip (or the one for keeping things going); none before the plan."""
    if week_number is None:
        return None, ""
    if plan_domain.is_maintenance(week_number):
        return week_number, maintenance(turn.catalog).tip
    return week_number, week(turn.catalog, week_number).tip


def weekly(turn: Turn) -> Reply:
    """The three weekly rituals and the household's check-in day."""
    reply = _listed(turn, "rituals.weekly_intro", WEEKLY)
    day = turn.household.plan.check_in_day
    if day is None:
        return reply.then("rituals.no_check_in_day")
    return reply.then("rituals.check_in_day_is", day=weekday_names(turn.catalog)[day])


def daily(turn: Turn) -> Reply:
    """The three daily rituals."""
    return _listed(turn, "rituals.daily_intro", DAILY)


def _listed(turn: Turn, intro: str, rituals: tuple[Ritual, ...]) -> Reply:
    texts = ritual_texts(turn.catalog)
    reply = Reply.tell(intro)
    for ritual in rituals:
        reply = reply.then("rituals.item", name=texts[ritual].name, how=texts[ritual].how)
    return reply


def declined(turn: Turn) -> Reply:
    """A no to doing a ritual now (the morning check-in, tonight's question)."""
    return Reply.tell("rituals.declined")


def set_check_in_day(turn: Turn, spoken: str | None) -> Reply:
    """Store the weekly check-in day, or ask which day if it was not understood."""
    day = Weekday.parse(spoken)
    if day is None:
        return Reply.ask(
            "rituals.which_day", "rituals.which_day_reprompt", asked=Question.WHICH_DAY
        ).with_session(**{CONTEXT: FEATURE})
    household = turn.household
    state = plan_domain.set_check_in_day(household.plan, day)
    if state != household.plan:
        turn.update(replace(household, plan=state))
    return Reply.tell("rituals.day_saved", day=weekday_names(turn.catalog)[day])


def guidance(turn: Turn, spoken: str | None) -> Reply:
    """Short guidance on one topic, or the list of topics if none was understood."""
    topic = Topic.parse(spoken)
    if topic is None:
        return Reply.ask(
            "guide.topics", "guide.topics_reprompt", asked=Question.WHICH_TOPIC
        ).with_session(**{CONTEXT: GUIDE})
    if topic is Topic.OUTSIDE_HELP:
        return outside_help(turn)
    return Reply.tell(guide_key(topic))


def outside_help(turn: Turn) -> Reply:
    """When outside help is worth seeking, and what to do if anyone feels unsafe."""
    return Reply.tell(guide_key(Topic.OUTSIDE_HELP)).then("guide.outside_help_safety")
