"""Count a DynamoDB client's store operations and the capacity they consume.

Hooks go on one botocore client's event system (the harness's, never the product's code):

* ``before-parameter-build``: adds ``ReturnConsumedCapacity="TOTAL"`` to GetItem, PutItem,
  UpdateItem and DeleteItem, so the engine reports what it consumed;
* ``before-call``: records the operation and sizes the items it touches, reading the stored
  item first through a separate, unhooked client;
* ``after-call``: records the engine's reported ``ConsumedCapacity``.

moto reports a constant per operation (GetItem 0.5, PutItem 1.0, whatever the item size or the
read consistency), so the units are also computed by DynamoDB's documented rules from the item
sizes: a strongly consistent read costs ceil(size / 4 KB) read units (at least 1, also for an
item that is not there; an eventually consistent read half that), a write ceil(size / 1 KB)
write units (at least 1), where a PutItem or UpdateItem is sized by the larger of the old and
the new item, and a DeleteItem by the item deleted. Item sizes follow the documented formula:
attribute-name bytes plus value bytes (strings UTF-8, numbers 1 byte per 2 significant digits
plus 1, lists and maps 3 bytes plus their contents, booleans and nulls 1 byte).

Only botocore and the standard library are used, so both the product's and the reference's
virtual environments can import this file.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

READS = {"GetItem": "read"}
WRITES = {"PutItem": "write", "UpdateItem": "write", "DeleteItem": "write"}
METERED = {**READS, **WRITES}
READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024


def number_size(text: str) -> int:
    digits = text.lstrip("+-").lower().split("e")[0].replace(".", "")
    significant = digits.strip("0") or "0"
    return math.ceil(len(significant) / 2) + 1


def value_size(value: dict[str, Any]) -> int:
    ((kind, data),) = value.items()
    if kind == "S":
        return len(data.encode("utf-8"))
    if kind == "N":
        return number_size(data)
    if kind == "B":  # bytes as boto3 takes and returns them; base64 text on the wire
        return len(data) if isinstance(data, bytes | bytearray) else len(base64.b64decode(data))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode("utf-8")) for s in data)
    if kind == "NS":
        return sum(number_size(n) for n in data)
    if kind == "BS":
        return sum(value_size({"B": b}) for b in data)
    if kind == "L":
        return 3 + sum(value_size(v) for v in data)
    if kind == "M":
        return 3 + item_size(data)
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict[str, Any] | None) -> int:
    """Bytes DynamoDB bills for an item in its typed wire form (0 for no item)."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(v) for name, v in item.items())


def read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    return float(units) if consistent else units / 2


def write_units(size: int) -> float:
    return float(max(1, math.ceil(size / WRITE_UNIT_BYTES)))


@dataclass
class Operation:
    name: str
    kind: str  # read | write
    item_bytes: int  # the size the rule bills (old or new item, whichever is larger)
    rule_units: float
    reported_units: float | None = None
    consistent: bool | None = None
    conditional: bool = False
    changed: list[str] = field(default_factory=list)  # what a write changed (JSON-aware)


@dataclass
class Meter:
    """Hooks one client; ``take()`` returns and clears the operations seen since last time."""

    side_client: Any
    operations: list[Operation] = field(default_factory=list)
    _pending: list[Operation] = field(default_factory=list)
    _keys: dict[str, list[str]] = field(default_factory=dict)

    def attach(self, client: Any) -> None:
        events = client.meta.events
        events.register("before-parameter-build.dynamodb", self._ask_for_capacity)
        events.register("before-call.dynamodb", self._before_call)
        events.register("after-call.dynamodb", self._after_call)

    def take(self) -> list[dict[str, Any]]:
        taken = [asdict(op) for op in self.operations]
        self.operations.clear()
        return taken

    def _ask_for_capacity(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in METERED:
            params["ReturnConsumedCapacity"] = "TOTAL"

    def _before_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name not in METERED:
            return
        body = json.loads(params.get("body") or b"{}")
        table = body["TableName"]
        conditional = "ConditionExpression" in body or "Expected" in body
        if model.name == "GetItem":
            consistent = bool(body.get("ConsistentRead"))
            size = item_size(self._stored(table, body["Key"]))
            op = Operation(
                "GetItem", "read", size, read_units(size, consistent), consistent=consistent
            )
        elif model.name == "PutItem":
            new = item_size(body["Item"])
            key = {k: body["Item"][k] for k in self._key_names(table)}
            old_item = self._stored(table, key)
            size = max(new, item_size(old_item))
            op = Operation("PutItem", "write", size, write_units(size), conditional=conditional)
            op.changed = changes(old_item or {}, body["Item"])
        else:  # UpdateItem or DeleteItem: sized by the stored item (new size unknown up front)
            size = item_size(self._stored(table, body["Key"]))
            op = Operation(model.name, "write", size, write_units(size), conditional=conditional)
        self._pending.append(op)

    def _after_call(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if model.name not in METERED or not self._pending:
            return
        op = self._pending.pop()
        consumed = parsed.get("ConsumedCapacity")
        if isinstance(consumed, dict) and "CapacityUnits" in consumed:
            op.reported_units = float(consumed["CapacityUnits"])
        if model.name == "UpdateItem":
            attributes = parsed.get("Attributes")
            if attributes:
                op.item_bytes = max(op.item_bytes, item_size(attributes))
                op.rule_units = write_units(op.item_bytes)
        self.operations.append(op)

    def _key_names(self, table: str) -> list[str]:
        if table not in self._keys:
            described = self.side_client.describe_table(TableName=table)["Table"]
            self._keys[table] = [k["AttributeName"] for k in described["KeySchema"]]
        return self._keys[table]

    def _stored(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        found = self.side_client.get_item(TableName=table, Key=key, ConsistentRead=True)
        item: dict[str, Any] | None = found.get("Item")
        return item


def _plain(value: Any) -> Any:
    """A typed attribute value as plain data; JSON strings are parsed so they diff by field."""
    if not isinstance(value, dict) or len(value) != 1:
        return value
    ((kind, data),) = value.items()
    if kind == "S":
        try:
            parsed = json.loads(data)
        except ValueError:
            return data
        return parsed if isinstance(parsed, (dict, list)) else data
    if kind == "M":
        return {k: _plain(v) for k, v in data.items()}
    if kind == "L":
        return [_plain(v) for v in data]
    return data


def changes(old: dict[str, Any], new: dict[str, Any], depth: int = 3) -> list[str]:
    """Dotted names of the fields that differ between two items (nested maps and JSON)."""

    def walk(a: Any, b: Any, prefix: str, level: int) -> list[str]:
        if a == b:
            return []
        if level < depth and isinstance(a, dict) and isinstance(b, dict):
            found: list[str] = []
            for key in sorted(set(a) | set(b)):
                found += walk(a.get(key), b.get(key), f"{prefix}{key}.", level + 1)
            return found
        return [prefix.rstrip(".")]

    return walk(
        {k: _plain(v) for k, v in old.items()}, {k: _plain(v) for k, v in new.items()}, "", 0
    )


def summarize(operations: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals for one turn: counts, rule-based units and the engine's reported units."""
    reads = [op for op in operations if op["kind"] == "read"]
    writes = [op for op in operations if op["kind"] == "write"]
    reported = [op["reported_units"] for op in operations]
    return {
        "ops": [op["name"] for op in operations],
        "reads": len(reads),
        "writes": len(writes),
        "rru": sum(op["rule_units"] for op in reads),
        "wru": sum(op["rule_units"] for op in writes),
        "item_bytes": max((op["item_bytes"] for op in operations), default=0),
        "reported_read_units": sum(op["reported_units"] or 0 for op in reads),
        "reported_write_units": sum(op["reported_units"] or 0 for op in writes),
        "reported": all(r is not None for r in reported) if reported else None,
        "changed": sorted({name for op in writes for name in op.get("changed", [])}),
    }
