"""What the store work costs, from the bench's own unit counts (``capacity``: read and write
units per turn by DynamoDB's rules from the item sizes the run produced).

* per turn kind: read and write units of every measured turn, and dollars per million turns;
* per month: households x three turns a night x 30 nights, for two kinds of night:
  ``read_mostly`` (launch, tonight's question, plan week: the three turns of
  ``night/read_mostly``), and ``question_or_check_in``: three turns a night drawn evenly from
  launch, next question, check-in start and check-in finish (measured in
  ``night/question_or_check_in``, where every one of them writes in both apps; the turns inside a
  check-in between its start and its finish are measured and listed but not priced).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

HOUSEHOLDS = (100_000, 1_000_000)
TURNS_PER_NIGHT = 3
NIGHTS_PER_MONTH = 30
PRICES = {
    "region": "us-east-1, Standard table class, on-demand",
    "usd_per_million_rru": 0.125,
    "usd_per_million_wru": 0.625,
    "usd_per_gb_month": 0.25,
    "source": "AWS DynamoDB on-demand pricing for us-east-1 (after the November 2024 price "
    "cut); assumed, check the pricing page before relying on it",
}
NIGHTS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "read_mostly": ("night/read_mostly", ("launch", "tonight's question", "plan week")),
    "question_or_check_in": (
        "night/question_or_check_in",
        ("launch", "next question", "check-in start", "check-in finish"),
    ),
}
APPS = ("product", "reference")


def usd(rru: float, wru: float) -> float:
    """Dollars for ``rru`` read units and ``wru`` write units."""
    return (rru * PRICES["usd_per_million_rru"] + wru * PRICES["usd_per_million_wru"]) / 1e6


def _turns(scenario: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    labels = scenario.get("labels") or []
    turns = scenario["turns"]
    if len(turns) == 1:
        return [(scenario["name"], turns[0])]
    return [
        (f"{scenario['name']} #{i + 1}" + (f" {labels[i]}" if i < len(labels) else ""), turn)
        for i, turn in enumerate(turns)
    ]


def _unit(turn: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "ops": turn["ops"],
        "rru": turn["rru"],
        "wru": turn["wru"],
        "item_bytes": turn["item_bytes"],
        "usd_per_million_turns": round(usd(turn["rru"], turn["wru"]) * 1e6, 4),
    }


def per_turn(capacity: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """One row per measured turn: the product's and the reference's units and price."""
    reference = {s["name"]: s for s in capacity["reference"]}
    rows = []
    for scenario in capacity["product"]:
        other = dict(_turns(reference[scenario["name"]]))
        for name, turn in _turns(scenario):
            rows.append({"turn": name, "product": _unit(turn), "reference": _unit(other[name])})
    return rows


def night_units(scenario: Mapping[str, Any], labels: Sequence[str]) -> dict[str, float]:
    """Read and write units of one household-night: three turns, each the mean of ``labels``."""
    chosen = [
        t for label, t in zip(scenario["labels"], scenario["turns"], strict=True) if label in labels
    ]
    if len(chosen) != len(labels):
        raise ValueError(f"{scenario['name']}: turns {labels} not all measured")
    scale = TURNS_PER_NIGHT / len(chosen)
    return {
        "rru": round(scale * sum(t["rru"] for t in chosen), 3),
        "wru": round(scale * sum(t["wru"] for t in chosen), 3),
        "item_bytes": max(t["item_bytes"] for t in chosen),
    }


def monthly(units: Mapping[str, float], households: int) -> dict[str, float]:
    rru = units["rru"] * households * NIGHTS_PER_MONTH
    wru = units["wru"] * households * NIGHTS_PER_MONTH
    storage = units["item_bytes"] * households / 1e9 * PRICES["usd_per_gb_month"]
    return {
        "rru_millions": round(rru / 1e6, 3),
        "wru_millions": round(wru / 1e6, 3),
        "usd_reads": round(usd(rru, 0), 2),
        "usd_writes": round(usd(0, wru), 2),
        "usd_per_month": round(usd(rru, wru), 2),
        "usd_storage_per_month": round(storage, 2),
    }


def model(capacity: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """The whole cost model: assumptions, per turn kind, and per night and month."""
    nights: dict[str, Any] = {}
    for night, (scenario_name, labels) in NIGHTS.items():
        entry: dict[str, Any] = {"scenario": scenario_name, "turns": list(labels)}
        for app in APPS:
            scenario = next(s for s in capacity[app] if s["name"] == scenario_name)
            entry[app] = night_units(scenario, labels)
        entry["monthly"] = {}
        for households in HOUSEHOLDS:
            month = {app: monthly(entry[app], households) for app in APPS}
            ref = month["reference"]["usd_per_month"]
            month["product_reference"] = (
                round(month["product"]["usd_per_month"] / ref, 3) if ref else None
            )
            entry["monthly"][str(households)] = month
        nights[night] = entry
    return {
        "assumptions": {
            "households": list(HOUSEHOLDS),
            "turns_per_night": TURNS_PER_NIGHT,
            "nights_per_month": NIGHTS_PER_MONTH,
            **PRICES,
            "units": "by DynamoDB's rules from the item sizes of this run (strongly consistent "
            "reads ceil(size/4 KB), writes ceil(size/1 KB), at least 1 each)",
        },
        "per_turn": per_turn(capacity),
        "nights": nights,
    }
