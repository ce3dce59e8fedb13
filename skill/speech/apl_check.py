"""A small checker for the APL documents the skill sends to screens.

It knows only the APL the skill uses: an allow-list of components, commands and
properties (each with the documentation page it comes from and, where later
than 1.0, the APL version that added it), and the data-binding expressions
``${...}`` in the documents. ``document_problems`` checks a document's shape;
``binding_problems`` checks that every ``${payload.x.y}`` (and ``${data.x}``
inside a data-driven Container) is provided by a given datasource, and that
every other name an expression uses is one APL or the document defines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

DOCS = "https://developer.amazon.com/docs/alexa-presentation-language/"
SOURCES: Mapping[str, str] = {
    "document": DOCS + "apl-document.html",
    "resources": DOCS + "apl-resources.html",
    "bind": DOCS + "apl-bound-variables.html",
    "base": DOCS + "apl-component.html",
    "Container": DOCS + "apl-container.html",
    "Text": DOCS + "apl-text.html",
    "Frame": DOCS + "apl-frame.html",
    "TouchWrapper": DOCS + "apl-touchwrapper.html",
    "commands": DOCS + "apl-standard-commands.html",
    "user commands": DOCS + "apl-user-commands.html",
    "Sequential": DOCS + "apl-sequential-command.html",
    "Parallel": DOCS + "apl-parallel-command.html",
    "Idle": DOCS + "apl-idle-command.html",
    "SetValue": DOCS + "apl-set-value-command.html",
    "SendEvent": DOCS + "apl-send-event-command.html",
    "viewport": DOCS + "apl-viewport-property.html",
    "expressions": DOCS + "apl-data-binding-syntax.html",
}
"""Where each part of the allow-list is documented (Alexa developer documentation)."""

DOCUMENT_KEYS = frozenset(
    {"type", "version", "description", "theme", "resources", "commands", "mainTemplate"}
)
RESOURCE_TYPES = frozenset({"colors", "dimensions", "numbers", "strings", "booleans"})
BIND_KEYS = frozenset({"name", "value", "type"})
BASE_PROPERTIES = frozenset(
    {
        "type", "id", "when", "bind", "description", "display", "opacity", "accessibilityLabel",
        "width", "height", "minWidth", "maxWidth", "minHeight", "maxHeight", "spacing",
        "grow", "shrink", "alignSelf", "onMount", "padding", "paddingLeft", "paddingRight",
        "paddingTop", "paddingBottom",
    }
)  # fmt: skip
COMPONENTS: Mapping[str, frozenset[str]] = {
    "Container": frozenset(
        {"item", "items", "data", "direction", "alignItems", "justifyContent", "wrap"}
    ),
    "Text": frozenset(
        {
            "text",
            "fontSize",
            "fontWeight",
            "fontStyle",
            "color",
            "textAlign",
            "textAlignVertical",
            "maxLines",
            "lineHeight",
            "letterSpacing",
        }
    ),
    "Frame": frozenset(
        {"item", "items", "backgroundColor", "borderRadius", "borderWidth", "borderColor"}
    ),
    "TouchWrapper": frozenset({"item", "items", "onPress"}),
}
CHILDREN = ("item", "items")
HANDLERS = ("onMount", "onPress")
DYNAMIC = frozenset(
    {"display", "opacity", "text", "color", "backgroundColor", "borderColor", "accessibilityLabel"}
)
"""Properties SetValue may change (the documentation marks them Dynamic)."""
COMMAND_BASE = frozenset({"type", "delay", "when", "description"})
COMMANDS: Mapping[str, frozenset[str]] = {
    "Sequential": frozenset({"commands", "repeatCount"}),
    "Parallel": frozenset({"commands"}),
    "Idle": frozenset(),
    "SetValue": frozenset({"componentId", "property", "value"}),
    "SendEvent": frozenset({"arguments"}),
}
USER_COMMAND_KEYS = frozenset({"description", "parameters", "commands"})
USER_KEYS_TEXT = ", ".join(sorted(USER_COMMAND_KEYS))
SINCE: Mapping[str, str] = {
    "display": "1.1",
    "accessibilityLabel": "1.1",
    "onMount": "1.1",
    "Container.wrap": "1.4",
}
"""Features added after APL 1.0 (the base component table's "Version added")."""
VIEWPORT = frozenset(
    {"width", "height", "pixelWidth", "pixelHeight", "dpi", "shape", "mode", "theme"}
)
MATH = frozenset({"floor", "ceil", "round", "min", "max", "abs"})
LITERALS = frozenset({"true", "false", "null"})
DATA_NAMES = frozenset({"index", "length"})

EXPRESSION = re.compile(r"\$\{((?:[^{}'\"]|'[^']*'|\"[^\"]*\")*)\}")
TOKEN = re.compile(
    r"'[^']*'|\"[^\"]*\"|@[A-Za-z_]\w*|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|\d+(?:\.\d+)?|\S"
)


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Scope:
    """What names an expression may use where it stands in the document."""

    payload: Any
    resources: frozenset[str]
    binds: frozenset[str] = frozenset()
    data: Any = None
    in_data: bool = False
    parameters: frozenset[str] = frozenset()


@dataclass
class Walk:
    """One check of one document: its version, user commands and where problems were found."""

    document: Mapping[str, Any]
    intents: frozenset[str]
    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    calling: set[str] = field(default_factory=set)

    @property
    def version(self) -> tuple[int, ...]:
        return version_tuple(str(self.document.get("version", "0")))

    def new(self, feature: str, where: str) -> None:
        since = SINCE.get(feature)
        if since and version_tuple(since) > self.version:
            self.problems.append(f"{where}: {feature} needs APL {since}")


# -- the shape of a document ----------------------------------------------------


def document_problems(
    document: Mapping[str, Any], version: str, intents: frozenset[str] = frozenset()
) -> list[str]:
    """Everything wrong with a document's shape (empty when it is fit to send)."""
    walk = Walk(document, intents)
    problems = walk.problems
    if document.get("type") != "APL":
        problems.append("type must be APL")
    if document.get("version") != version:
        problems.append(f"version must be {version}")
    problems += [f"unknown document key {key!r}" for key in set(document) - DOCUMENT_KEYS]
    problems += list(_resource_problems(document.get("resources", [])))
    template = document.get("mainTemplate")
    if not isinstance(template, Mapping) or template.get("parameters") != ["payload"]:
        return [*problems, "mainTemplate must take the one parameter payload"]
    if not isinstance(template.get("item"), Mapping):
        return [*problems, "mainTemplate.item must be one component"]
    _collect_ids(template["item"], walk)
    _component(template["item"], "item", walk)
    for name, definition in _user_commands(document).items():
        extra = set(definition) - USER_COMMAND_KEYS
        if extra or not isinstance(definition.get("commands"), list):
            problems.append(f"commands.{name}: needs commands, and takes only {USER_KEYS_TEXT}")
    return problems


def _resource_problems(blocks: Any) -> Iterator[str]:
    if not isinstance(blocks, list):
        yield "resources must be a list of blocks"
        return
    for index, block in enumerate(blocks):
        if not isinstance(block, Mapping):
            yield f"resources[{index}] must be a block"
            continue
        for key in set(block) - RESOURCE_TYPES - {"when", "description"}:
            yield f"resources[{index}]: unknown resource type {key!r}"


def _user_commands(document: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    commands = document.get("commands", {})
    return commands if isinstance(commands, Mapping) else {}


def _collect_ids(item: Mapping[str, Any], walk: Walk) -> None:
    ident = item.get("id")
    if isinstance(ident, str):
        bound = item.get("bind", [])
        walk.ids[ident] = frozenset(str(b.get("name")) for b in bound if isinstance(b, Mapping))
    for child in _children(item):
        _collect_ids(child, walk)


def _children(item: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for name in CHILDREN:
        value = item.get(name)
        for child in value if isinstance(value, list) else [value] if value else []:
            if isinstance(child, Mapping):
                yield child


def _component(item: Mapping[str, Any], where: str, walk: Walk) -> None:
    kind = item.get("type")
    allowed = COMPONENTS.get(str(kind))
    if allowed is None:
        walk.problems.append(f"{where}: component {kind!r} is not on the allow-list")
        return
    for name in item:
        if name not in allowed and name not in BASE_PROPERTIES:
            walk.problems.append(f"{where}: {kind} has no property {name!r} on the allow-list")
        walk.new(name, where)
        walk.new(f"{kind}.{name}", where)
    for binding in item.get("bind", []):
        if not isinstance(binding, Mapping) or set(binding) - BIND_KEYS or "name" not in binding:
            walk.problems.append(f"{where}: a binding takes only {sorted(BIND_KEYS)}")
    for handler in HANDLERS:
        for index, command in enumerate(item.get(handler, [])):
            _command(command, f"{where}.{handler}[{index}]", walk)
    for index, child in enumerate(_children(item)):
        _component(child, f"{where}.{kind}[{index}]", walk)


def _command(command: Any, where: str, walk: Walk) -> None:
    if not isinstance(command, Mapping):
        walk.problems.append(f"{where}: a command must be an object")
        return
    kind = str(command.get("type"))
    if kind in _user_commands(walk.document):
        _user_command(kind, walk)
        return
    allowed = COMMANDS.get(kind)
    if allowed is None:
        walk.problems.append(f"{where}: command {kind!r} is not on the allow-list")
        return
    for name in set(command) - allowed - COMMAND_BASE:
        walk.problems.append(f"{where}: {kind} has no property {name!r} on the allow-list")
    if kind == "SetValue":
        _set_value(command, where, walk)
    if kind == "SendEvent":
        arguments = command.get("arguments")
        if not isinstance(arguments, list) or not arguments or arguments[0] not in walk.intents:
            walk.problems.append(f"{where}: SendEvent must name one of {sorted(walk.intents)}")
    for index, inner in enumerate(command.get("commands", [])):
        _command(inner, f"{where}.commands[{index}]", walk)


def _user_command(kind: str, walk: Walk) -> None:
    """Check a user-defined command's body once per call chain (it may call itself)."""
    if kind in walk.calling:
        return
    walk.calling.add(kind)
    for index, inner in enumerate(_user_commands(walk.document)[kind].get("commands", [])):
        _command(inner, f"commands.{kind}[{index}]", walk)
    walk.calling.discard(kind)


def _set_value(command: Mapping[str, Any], where: str, walk: Walk) -> None:
    target, prop = command.get("componentId"), command.get("property")
    if target not in walk.ids:
        walk.problems.append(f"{where}: SetValue names no component of the document: {target!r}")
    elif prop not in walk.ids[str(target)] and prop not in DYNAMIC:
        walk.problems.append(f"{where}: {prop!r} is neither a binding of {target} nor dynamic")


# -- data bindings ------------------------------------------------------------------


def binding_problems(document: Mapping[str, Any], datasources: Mapping[str, Any]) -> list[str]:
    """Names in the document's expressions that neither the datasource nor APL provides."""
    resources = frozenset(
        name
        for block in document.get("resources", [])
        for kind in RESOURCE_TYPES
        for name in block.get(kind, {})
    )
    top = Scope(payload=datasources, resources=resources)
    found: list[str] = []
    for index, block in enumerate(document.get("resources", [])):
        found += _expressions(block.get("when"), f"resources[{index}].when", top)
    template = document.get("mainTemplate", {})
    item = template.get("item") if isinstance(template, Mapping) else None
    if isinstance(item, Mapping):
        found += _component_bindings(item, "item", top, document)
    return sorted(set(found))


def _component_bindings(
    item: Mapping[str, Any], where: str, scope: Scope, document: Mapping[str, Any]
) -> list[str]:
    binds = [b for b in item.get("bind", []) if isinstance(b, Mapping)]
    found: list[str] = []
    for binding in binds:
        found += _expressions(binding.get("value"), f"{where}.bind", scope)
        scope = replace(scope, binds=scope.binds | {str(binding.get("name"))})
    for name, value in item.items():
        if name in (*CHILDREN, *HANDLERS, "bind", "data"):
            continue
        found += _expressions(value, f"{where}.{name}", scope)
    for handler in HANDLERS:
        for command in item.get(handler, []):
            found += _command_bindings(command, f"{where}.{handler}", scope, document, set())
    children = list(_children(item))
    if "data" not in item:
        for index, child in enumerate(children):
            found += _component_bindings(child, f"{where}[{index}]", scope, document)
        return found
    return found + _data_bindings(item["data"], children, where, scope, document)


def _data_bindings(
    data: Any,
    children: list[Mapping[str, Any]],
    where: str,
    scope: Scope,
    document: Mapping[str, Any],
) -> list[str]:
    """A data-driven Container: its children are checked against every row of the data."""
    found = _expressions(data, f"{where}.data", scope)
    rows = _value_at(data, scope)
    if not isinstance(rows, list):
        return [*found, f"{where}.data: the datasource gives no list here"]
    for row in rows:
        inner = replace(scope, data=row, in_data=True)
        for child in children:
            found += _component_bindings(child, f"{where}.item", inner, document)
    return found


def _command_bindings(
    command: Any, where: str, scope: Scope, document: Mapping[str, Any], calling: set[str]
) -> list[str]:
    if not isinstance(command, Mapping):
        return []
    found: list[str] = []
    for name, value in command.items():
        if name != "commands":
            found += _expressions(value, f"{where}.{command.get('type')}.{name}", scope)
    kind = str(command.get("type"))
    inner = list(command.get("commands", []))
    user = _user_commands(document).get(kind)
    if user is not None and kind not in calling:
        calling = calling | {kind}
        params = frozenset(str(p) for p in user.get("parameters", []))
        scope = replace(scope, parameters=scope.parameters | params)
        inner = list(user.get("commands", []))
    for each in inner:
        found += _command_bindings(each, where, scope, document, calling)
    return found


def _expressions(value: Any, where: str, scope: Scope) -> list[str]:
    found: list[str] = []
    if isinstance(value, str):
        if value.startswith("@") and value[1:] not in scope.resources:
            found.append(f"{where}: no resource {value!r}")
        for expression in EXPRESSION.findall(value):
            found += [f"{where}: {problem}" for problem in _names(expression, scope)]
    elif isinstance(value, list):
        for each in value:
            found += _expressions(each, where, scope)
    elif isinstance(value, Mapping):
        for name, each in value.items():
            found += _expressions(each, f"{where}.{name}", scope)
    return found


def _names(expression: str, scope: Scope) -> Iterator[str]:
    for token in TOKEN.findall(expression):
        if token[0] in "'\"" or token[0].isdigit() or not (token[0].isalpha() or token[0] in "_@"):
            continue
        if token.startswith("@"):
            if token[1:] not in scope.resources:
                yield f"no resource {token!r}"
            continue
        problem = _name_problem(token.split("."), scope)
        if problem:
            yield problem


def _name_problem(path: list[str], scope: Scope) -> str | None:
    root = path[0]
    if root in LITERALS or root in scope.binds or root in scope.parameters:
        return None
    if root == "Math":
        return None if len(path) == 2 and path[1] in MATH else f"no Math function {'.'.join(path)}"
    if root == "viewport":
        return None if len(path) == 2 and path[1] in VIEWPORT else f"no {'.'.join(path)}"
    if root in DATA_NAMES or root == "data":
        if not scope.in_data:
            return f"{root} is only defined inside a data-driven Container"
        if root == "data" and _lookup(scope.data, path[1:]) is _MISSING:
            return f"the datasource row gives no {'.'.join(path)}"
        return None
    if root == "payload":
        if _lookup(scope.payload, path[1:]) is _MISSING:
            return f"the datasource gives no {'.'.join(path)}"
        return None
    return f"unknown name {root!r}"


_MISSING = object()


def _lookup(value: Any, path: list[str]) -> Any:
    for name in path:
        if not isinstance(value, Mapping) or name not in value:
            return _MISSING
        value = value[name]
    return value


def _value_at(value: Any, scope: Scope) -> Any:
    """The datasource value a whole-string ``${payload.a.b}`` names, or None."""
    match = EXPRESSION.fullmatch(value) if isinstance(value, str) else None
    path = match.group(1).strip().split(".") if match else []
    if len(path) > 1 and path[0] == "payload":
        found = _lookup(scope.payload, path[1:])
        return None if found is _MISSING else found
    return None
