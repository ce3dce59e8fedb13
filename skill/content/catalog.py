"""Everything the skill says, loaded from content/<locale>/*.toml and checked at start-up.

A content file holds a ``[speech]`` table of keyed lines (nested tables flatten to
dotted keys; a value is one line or a list of variations) and any number of
data tables (questions, plan weeks, rituals) that the features read and check.
en-US is the base; any other locale directory only overrides what it needs.
Unknown locales fall back to en-US.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast
from xml.sax.saxutils import escape

T = TypeVar("T")

BASE_LOCALE = "en-US"
ALLOWED_TAG = re.compile(r'<break time="\d{1,4}ms"/>|<break strength="(?:weak|medium|strong)"/>')
PLACEHOLDER = re.compile(r"^[a-z_][a-z0-9_]*$")
TAG = re.compile(r"<[^>]*>")
LOCALE_DIR = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
"""Locale directories are named like en-GB; anything else under content/ is not a locale."""


class ContentError(Exception):
    """The content on disk is not fit to speak; the app refuses to start."""


Variants = tuple[str, ...]


class Chooser(Protocol):
    """Picks which variation of a line is said (see ``skill.speech.variants``)."""

    def index(self, key: str, count: int) -> int: ...

    def key(self, key: str) -> str: ...


@dataclass(frozen=True)
class LocaleCatalog:
    locale: str
    lines: Mapping[str, Variants]
    tables: Mapping[str, Any] = field(default_factory=dict)
    _parsed: dict[Callable[..., Any], Any] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    _needs: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def parsed(self, parse: Callable[[LocaleCatalog], T]) -> T:
        """``parse(self)``, worked out once: content does not change while the app runs."""
        if parse not in self._parsed:
            self._parsed[parse] = parse(self)
        return cast(T, self._parsed[parse])

    def has(self, key: str) -> bool:
        return key in self.lines

    def can_say(self, key: str, params: Mapping[str, Any]) -> bool:
        """True when ``key`` exists and ``params`` name every placeholder it needs (a session
        attribute may name a key from before a deploy that removed or re-parameterised it)."""
        if key not in self.lines:
            return False
        needs = self._needs.get(key)
        if needs is None:
            needs = self._needs[key] = _placeholders(self.lines[key])
        return all(name in params for name in needs)

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The keys a feature needs that this catalog lacks, in the order given."""
        return [key for key in keys if key not in self.lines]

    def keys(self, prefix: str = "") -> tuple[str, ...]:
        """Every key, or those under a prefix, in sorted order."""
        return tuple(sorted(key for key in self.lines if key.startswith(prefix)))

    def variants(self, key: str) -> Variants:
        try:
            return self.lines[key]
        except KeyError:
            raise KeyError(f"no content for key {key!r} in {self.locale}") from None

    def text(
        self, key: str, params: Mapping[str, Any] | None = None, chooser: Chooser | None = None
    ) -> str:
        """The SSML fragment for a key, parameters escaped: the first variation, or the one
        ``chooser`` picks (worded for the time of day when the catalog has such a line)."""
        if chooser is not None and self.has(chooser.key(key)):
            key = chooser.key(key)
        options = self.variants(key)
        chosen = options[0] if chooser is None else options[chooser.index(key, len(options))]
        safe = {name: escape(str(value)) for name, value in (params or {}).items()}
        return chosen.format_map(_Strict(key, safe))

    def texts(self, key: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """Every variation of a key as SSML fragments, parameters escaped."""
        safe = {name: escape(str(value)) for name, value in (params or {}).items()}
        return [variant.format_map(_Strict(key, safe)) for variant in self.variants(key)]

    def plain(self, key: str, params: Mapping[str, Any] | None = None) -> str:
        """The first variation as plain text (cards, logs of keys in tests)."""
        return unescape_ssml(TAG.sub("", self.text(key, params)))

    def table(self, name: str) -> Any:
        try:
            return self.tables[name]
        except KeyError:
            raise ContentError(f"{self.locale}: no [{name}] table in the content") from None


def per_catalog(parse: Callable[[LocaleCatalog], T]) -> Callable[[LocaleCatalog], T]:
    """Decorate a reader of content tables so each locale's catalog parses them once."""

    @functools.wraps(parse)
    def once(catalog: LocaleCatalog) -> T:
        return catalog.parsed(parse)

    return once


class _Strict(dict[str, str]):
    def __init__(self, key: str, values: Mapping[str, str]) -> None:
        super().__init__(values)
        self.key = key

    def __missing__(self, name: str) -> str:
        raise KeyError(f"content key {self.key!r} needs parameter {name!r}")


@dataclass(frozen=True)
class Catalog:
    """All locales. ``for_locale`` never fails: unknown locales get en-US."""

    locales: Mapping[str, LocaleCatalog]

    def for_locale(self, locale: str | None) -> LocaleCatalog:
        if locale and locale in self.locales:
            return self.locales[locale]
        return self.locales[BASE_LOCALE]

    @property
    def base(self) -> LocaleCatalog:
        return self.locales[BASE_LOCALE]


def unescape_ssml(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def load_catalog(content_dir: Path) -> Catalog:
    """Load and check every locale under content_dir. Raises ContentError with a clear message."""
    base_dir = content_dir / BASE_LOCALE
    if not base_dir.is_dir():
        raise ContentError(f"missing base content directory {base_dir}")
    base_lines, base_tables = _read_locale(base_dir)
    locales = {BASE_LOCALE: LocaleCatalog(BASE_LOCALE, base_lines, base_tables)}
    for locale_dir in sorted(p for p in content_dir.iterdir() if LOCALE_DIR.match(p.name)):
        if locale_dir.name == BASE_LOCALE:
            continue
        lines, tables = _read_locale(locale_dir)
        for key, variants in lines.items():
            if key not in base_lines:
                raise ContentError(f"{locale_dir.name}: key {key!r} is not in {BASE_LOCALE}")
            if _placeholders(variants) != _placeholders(base_lines[key]):
                raise ContentError(
                    f"{locale_dir.name}: key {key!r} uses other placeholders than {BASE_LOCALE}"
                )
        locales[locale_dir.name] = LocaleCatalog(
            locale_dir.name, {**base_lines, **lines}, {**base_tables, **tables}
        )
    return Catalog(locales)


def _read_locale(directory: Path) -> tuple[dict[str, Variants], dict[str, Any]]:
    lines: dict[str, Variants] = {}
    tables: dict[str, Any] = {}
    for path in sorted(directory.glob("*.toml")):
        where = f"{directory.name}/{path.name}"
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ContentError(f"{where}: not valid TOML ({exc})") from None
        for key, value in _flatten(document.pop("speech", {}), ""):
            if key in lines:
                raise ContentError(f"{where}: key {key!r} is defined twice")
            lines[key] = _check_line(where, key, value)
        for name, value in document.items():
            if name in tables:
                raise ContentError(f"{where}: table [{name}] is defined twice")
            tables[name] = value
    return lines, tables


def _flatten(table: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, Any]]:
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from _flatten(value, key + ".")
        else:
            yield key, value


def _check_line(where: str, key: str, value: Any) -> Variants:
    variants = (value,) if isinstance(value, str) else value
    if (
        not isinstance(variants, list | tuple)
        or not variants
        or not all(isinstance(v, str) and v.strip() for v in variants)
    ):
        raise ContentError(f"{where}: {key!r} must be a line or a non-empty list of lines")
    for text in variants:
        check_ssml_safe(text, f"{where}: {key!r}")
        names = _placeholders((text,))
        bad = [n for n in names if not PLACEHOLDER.match(n)]
        if bad:
            raise ContentError(f"{where}: {key!r} has a bad placeholder {bad[0]!r}")
    if len({_placeholders((v,)) for v in variants}) != 1:
        raise ContentError(f"{where}: {key!r} variations use different placeholders")
    return tuple(variants)


def table_text(where: str, table: Mapping[str, Any], name: str) -> str:
    """A required, speakable text field of a content data table."""
    value = table.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: {name} is missing or empty")
    check_ssml_safe(value, f"{where}: {name}")
    return value.strip()


def check_ssml_safe(text: str, where: str) -> None:
    """Only short pauses are allowed as markup; no raw &, < or >."""
    stripped = ALLOWED_TAG.sub("", text)
    for char in "<>&":
        if char in stripped:
            raise ContentError(f"{where}: unescaped {char!r} in {text!r}")


def _placeholders(variants: Variants) -> frozenset[str]:
    names: set[str] = set()
    for text in variants:
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError as exc:
            raise ContentError(f"bad placeholder syntax in {text!r}: {exc}") from None
        names.update(name for _, name, _, _ in parsed if name is not None)
    return frozenset(names)
