"""Write the skill's ASK CLI v2 project, ready for ``ask deploy``.

    python infra/assemble_skill_package.py --endpoint https://<service>/alexa \\
        --out infra/build/skill-package

``--out`` is the skill-package folder: it gets ``skill.json`` (infra/skill-package/skill.json
with the endpoint filled in) and ``interactionModels/custom/<locale>.json`` (the written
interaction_models/<locale>.json, refused if stale or if the model linter finds a problem).
``ask-resources.json`` goes next to it; the ASK CLI's ``.ask/`` state there is left alone, so
a second ``ask deploy`` updates the same skill.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from skill.devtools.model_lint import lint_locales  # noqa: E402
from skill.devtools.models import LOCALES, MODELS_DIR, model_path, stale_models  # noqa: E402

MANIFEST = ROOT / "infra" / "skill-package" / "skill.json"
CERTIFICATES = ("Trusted", "Wildcard")
ASK_RESOURCES_VERSION = "2020-03-31"
PLACEHOLDER_HOST = ".invalid"


class AssemblyError(Exception):
    """The package cannot be assembled; the message says why."""


def https_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise AssemblyError(f"{value!r} is not an https:// URL")
    return value.strip()


def endpoint_uri(value: str) -> str:
    """The HTTPS endpoint, with ``/alexa`` added when only a host is given."""
    parts = urlsplit(https_url(value))
    if parts.query or parts.fragment or parts.username or parts.password:
        raise AssemblyError(f"the endpoint must be a plain https URL, not {value!r}")
    if parts.port not in (None, 443):
        raise AssemblyError("Alexa only calls endpoints on port 443")
    path = parts.path if parts.path not in ("", "/") else "/alexa"
    return f"https://{parts.netloc}{path}"


def build_manifest(
    manifest: dict[str, Any],
    endpoint: str,
    certificate: str = "Trusted",
    privacy_policy_url: str | None = None,
    terms_of_use_url: str | None = None,
) -> dict[str, Any]:
    """The manifest with its endpoints (skill requests and skill events) set."""
    if certificate not in CERTIFICATES:
        raise AssemblyError(f"--certificate must be one of {', '.join(CERTIFICATES)}")
    built = copy.deepcopy(manifest)
    body = built["manifest"]
    target = {"uri": endpoint_uri(endpoint), "sslCertificateType": certificate}
    body["apis"]["custom"]["endpoint"] = dict(target)
    if "events" in body:
        body["events"]["endpoint"] = dict(target)
    for urls in body["privacyAndCompliance"].get("locales", {}).values():
        if privacy_policy_url:
            urls["privacyPolicyUrl"] = https_url(privacy_policy_url)
        if terms_of_use_url:
            urls["termsOfUseUrl"] = https_url(terms_of_use_url)
    missing = set(LOCALES) - set(body["publishingInformation"]["locales"])
    if missing:
        raise AssemblyError(f"the manifest has no publishing information for {sorted(missing)}")
    return built


def placeholders(manifest: dict[str, Any]) -> list[str]:
    """Policy URLs still pointing at placeholder hosts (fine for testing, not for certification)."""
    found = set()
    for urls in manifest["manifest"]["privacyAndCompliance"].get("locales", {}).values():
        for url in urls.values():
            if (urlsplit(url).hostname or "").endswith(PLACEHOLDER_HOST):
                found.add(url)
    return sorted(found)


def check_models() -> None:
    """The written models are what their sources build, and they lint clean."""
    problems = _model_problems(_models_state())
    if problems:
        raise AssemblyError(problems)


ModelsState = tuple[tuple[str, int, int], ...]


def _models_state() -> ModelsState:
    """Every file the models are built from or written to, with its size and change time."""
    files = sorted(MODELS_DIR.rglob("*.json"))
    return tuple((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in files)


@functools.lru_cache(maxsize=4)
def _model_problems(state: ModelsState) -> str:
    """What is wrong with the models in ``state`` ("" if nothing): checked once per state, as
    checking takes seconds and one process may assemble several packages."""
    stale = stale_models()
    if stale:
        return f"interaction models are stale for {', '.join(stale)}: run `closer models`"
    problems = [
        f"{locale} {problem}" for locale, found in lint_locales().items() for problem in found
    ]
    if problems:
        return "the interaction models would not build:\n" + "\n".join(problems)
    return ""


def assemble(
    out: Path,
    endpoint: str,
    *,
    certificate: str = "Trusted",
    privacy_policy_url: str | None = None,
    terms_of_use_url: str | None = None,
    profile: str = "default",
) -> dict[str, Any]:
    """Write the package into ``out`` and ask-resources.json beside it; returns the manifest."""
    check_models()
    manifest = build_manifest(
        json.loads(MANIFEST.read_text(encoding="utf-8")),
        endpoint,
        certificate,
        privacy_policy_url,
        terms_of_use_url,
    )
    out = out.resolve()
    if out.exists():
        if not out.is_dir() or (any(out.iterdir()) and not (out / "skill.json").exists()):
            raise AssemblyError(f"{out} exists and is not a skill package; not replacing it")
        shutil.rmtree(out)
    models = out / "interactionModels" / "custom"
    models.mkdir(parents=True)
    (out / "skill.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for locale in LOCALES:
        shutil.copyfile(model_path(locale), models / f"{locale}.json")
    write_ask_resources(out, profile)
    return manifest


def write_ask_resources(package: Path, profile: str) -> Path:
    """Point ``profile`` at the package in ask-resources.json, keeping any other profiles."""
    path = package.parent / "ask-resources.json"
    resources: dict[str, Any] = {}
    if path.exists():
        try:
            resources = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            resources = {}
    resources["askcliResourcesVersion"] = ASK_RESOURCES_VERSION
    profiles = resources.setdefault("profiles", {})
    profiles.setdefault(profile, {})["skillMetadata"] = {"src": f"./{package.name}"}
    path.write_text(json.dumps(resources, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("CLOSER_ENDPOINT"),
        help="the skill's HTTPS endpoint (default: $CLOSER_ENDPOINT)",
    )
    parser.add_argument("--out", type=Path, default=Path("infra/build/skill-package"))
    parser.add_argument(
        "--certificate",
        choices=CERTIFICATES,
        default="Trusted",
        help="Wildcard for a sub-domain of a wildcard certificate, e.g. *.awsapprunner.com",
    )
    parser.add_argument("--privacy-policy-url", default=os.environ.get("CLOSER_PRIVACY_URL"))
    parser.add_argument("--terms-of-use-url", default=os.environ.get("CLOSER_TERMS_URL"))
    parser.add_argument("--profile", default="default", help="ASK CLI profile")
    args = parser.parse_args(argv)
    if not args.endpoint:
        parser.error("--endpoint (or CLOSER_ENDPOINT) is required")
    try:
        manifest = assemble(
            args.out,
            args.endpoint,
            certificate=args.certificate,
            privacy_policy_url=args.privacy_policy_url,
            terms_of_use_url=args.terms_of_use_url,
            profile=args.profile,
        )
    except AssemblyError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    uri = manifest["manifest"]["apis"]["custom"]["endpoint"]["uri"]
    print(f"wrote {args.out} for {uri} ({', '.join(LOCALES)})")
    for url in placeholders(manifest):
        print(f"note: {url} is a placeholder; set a real one before certification", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
