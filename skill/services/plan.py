"""Use cases for the 8-week plan: start it, say where the household is, change its pace."""

from __future__ import annotations

from dataclasses import replace

from skill.content.plan import maintenance, week
from skill.domain import plan as domain
from skill.domain.plan import PLAN_DAYS, PLAN_WEEKS, Pace, PlanState, Position, Stage
from skill.reply import CONTEXT, Ask, Reply
from skill.speech.screens import plan_screen
from skill.turn import Turn

FEATURE = "plan"


def where(turn: Turn) -> Position:
    """Where the household stands in the plan today (its local date)."""
    return domain.position(turn.household.plan, turn.clock.today)


def _save(turn: Turn, state: PlanState) -> None:
    if state != turn.household.plan:
        turn.update(replace(turn.household, plan=state))


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
    """Offer the previous week: say what it was about and ask before going back to it
    ("what was last week about?" is answered; nothing moves without a yes)."""
    change = domain.go_back(turn.household.plan, turn.clock.today)
    if change.pace is not Pace.WENT_BACK:
        return _pace(turn, change)
    back = week(turn.catalog, change.week)
    return Reply.ask(
        "plan.go_back_offer",
        "plan.go_back_reprompt",
        pending=Ask.GO_BACK,
        number=back.number,
        title=back.title,
        summary=back.summary,
    ).with_session(**{CONTEXT: FEATURE})


def went_back(turn: Turn) -> Reply:
    """The yes to going back: the previous week, starting today."""
    return _pace(turn, domain.go_back(turn.household.plan, turn.clock.today))


def stayed(turn: Turn) -> Reply:
    """The no to going back."""
    return Reply.tell("plan.go_back_kept")


PACE_KEYS = {
    Pace.HELD: "plan.held",
    Pace.FIRST_WEEK: "plan.first_week",
    Pace.MAINTENANCE: "plan.stay_in_maintenance",
    Pace.LIMIT: "plan.hold_limit",
}


def _pace(turn: Turn, change: domain.PaceChange) -> Reply:
    if change.pace is Pace.NOT_STARTED:
        return _offer_start(turn)
    _save(turn, change.state)
    if change.pace is Pace.WENT_BACK:
        back = week(turn.catalog, change.week)
        return Reply.tell("plan.went_back", number=back.number, title=back.title)
    return Reply.tell(PACE_KEYS[change.pace], number=change.week)


def restart(turn: Turn) -> Reply:
    """Ask before starting over from week one."""
    if where(turn).stage is Stage.NOT_STARTED:
        return _offer_start(turn, "plan.restart_not_started")
    return Reply.ask(
        "plan.restart_confirm", "plan.restart_reprompt", pending=Ask.RESTART_PLAN
    ).with_session(**{CONTEXT: FEATURE})


def restarted(turn: Turn) -> Reply:
    """The yes to restarting: week one, from today."""
    _save(turn, domain.restart(turn.household.plan, turn.clock.today))
    return _this_week(turn, 1).first("plan.restarted")


def kept(turn: Turn) -> Reply:
    """The no to restarting."""
    return Reply.tell("plan.restart_kept")


def declined(turn: Turn) -> Reply:
    """A no to an offer (start the plan, hear the practices or the weekly rituals)."""
    return Reply.tell("plan.declined")


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


def welcome_note(turn: Turn) -> Reply | None:
    """One short line for a returning household already on the plan."""
    here = where(turn)
    if here.stage is Stage.IN_PLAN:
        current = week(turn.catalog, here.week)
        return Reply.tell("plan.welcome_week", number=current.number, title=current.title)
    if here.stage is Stage.MAINTENANCE:
        return Reply.tell("plan.welcome_maintenance")
    return None


def _this_week(turn: Turn, number: int) -> Reply:
    current = week(turn.catalog, number)
    card = plan_screen(turn.catalog, current.number, current.title, current.summary)
    return replace(
        Reply.ask(
            "plan.current_week",
            "plan.offer_practices_reprompt",
            pending=Ask.PLAN_PRACTICES,
            number=current.number,
            title=current.title,
            summary=current.summary,
        )
        .then("plan.offer_practices")
        .with_session(**{CONTEXT: FEATURE}),
        screen=card,
    )


def _maintenance(turn: Turn) -> Reply:
    after = maintenance(turn.catalog)
    card = plan_screen(turn.catalog, None, "", after.summary)
    return replace(
        Reply.ask(
            "plan.maintenance",
            "plan.offer_weekly_reprompt",
            pending=Ask.WEEKLY_RITUALS,
            summary=after.summary,
        )
        .then("plan.offer_weekly")
        .with_session(**{CONTEXT: FEATURE}),
        screen=card,
    )


def _offer_start(
    turn: Turn,
    key: str = "plan.not_started_short",
    reprompt: str = "plan.not_started_reprompt",
) -> Reply:
    return Reply.ask(key, reprompt, pending=Ask.START_PLAN).with_session(**{CONTEXT: FEATURE})
