"""Use cases for the 8-week plan: start it, say where the household is, change its pace."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from skill.domain import plan as domain
from skill.domain.plan import PLAN_DAYS, PLAN_WEEKS, Pace, PlanState, PlanWeek, Position, Stage
from skill.reply import Reply
from skill.services import confirm, session
from skill.speech.catalog import (
    ContentError,
    LocaleCatalog,
    check_ssml_safe,
    per_catalog,
    table_text,
)
from skill.turn import Turn

CONTEXT = "plan"
MAX_TITLE_WORDS = 8
MAX_SUMMARY_WORDS = 50
SUMMARY_SENTENCES = 2
PRACTICES = (2, 3)
MAX_PRACTICE_WORDS = 45
MAX_TIP_WORDS = 20
SENTENCE = re.compile(r"[^.!?]+[.!?]+(?:\s+|$)")


@dataclass(frozen=True)
class Maintenance:
    """What the content says about life after week eight."""

    title: str
    summary: str
    tip: str


# -- content -------------------------------------------------------------


@per_catalog
def weeks(catalog: LocaleCatalog) -> tuple[PlanWeek, ...]:
    """The plan's weeks, in order, read from the ``[[plan_weeks]]`` table."""
    raw = catalog.table("plan_weeks")
    if not isinstance(raw, list):
        raise ContentError(f"{catalog.locale}: [[plan_weeks]] must be a list of tables")
    return tuple(_week(catalog.locale, index, item) for index, item in enumerate(raw, start=1))


def week(catalog: LocaleCatalog, number: int) -> PlanWeek:
    """Week ``number`` (1-8) of the plan."""
    return weeks(catalog)[min(max(number, 1), PLAN_WEEKS) - 1]


@per_catalog
def maintenance(catalog: LocaleCatalog) -> Maintenance:
    raw = catalog.table("plan_maintenance")
    where = f"{catalog.locale}: [plan_maintenance]"
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where} must be a table")
    return Maintenance(
        title=table_text(where, raw, "title"),
        summary=table_text(where, raw, "summary"),
        tip=table_text(where, raw, "tip"),
    )


def _week(locale: str, index: int, item: Any) -> PlanWeek:
    where = f"{locale}: plan week {index}"
    if not isinstance(item, Mapping):
        raise ContentError(f"{where} must be a table")
    practices = item.get("practices")
    if not isinstance(practices, list) or not all(
        isinstance(p, str) and p.strip() for p in practices
    ):
        raise ContentError(f"{where}: practices must be a list of lines")
    number = item.get("number")
    if number != index:
        raise ContentError(f"{where}: number is {number!r}, expected {index}")
    return PlanWeek(
        number=index,
        id=table_text(where, item, "id"),
        title=table_text(where, item, "title"),
        summary=table_text(where, item, "summary"),
        practices=tuple(p.strip() for p in practices),
        tip=table_text(where, item, "tip"),
    )


def word_count(text: str) -> int:
    return len(text.split())


def sentence_count(text: str) -> int:
    """Sentences ending in . ! or ?; text left over without an ending counts as one more."""
    found = SENTENCE.findall(text.strip())
    rest = SENTENCE.sub("", text.strip()).strip()
    return len(found) + (1 if rest else 0)


def check_content(catalog: LocaleCatalog) -> None:
    """Raise ContentError unless the plan and ritual content is complete and speakable."""
    from skill.services import rituals

    plan_weeks = weeks(catalog)
    if len(plan_weeks) != PLAN_WEEKS:
        raise ContentError(f"{catalog.locale}: the plan needs {PLAN_WEEKS} weeks")
    ids = [w.id for w in plan_weeks]
    if len(set(ids)) != len(ids):
        raise ContentError(f"{catalog.locale}: plan week ids repeat: {ids}")
    for w in plan_weeks:
        where = f"{catalog.locale}: plan week {w.number}"
        if word_count(w.title) > MAX_TITLE_WORDS:
            raise ContentError(f"{where}: the title is longer than {MAX_TITLE_WORDS} words")
        _check_summary(where, w.summary)
        low, high = PRACTICES
        if not low <= len(w.practices) <= high:
            raise ContentError(f"{where}: needs {low} to {high} practices")
        for practice in w.practices:
            check_ssml_safe(practice, f"{where}: practice")
            if word_count(practice) > MAX_PRACTICE_WORDS:
                raise ContentError(f"{where}: a practice is over {MAX_PRACTICE_WORDS} words")
        if word_count(w.tip) > MAX_TIP_WORDS:
            raise ContentError(f"{where}: the tip is over {MAX_TIP_WORDS} words")
    after = maintenance(catalog)
    _check_summary(f"{catalog.locale}: [plan_maintenance]", after.summary)
    rituals.check_content(catalog)


def _check_summary(where: str, summary: str) -> None:
    if sentence_count(summary) != SUMMARY_SENTENCES:
        raise ContentError(f"{where}: the summary must be {SUMMARY_SENTENCES} sentences")
    if word_count(summary) > MAX_SUMMARY_WORDS:
        raise ContentError(f"{where}: the summary is over {MAX_SUMMARY_WORDS} words")


# -- state -----------------------------------------------------------------


def where(turn: Turn) -> Position:
    """Where the household stands in the plan today (its local date)."""
    return domain.position(turn.household.plan, turn.clock.today)


def _save(turn: Turn, state: PlanState) -> None:
    if state != turn.household.plan:
        turn.update(replace(turn.household, plan=state))


# -- answers -----------------------------------------------------------------


def start(turn: Turn) -> Reply:
    """Start the plan today, unless it is already under way."""
    here = where(turn)
    if here.stage is Stage.IN_PLAN:
        current = week(turn.catalog, here.week)
        return Reply.tell("plan.already_started", number=current.number, title=current.title)
    if here.stage is Stage.MAINTENANCE:
        return Reply.tell("plan.already_maintenance")
    _save(turn, domain.start(turn.household.plan, turn.clock.today))
    return _this_week(turn, 1).first("plan.started")


def current_week(turn: Turn) -> Reply:
    """The week number, title and summary, then an offer of the practices."""
    here = where(turn)
    if here.stage is Stage.NOT_STARTED:
        return _offer_start(turn, "plan.not_started", "plan.not_started_reprompt")
    if here.stage is Stage.MAINTENANCE:
        return _maintenance(turn)
    return _this_week(turn, here.week)


def practices(turn: Turn) -> Reply:
    """This week's practices, one line each, with a card to read later."""
    here = where(turn)
    if here.stage is Stage.NOT_STARTED:
        return _offer_start(turn)
    if here.stage is Stage.MAINTENANCE:
        return _maintenance(turn)
    current = week(turn.catalog, here.week)
    reply = Reply.tell("plan.practices_intro", number=current.number)
    for practice in current.practices:
        reply = reply.then("plan.practice", text=practice)
    return reply.then("plan.practices_outro").with_card(
        "plan.card_title",
        "plan.card_practices",
        number=current.number,
        name=current.title,
        practices="\n".join(current.practices),
    )


def next_week(turn: Turn) -> Reply:
    here = where(turn)
    if here.stage is Stage.NOT_STARTED:
        return _offer_start(turn)
    after = maintenance(turn.catalog)
    if here.stage is Stage.MAINTENANCE:
        return Reply.tell("plan.next_in_maintenance", summary=after.summary)
    if here.week == PLAN_WEEKS:
        return Reply.tell("plan.next_is_maintenance", summary=after.summary)
    coming = week(turn.catalog, here.week + 1)
    return Reply.tell(
        "plan.next_week", number=coming.number, title=coming.title, summary=coming.summary
    )


def stay_longer(turn: Turn) -> Reply:
    """Hold the current week: it starts afresh today."""
    return _pace(turn, domain.stay_longer(turn.household.plan, turn.clock.today))


def go_back(turn: Turn) -> Reply:
    """Return to the previous week, starting today."""
    return _pace(turn, domain.go_back(turn.household.plan, turn.clock.today))


def _pace(turn: Turn, change: domain.PaceChange) -> Reply:
    if change.pace is Pace.NOT_STARTED:
        return _offer_start(turn)
    _save(turn, change.state)
    if change.pace is Pace.HELD:
        return Reply.tell("plan.held", number=change.week)
    if change.pace is Pace.WENT_BACK:
        back = week(turn.catalog, change.week)
        return Reply.tell("plan.went_back", number=back.number, title=back.title)
    if change.pace is Pace.FIRST_WEEK:
        return Reply.tell("plan.first_week")
    if change.pace is Pace.MAINTENANCE:
        return Reply.tell("plan.stay_in_maintenance")
    return Reply.tell("plan.hold_limit")


def restart(turn: Turn) -> Reply:
    """Ask before starting over from week one."""
    if where(turn).stage is Stage.NOT_STARTED:
        return _offer_start(turn, "plan.restart_not_started")
    return Reply.ask(
        "plan.restart_confirm", "plan.restart_reprompt", pending="plan.restart"
    ).with_session(context=CONTEXT)


def progress(turn: Turn) -> Reply:
    """How far along the household is: day, week, days to go."""
    here = where(turn)
    if here.stage is Stage.NOT_STARTED:
        return _offer_start(turn)
    if here.stage is Stage.MAINTENANCE:
        started = turn.household.plan.started
        days = (turn.clock.today - started).days if started else PLAN_DAYS
        return Reply.tell("plan.progress_maintenance", days=days)
    if here.days_left == 0:
        return Reply.tell("plan.progress_last_day", total=PLAN_DAYS)
    return Reply.tell(
        "plan.progress",
        day=here.plan_day + 1,
        total=PLAN_DAYS,
        number=here.week,
        left=here.days_left,
    ).then("plan.encouragement")


def _this_week(turn: Turn, number: int) -> Reply:
    current = week(turn.catalog, number)
    return (
        Reply.ask(
            "plan.current_week",
            "plan.offer_practices_reprompt",
            pending="plan.practices",
            number=current.number,
            title=current.title,
            summary=current.summary,
        )
        .then("plan.offer_practices")
        .with_session(context=CONTEXT)
    )


def _maintenance(turn: Turn) -> Reply:
    after = maintenance(turn.catalog)
    return (
        Reply.ask(
            "plan.maintenance",
            "plan.offer_weekly_reprompt",
            pending="plan.weekly",
            summary=after.summary,
        )
        .then("plan.offer_weekly")
        .with_session(context=CONTEXT)
    )


def _offer_start(
    turn: Turn,
    key: str = "plan.not_started_short",
    reprompt: str = "plan.not_started_reprompt",
) -> Reply:
    return Reply.ask(key, reprompt, pending="plan.start").with_session(context=CONTEXT)


# -- yes / no ------------------------------------------------------------------


@confirm.on_answer("plan.start")
def _answer_start(turn: Turn, yes: bool) -> Reply:
    return start(turn) if yes else Reply.tell("plan.declined")


@confirm.on_answer("plan.practices")
def _answer_practices(turn: Turn, yes: bool) -> Reply:
    return practices(turn) if yes else Reply.tell("plan.declined")


@confirm.on_answer("plan.restart")
def _answer_restart(turn: Turn, yes: bool) -> Reply:
    if not yes:
        return Reply.tell("plan.restart_kept")
    _save(turn, domain.restart(turn.household.plan, turn.clock.today))
    return _this_week(turn, 1).first("plan.restarted")


@confirm.on_answer("plan.weekly")
def _answer_weekly(turn: Turn, yes: bool) -> Reply:
    from skill.services import rituals

    return rituals.weekly(turn) if yes else Reply.tell("plan.declined")


# -- launch ----------------------------------------------------------------------


@session.welcome_note
def welcome(turn: Turn) -> Reply | None:
    """One short line for a returning household already on the plan."""
    here = where(turn)
    if here.stage is Stage.IN_PLAN:
        current = week(turn.catalog, here.week)
        return Reply.tell("plan.welcome_week", number=current.number, title=current.title)
    if here.stage is Stage.MAINTENANCE:
        return Reply.tell("plan.welcome_maintenance")
    return None
