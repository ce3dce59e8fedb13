"""The check-in's transition table as a grid: a row per phase, a column per event.

``closer check-in-table`` prints it; ``docs/check-in-table.md`` is its output, kept current
by a test.
"""

from __future__ import annotations

from skill.domain.check_in import ROWS, Event, Jump, Phase, Target

NO_MOVE = "·"
JUMPS = {Jump.BACK: "(back)", Jump.PAST: "(past)"}
HEADER = """# The check-in's transition table

Each row is the phase a household is in; each column an event (what they said, or the
time running out). A cell names the phase the event leads to. `(back)` returns to the step a
hold, pause, breathing minute or stop interrupted, with the time it had left; `(past)` skips
that step; `·` means the event does not fit the phase and the skill stays with the current
step. Generated from `skill/domain/check_in/table.py` by `closer check-in-table`.
"""


def cell(goal: Target | None) -> str:
    if goal is None:
        return NO_MOVE
    if isinstance(goal, Jump):
        return JUMPS[goal]
    return goal.value


def grid() -> str:
    """The table in Markdown."""
    events = list(Event)
    lines = [
        "| phase | " + " | ".join(event.value for event in events) + " |",
        "|---|" + "---|" * len(events),
    ]
    for phase in Phase:
        row = ROWS.get(phase, {})
        cells = (cell(row.get(event)) for event in events)
        lines.append(f"| **{phase.value}** | " + " | ".join(cells) + " |")
    return HEADER + "\n" + "\n".join(lines) + "\n"
