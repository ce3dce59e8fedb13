"""Configuration from CLOSER_* environment variables (see the README's table)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from skill.domain.clock import zone_or_none

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STORES = ("sqlite", "dynamodb")


class SettingsError(ValueError):
    """The configuration cannot work; the message says which variable to fix."""


def default_sqlite_path(env: Mapping[str, str]) -> Path:
    data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "closer-together" / "households.db"


@dataclass(frozen=True)
class Settings:
    skill_id: str | None = None
    verify: bool = True
    store: str = "sqlite"
    sqlite_path: Path = Path("households.db")
    dynamodb_table: str = "closer-together"
    dynamodb_endpoint_url: str | None = None
    aws_region: str | None = None
    default_timezone: str = "America/New_York"
    content_dir: Path = PROJECT_ROOT / "content"
    household_secret: str | None = field(default=None, repr=False)
    """HMAC secret of the household keys (``skill.store.keys``); None: the built-in one."""
    household_secret_previous: str | None = field(default=None, repr=False)
    """The secret before a rotation: households still under it move on their next read."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        verify = env.get("CLOSER_VERIFY", "on").strip().lower()
        if verify not in ("on", "off"):
            raise SettingsError("CLOSER_VERIFY must be 'on' or 'off'")
        return cls(
            skill_id=env.get("CLOSER_SKILL_ID") or None,
            verify=verify == "on",
            store=env.get("CLOSER_STORE", "sqlite").strip().lower(),
            sqlite_path=Path(env.get("CLOSER_SQLITE_PATH") or default_sqlite_path(env)),
            dynamodb_table=env.get("CLOSER_DYNAMODB_TABLE") or "closer-together",
            dynamodb_endpoint_url=env.get("CLOSER_DYNAMODB_ENDPOINT_URL") or None,
            aws_region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None,
            default_timezone=env.get("CLOSER_DEFAULT_TIMEZONE") or "America/New_York",
            content_dir=Path(env.get("CLOSER_CONTENT_DIR") or PROJECT_ROOT / "content"),
            household_secret=env.get("CLOSER_HOUSEHOLD_SECRET") or None,
            household_secret_previous=env.get("CLOSER_HOUSEHOLD_SECRET_PREVIOUS") or None,
        )

    def check(self) -> None:
        if self.verify and not self.skill_id:
            raise SettingsError(
                "CLOSER_SKILL_ID is required while verification is on "
                "(set CLOSER_VERIFY=off only for local development)"
            )
        if self.store not in STORES:
            raise SettingsError(f"CLOSER_STORE must be one of {', '.join(STORES)}")
        if self.store == "dynamodb" and not self.aws_region:
            raise SettingsError("AWS_REGION is required when CLOSER_STORE=dynamodb")
        if self.household_secret is not None and len(self.household_secret) < 16:
            raise SettingsError("CLOSER_HOUSEHOLD_SECRET must be at least 16 characters")
        if zone_or_none(self.default_timezone) is None:
            raise SettingsError(f"CLOSER_DEFAULT_TIMEZONE {self.default_timezone!r} is not a zone")
