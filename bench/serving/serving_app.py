"""The app that bench/serving/run.py serves: the product with a test-CA verifier.

    gunicorn --pythonpath bench/serving 'serving_app:create_app()'    # a gunicorn stack
    python bench/serving/serving_app.py                               # infra/serve.py (waitress)

Like ``bench/product_app.py``, but the stand-in certificate host answers any other URL the
way S3 answers a missing object: after ``BENCH_JUNK_FETCH_MS`` (a round trip), with an error.
Every download is appended to ``BENCH_FETCH_LOG`` (one line, the URL) so the benchmark can
count what a junk-URL flood cost. ``BENCH_OLD_VERIFIER`` names a copy of an older
``skill/verify.py`` to serve with instead (the before of a before/after).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path
from types import ModuleType

from cryptography import x509
from flask import Flask

from skill.app import create_app as build_app
from skill.settings import Settings

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _verify_module() -> ModuleType:
    old = os.environ.get("BENCH_OLD_VERIFIER")
    if old:
        return _load(Path(old), "closer_bench_old_verify")
    import skill.verify

    return skill.verify


def _fetcher(cert_url: str, chain: bytes) -> object:
    delay = float(os.environ.get("BENCH_JUNK_FETCH_MS", "0")) / 1000
    log = os.environ.get("BENCH_FETCH_LOG")

    def fetch(url: str) -> bytes:
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(url + "\n")
        if url == cert_url:
            return chain
        time.sleep(delay)
        raise OSError(f"404: {url}")

    return fetch


def create_app() -> Flask:
    settings = Settings.from_env()
    ca_dir = Path(os.environ["BENCH_CA_DIR"])
    root = x509.load_pem_x509_certificate((ca_dir / "root.pem").read_bytes())
    fetch = _fetcher(os.environ["BENCH_CERT_URL"], (ca_dir / "chain.pem").read_bytes())
    verifier = _verify_module().RequestVerifier(settings.skill_id, trust_roots=[root], fetch=fetch)
    return build_app({"SETTINGS": settings, "VERIFIER": verifier})


if __name__ == "__main__":
    _load(REPO / "infra" / "serve.py", "closer_serve").main(create_app)
