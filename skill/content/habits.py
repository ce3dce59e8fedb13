"""The words the habits feature builds from values: dates, clock times and lengths of time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from skill.content.catalog import ContentError, LocaleCatalog, per_catalog

PREFIX = "habits."
MONTHS = 12
SAMPLE_PARAMS: Mapping[str, Any] = {
    "time": "9 p.m.",
    "length": "20 minutes",
    "sealed": "March 10",
    "opens": "June 10",
    "hour": 9,
    "minute": "30",
    "minutes": 20,
    "hours": 1,
    "month": "June",
    "day": 10,
}
"""Every parameter a habits line may use."""


@per_catalog
def month_names(catalog: LocaleCatalog) -> tuple[str, ...]:
    """January to December, from the ``months`` list."""
    raw = catalog.table("months")
    if not isinstance(raw, list) or len(raw) != MONTHS:
        raise ContentError(f"{catalog.locale}: months must list the {MONTHS} month names")
    if not all(isinstance(name, str) and name.strip() for name in raw):
        raise ContentError(f"{catalog.locale}: every month needs a name")
    return tuple(name.strip() for name in raw)


def spoken_date(catalog: LocaleCatalog, day: date) -> str:
    """``June 10``: the locale's line for a month and a day."""
    month = month_names(catalog)[day.month - 1]
    return catalog.plain("habits.words.date", {"month": month, "day": day.day})


def spoken_time(catalog: LocaleCatalog, at: time) -> str:
    """``9 p.m.``, ``8:30 p.m.``, ``12:15 a.m.``."""
    evening = at.hour >= 12
    params = {"hour": at.hour % 12 or 12, "minute": f"{at.minute:02d}"}
    if at.minute == 0:
        return catalog.plain("habits.words.pm" if evening else "habits.words.am", params)
    key = "habits.words.pm_minutes" if evening else "habits.words.am_minutes"
    return catalog.plain(key, params)


def spoken_length(catalog: LocaleCatalog, minutes: int) -> str:
    """``20 minutes``, ``an hour``, ``an hour and 30 minutes``, ``2 hours``."""
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        key = "habits.words.one_minute" if rest == 1 else "habits.words.minutes"
    elif rest == 0:
        key = "habits.words.one_hour" if hours == 1 else "habits.words.hours"
    else:
        key = "habits.words.one_hour_minutes" if hours == 1 else "habits.words.hours_minutes"
    return catalog.plain(key, {"hours": hours, "minutes": rest})


def check(catalog: LocaleCatalog) -> None:
    """Raise ContentError if the month names are missing or a line asks for an unknown value."""
    month_names(catalog)
    for key in catalog.keys(PREFIX):
        try:
            catalog.texts(key, SAMPLE_PARAMS)
        except KeyError as exc:
            raise ContentError(f"{catalog.locale}: habits line {key!r}: {exc}") from None
