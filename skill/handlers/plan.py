"""Handlers for the plan feature."""

from __future__ import annotations

from skill.handlers.base import Handler

HANDLERS: tuple[Handler, ...] = ()
