"""Handlers for the check_in feature."""

from __future__ import annotations

from skill.handlers.base import Handler

HANDLERS: tuple[Handler, ...] = ()
