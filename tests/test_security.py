"""Limits and hygiene: no debug outside --dev, no committed secrets, no undeclared interfaces."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
SECRETS = re.compile(
    r"AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|aws_secret_access_key\s*=\s*\S{20,}"
)


def test_the_app_never_runs_in_debug_mode(app: Flask) -> None:
    assert not app.debug
    assert app.test_client().get("/alexa").status_code == 405
    assert app.test_client().put("/alexa", data=b"{}").status_code == 405


def test_no_secrets_are_committed() -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = [
        name
        for name in files
        if (ROOT / name).is_file()
        and SECRETS.search((ROOT / name).read_text(encoding="utf-8", errors="ignore"))
    ]
    assert not found


def test_the_manifest_declares_no_can_fulfill_interface() -> None:
    manifest = json.loads((ROOT / "infra" / "skill-package" / "skill.json").read_text())
    interfaces = manifest["manifest"]["apis"]["custom"].get("interfaces", [])
    assert "CAN_FULFILL_INTENT_REQUEST" not in {i.get("type") for i in interfaces}
