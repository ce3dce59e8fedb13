"""The household: everything Closer Together remembers for one Alexa account."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from skill.domain.check_in import CheckInRecord
from skill.domain.plan import PlanState
from skill.domain.questions import QuestionProgress
from skill.domain.stored import read_count, read_date, read_map

MAX_NAMES = 2


@dataclass(frozen=True)
class Household:
    """A household's state. Small and bounded: counters and the last few records only."""

    visits: int = 0
    first_seen: date | None = None
    last_seen: date | None = None
    timezone: str | None = None
    timezone_checked: date | None = None
    names: tuple[str, ...] = ()
    questions: QuestionProgress = field(default_factory=QuestionProgress)
    check_in: CheckInRecord = field(default_factory=CheckInRecord)
    plan: PlanState = field(default_factory=PlanState)

    @property
    def is_new(self) -> bool:
        """Never opened the skill and never used any feature."""
        return self.first_seen is None and self.to_data().keys() <= {"visits", "tz", "tz_checked"}

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"visits": self.visits}
        if self.first_seen:
            data["first_seen"] = self.first_seen.isoformat()
        if self.last_seen:
            data["last_seen"] = self.last_seen.isoformat()
        if self.timezone:
            data["tz"] = self.timezone
        if self.timezone_checked:
            data["tz_checked"] = self.timezone_checked.isoformat()
        if self.names:
            data["names"] = list(self.names)
        for name, part in (
            ("questions", self.questions.to_data()),
            ("check_in", self.check_in.to_data()),
            ("plan", self.plan.to_data()),
        ):
            if part:
                data[name] = part
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Household:
        return cls(
            visits=read_count(data.get("visits")),
            first_seen=read_date(data.get("first_seen")),
            last_seen=read_date(data.get("last_seen")),
            timezone=data.get("tz") if isinstance(data.get("tz"), str) else None,
            timezone_checked=read_date(data.get("tz_checked")),
            names=tuple(n for n in data.get("names", ()) if isinstance(n, str))[:MAX_NAMES],
            questions=QuestionProgress.from_data(read_map(data.get("questions"))),
            check_in=CheckInRecord.from_data(read_map(data.get("check_in"))),
            plan=PlanState.from_data(read_map(data.get("plan"))),
        )
