"""Benchmark-only entry point: the product app with its verifier pointed at the test CA.

The product reads its request verifier from ``create_app`` config only, so gunicorn runs this:

    gunicorn --pythonpath bench 'product_app:create_app()'

Everything else comes from the environment exactly as in production (``CLOSER_VERIFY=on``,
``CLOSER_SKILL_ID``, ``CLOSER_STORE=dynamodb``, ``CLOSER_DYNAMODB_ENDPOINT_URL``, ...). The
verifier is the production ``RequestVerifier`` with two injections: it trusts the test root in
``$BENCH_CA_DIR/root.pem`` and "downloads" ``$BENCH_CA_DIR/chain.pem`` for ``$BENCH_CERT_URL``
(Amazon's host is unreachable here). When ``BENCH_LOG_DIR`` is set, the per-request JSON log
line that production writes to stdout goes to one file per worker there, so the benchmark can
count outcomes (a store error is answered with HTTP 200 and kind words, not an error status).
With ``BENCH_OPS_DIR`` set, ``benchlib.opcount`` counts the requests and the DynamoDB calls (a
hook on boto3's default session and a WSGI wrapper, as for the reference and the floor).

``BENCH_GC_FREEZE=1`` (``bench/run --gc-freeze``) tries a proposed product change without making
it: ``gc.collect(); gc.freeze()`` once the app is built, so the objects every worker keeps for
its lifetime (the AWS and Alexa model classes, the content) leave the cyclic collector's
generations and full collections stop pausing requests for tens of milliseconds.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path

from skill.startup import hold_collection

hold_collection()  # as the product's own entry points do (infra/serve.py, infra/gunicorn.conf.py)

from benchlib import opcount  # noqa: E402
from cryptography import x509  # noqa: E402
from flask import Flask  # noqa: E402

from skill.app import create_app as build_app  # noqa: E402
from skill.settings import Settings  # noqa: E402
from skill.verify import RequestVerifier  # noqa: E402


def test_ca_verifier(skill_id: str | None, ca_dir: Path, cert_url: str) -> RequestVerifier:
    """The production verifier, trusting only the test root and serving only the test chain."""
    root = x509.load_pem_x509_certificate((ca_dir / "root.pem").read_bytes())
    chain = (ca_dir / "chain.pem").read_bytes()

    def fetch(url: str) -> bytes:
        if url != cert_url:
            raise OSError(f"the benchmark serves only {cert_url}")
        return chain

    return RequestVerifier(skill_id, trust_roots=[root], fetch=fetch)


def log_requests_to(directory: Path) -> None:
    """Send the ``closer.request`` lines (INFO, one JSON object each) to a per-process file."""
    directory.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(directory / f"requests-{os.getpid()}.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("closer.request")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.propagate = False


def create_app() -> Flask:
    settings = Settings.from_env()
    verifier = test_ca_verifier(
        settings.skill_id, Path(os.environ["BENCH_CA_DIR"]), os.environ["BENCH_CERT_URL"]
    )
    log_dir = os.environ.get("BENCH_LOG_DIR")
    if log_dir:
        log_requests_to(Path(log_dir))
    opcount.install()
    app = build_app({"SETTINGS": settings, "VERIFIER": verifier})
    app.wsgi_app = opcount.counting(app.wsgi_app)  # type: ignore[method-assign]
    if os.environ.get("BENCH_GC_FREEZE") == "1":
        gc.collect()
        gc.freeze()
    return app
