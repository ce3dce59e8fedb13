"""ask-sdk's ``Serializer``, built once per app: the same models in and out, for less work.

``DefaultSerializer`` resolves every model class by ``__import__`` on each request (about a
dozen per request), parses timestamps with dateutil and re-reads the attribute maps of every
object. This one works out a reader per type name once (model class, field list, discriminator)
and reuses it, parses ISO timestamps with ``datetime.fromisoformat`` (the envelope reader has
already refused any other), and takes an envelope already parsed by the verifier
(``from_data``), so the body is parsed once. Its results are the objects DefaultSerializer
builds; the tests compare the two.
"""

from __future__ import annotations

import decimal
import importlib
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model.services.serializer import Serializer

__all__ = ["ModelSerializer"]

Reader = Callable[[Any], Any]
PRIMITIVES = (float, bool, bytes, str, int)
_NATIVE: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool, "long": int}
_LIST = re.compile(r"list\[(.*)\]")
_DICT = re.compile(r"dict\(([^,]*), (.*)\)")


class ModelSerializer(Serializer):
    def __init__(self) -> None:
        self._readers: dict[str, Reader] = {}
        self._classes: dict[str, type] = {}
        self._fields: dict[type, tuple[tuple[str, str], ...]] = {}

    # -- in -------------------------------------------------------------------------------

    def deserialize(self, payload: str | None, obj_type: Any) -> Any:
        if payload is None:
            return None
        try:
            data = json.loads(payload)
        except Exception:
            raise SerializationException("Couldn't parse response body") from None
        return self.from_data(data, obj_type)

    def from_data(self, data: Any, obj_type: Any) -> Any:
        """Build the model of ``obj_type`` from data already parsed from JSON."""
        try:
            return self._read(data, obj_type)
        except SerializationException:
            raise
        except Exception as exc:
            raise SerializationException(str(exc)) from None

    def _read(self, data: Any, obj_type: Any) -> Any:
        if data is None:
            return None
        if isinstance(obj_type, str):
            reader = self._readers.get(obj_type)
            if reader is None:
                reader = self._readers[obj_type] = self._reader(obj_type)
            return reader(data)
        return self._model(data, obj_type)

    def _reader(self, name: str) -> Reader:
        listed, mapped = _LIST.match(name), _DICT.match(name)
        if name.startswith("list["):
            if listed is None:
                return lambda data: []
            inner = listed.group(1)
            if "," in inner:
                kinds = [kind.strip() for kind in inner.split(",")]
                return lambda data: [self._read(v, k) for v, k in zip(data, kinds, strict=False)]
            kind = inner.strip()
            return lambda data: [self._read(item, kind) for item in data]
        if name.startswith("dict("):
            if mapped is None:
                return lambda data: {}
            kind = mapped.group(2)
            return lambda data: {key: self._read(value, kind) for key, value in data.items()}
        if name in _NATIVE:
            return _primitive(_NATIVE[name])
        if name == "object":
            return lambda data: data
        if name in ("datetime", "date"):
            return _timestamp if name == "datetime" else lambda data: _timestamp(data).date()
        cls = self._class(name)
        return lambda data: self._model(data, cls)

    def _class(self, name: str) -> type:
        cls = self._classes.get(name)
        if cls is None:
            module, _, attribute = name.rpartition(".")
            try:
                cls = getattr(importlib.import_module(module), attribute)
            except Exception as exc:
                raise SerializationException(f"Unable to resolve class {name}: {exc}") from None
            self._classes[name] = cls
        return cls

    def _model(self, data: Any, cls: Any) -> Any:
        if cls in PRIMITIVES:
            return _primitive(cls)(data)
        if isinstance(cls, type) and issubclass(cls, Enum):
            return cls(data)
        if cls is object or not hasattr(cls, "deserialized_types"):
            return data
        if hasattr(cls, "get_real_child_model"):
            child = cls.get_real_child_model(data)
            if not child:
                raise SerializationException(f"Couldn't resolve object by discriminator for {cls}")
            cls = self._class(child)
        model = cls()
        types = cls.deserialized_types
        known = self._field_names(cls)
        for attribute, key in known:
            if key in data:
                setattr(model, attribute, self._read(data[key], types[attribute]))
        keys = {key for _, key in known}
        for extra in data:
            if extra not in keys:
                setattr(model, extra, data[extra])
        return model

    def _field_names(self, cls: Any) -> tuple[tuple[str, str], ...]:
        """(attribute, JSON key) of a model class: its attribute_map, then any other field."""
        names = self._fields.get(cls)
        if names is None:
            mapping = dict(getattr(cls, "attribute_map", {}))
            mapping.update({name: name for name in cls.deserialized_types if name not in mapping})
            names = self._fields[cls] = tuple(mapping.items())
        return names

    # -- out ------------------------------------------------------------------------------

    def serialize(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, PRIMITIVES):
            return obj
        if isinstance(obj, list):
            return [self.serialize(item) for item in obj]
        if isinstance(obj, dict):
            return {key: self.serialize(value) for key, value in obj.items()}
        if isinstance(obj, tuple):
            return tuple(self.serialize(item) for item in obj)
        if isinstance(obj, datetime | date):
            return obj.isoformat()
        if isinstance(obj, Enum):
            return obj.value
        if isinstance(obj, decimal.Decimal):
            return int(obj) if obj % 1 == 0 else float(obj)
        out: dict[str, Any] = {}
        for attribute, key in self._field_names(type(obj)):
            value = getattr(obj, attribute)
            if value is not None:
                out[key] = self.serialize(value)
        return out


def _primitive(kind: type) -> Reader:
    def cast(data: Any) -> Any:
        try:
            return kind(data)
        except TypeError:
            return data
        except ValueError:
            raise SerializationException(f"Failed to parse into '{kind.__name__}'") from None

    return cast


def _timestamp(data: Any) -> datetime:
    """ISO 8601, as Alexa writes every timestamp (the envelope reader refuses anything else)."""
    try:
        return datetime.fromisoformat(data)
    except (TypeError, ValueError):
        raise SerializationException(f"Failed to parse {data!r} into a datetime") from None
