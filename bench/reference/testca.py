"""Benchmark-only: point the SDK's request verifier at the benchmark's test CA, then serve.

The reference skill keeps flask-ask-sdk's own ``RequestVerifier`` (certificate URL rules, chain
validation with certvalidator on every request, SAN and validity checks, RSA signature) and its
``TimestampVerifier``. Only two module globals of ``ask_sdk_webservice_support.verifier`` are
replaced, as the platform measurements did: ``urlopen`` serves the test chain for the test URL
(Amazon's host is unreachable here), and ``CertificateValidator`` trusts the test root instead of
the operating system's store. ``BENCH_CA_DIR`` holds ``root.pem`` and ``chain.pem``;
``BENCH_CERT_URL`` is the one URL served. With ``BENCH_OPS_DIR`` set, ``benchlib/opcount.py``
counts the app's requests and DynamoDB calls (a WSGI wrapper and a hook on boto3's default
session; the app is unchanged).

    gunicorn --chdir bench/reference 'testca:create_app()'
"""

from __future__ import annotations

import importlib.util
import io
import os
from pathlib import Path

from app import create_app as _create_app
from ask_sdk_webservice_support import verifier as sdk_verifier
from asn1crypto import pem
from certvalidator import CertificateValidator, ValidationContext

_CA_DIR = Path(os.environ["BENCH_CA_DIR"])
_CERT_URL = os.environ["BENCH_CERT_URL"]
_CHAIN_PEM = (_CA_DIR / "chain.pem").read_bytes()
_, _, _ROOT_DER = pem.unarmor((_CA_DIR / "root.pem").read_bytes())
_CONTEXT = ValidationContext(trust_roots=[_ROOT_DER])


def _urlopen(url, *args, **kwargs):
    if url != _CERT_URL:
        raise ValueError(f"the benchmark serves only {_CERT_URL}")
    return io.BytesIO(_CHAIN_PEM)


def _validator(end_entity_cert, intermediate_certs=None, **kwargs):
    return CertificateValidator(end_entity_cert, intermediate_certs, validation_context=_CONTEXT)


sdk_verifier.urlopen = _urlopen
sdk_verifier.CertificateValidator = _validator


def _opcount():
    """bench/benchlib/opcount.py, by path (this venv has no benchlib)."""
    path = Path(__file__).resolve().parent.parent / "benchlib" / "opcount.py"
    spec = importlib.util.spec_from_file_location("bench_opcount", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def create_app():
    opcount = _opcount()
    opcount.install()
    app = _create_app()
    app.wsgi_app = opcount.counting(app.wsgi_app)
    return app
