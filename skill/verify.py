"""Verify that an HTTP request really comes from Alexa and is meant for this skill.

Implements Amazon's web-service checks ("Host a Custom Skill as a Web Service") on
``cryptography`` alone: the ``SignatureCertChainUrl`` rules, the certificate chain to a trusted
root (``cryptography.x509.verification``, certifi's roots by default), the ``Signature-256``
RSA PKCS#1 v1.5 / SHA-256 signature over the raw body, the request timestamp (150 s) and the
applicationId. Every failure raises :class:`VerificationError` with a short one-line reason;
the web layer answers HTTP 400 with it.

The validated signing key is cached per certificate URL until the chain expires, so a warm
request costs one RSA verification. Trust roots, the certificate fetcher and the clock are
injectable so tests can sign requests with their own CA. This module logs nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import posixpath
import threading
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification as x509v

from skill.domain.clock import system_now

__all__ = ["MAX_BODY_BYTES", "RequestVerifier", "VerificationError", "VerifiedRequest"]

MAX_BODY_BYTES: int = 128 * 1024
"""Alexa's requests are a few KB; anything larger is rejected before it is parsed."""

SIGNING_CERT_SAN = "echo-api.amazon.com"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
TIMESTAMP_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TIMESTAMP_TOLERANCE = timedelta(seconds=3600)
SKILL_EVENT_PREFIX = "AlexaSkillEvent."
MAX_CERT_CHAIN_BYTES = 64 * 1024
CACHE_SIZE = 32


class VerificationError(Exception):
    """The request is not a valid Alexa request for this skill; ``reason`` says why (one line)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class VerifiedRequest:
    envelope: dict[str, Any]
    body: bytes


@dataclass(frozen=True)
class _CachedKey:
    public_key: rsa.RSAPublicKey
    not_before: datetime
    not_after: datetime  # earliest expiry in the validated chain


_roots_lock = threading.Lock()
_certifi_roots: list[x509.Certificate] | None = None


def _default_trust_roots() -> list[x509.Certificate]:
    """certifi's CA bundle, parsed once per process on first use."""
    global _certifi_roots
    with _roots_lock:
        if _certifi_roots is None:
            with open(certifi.where(), "rb") as f:
                pem = f.read()
            with warnings.catch_warnings():
                # One root in the bundle has a non-positive serial number.
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                _certifi_roots = x509.load_pem_x509_certificates(pem)
        return _certifi_roots


def _urlopen_fetch(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        data: bytes = response.read(MAX_CERT_CHAIN_BYTES + 1)
    if len(data) > MAX_CERT_CHAIN_BYTES:
        raise ValueError("certificate chain too large")
    return data


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup; blank values count as missing."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            value = value.strip()
            return value or None
    return None


def _check_cert_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise VerificationError("bad certificate URL: not a valid URL") from None
    if parts.scheme.lower() != "https":
        raise VerificationError("bad certificate URL: scheme must be https")
    if (parts.hostname or "").lower() != CERT_URL_HOST or "@" in parts.netloc:
        raise VerificationError(f"bad certificate URL: host must be {CERT_URL_HOST}")
    if port is not None and port != 443:
        raise VerificationError("bad certificate URL: port must be 443")
    path = posixpath.normpath(urllib.parse.unquote(parts.path)) if parts.path else ""
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationError(f"bad certificate URL: path must start with {CERT_URL_PATH_PREFIX}")


def _dig(node: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _parse_timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        ts = datetime.fromisoformat(value)
        return ts.astimezone(UTC) if ts.tzinfo is not None else ts.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


class RequestVerifier:
    """Checks Alexa requests; one instance per process, safe to share between threads."""

    def __init__(
        self,
        skill_id: str | None,
        *,
        trust_roots: Sequence[x509.Certificate] | None = None,
        fetch: Callable[[str], bytes] | None = None,
        clock: Callable[[], datetime] | None = None,
        verify_signature: bool = True,
        fetch_timeout: float = 3.0,
    ) -> None:
        if trust_roots is not None and not trust_roots:
            raise ValueError("trust_roots must not be empty")
        self._skill_id = skill_id
        self._trust_roots = list(trust_roots) if trust_roots is not None else None
        self._fetch: Callable[[str], bytes] = fetch or (
            lambda url: _urlopen_fetch(url, fetch_timeout)
        )
        self._clock: Callable[[], datetime] = clock or system_now
        self._verify_signature = verify_signature
        self._lock = threading.Lock()
        self._store: x509v.Store | None = None
        self._cache: dict[str, _CachedKey] = {}

    # -- public ---------------------------------------------------------------------------

    def verify(self, headers: Mapping[str, str], body: bytes) -> VerifiedRequest:
        """Return the parsed request, or raise :class:`VerificationError` (answer HTTP 400)."""
        if len(body) > MAX_BODY_BYTES:
            raise VerificationError("request body too large")
        if not body:
            raise VerificationError("empty request body")

        now: datetime | None = None
        if self._verify_signature:
            now = self._now()
            self._check_signature(headers, body, now)

        envelope = self._parse(body)

        if now is not None:
            self._check_timestamp(envelope, now)
        if self._skill_id is not None:
            application_id = _dig(
                envelope, "context", "System", "application", "applicationId"
            ) or _dig(envelope, "session", "application", "applicationId")
            if application_id != self._skill_id:
                raise VerificationError("request is for another skill")
        return VerifiedRequest(envelope=envelope, body=body)

    # -- steps ----------------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self._clock()
        return now if now.tzinfo is not None else now.replace(tzinfo=UTC)

    def _check_signature(self, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
        url = _header(headers, CERT_URL_HEADER)
        if url is None:
            raise VerificationError(f"missing {CERT_URL_HEADER} header")
        signature_b64 = _header(headers, SIGNATURE_HEADER)
        if signature_b64 is None:
            raise VerificationError(f"missing {SIGNATURE_HEADER} header")
        _check_cert_url(url)
        public_key = self._signing_key(url, now)
        try:
            signature = base64.b64decode(signature_b64, validate=True)
        except (binascii.Error, ValueError):
            raise VerificationError("signature is not base64") from None
        try:
            public_key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise VerificationError("signature does not match the body") from None

    def _signing_key(self, url: str, now: datetime) -> rsa.RSAPublicKey:
        """The validated leaf key for ``url``: from the cache, or downloaded and validated."""
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None:
                if cached.not_before <= now <= cached.not_after:
                    return cached.public_key
                del self._cache[url]

        # Download and validate outside the lock; concurrent cold requests may both do it.
        try:
            pem = self._fetch(url)
        except Exception:
            raise VerificationError("could not download the signing certificate") from None
        entry = self._validate_chain(pem, now)

        with self._lock:
            self._cache.pop(url, None)
            while len(self._cache) >= CACHE_SIZE:
                del self._cache[next(iter(self._cache))]  # oldest first
            self._cache[url] = entry
        return entry.public_key

    def _validate_chain(self, pem: bytes, now: datetime) -> _CachedKey:
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError:
            raise VerificationError("certificate chain is not valid PEM") from None
        leaf, intermediates = certs[0], certs[1:]

        if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
            raise VerificationError("signing certificate expired")
        try:
            san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            names = [n.lower() for n in san.get_values_for_type(x509.DNSName)]
        except (x509.ExtensionNotFound, ValueError):
            names = []
        if SIGNING_CERT_SAN not in names:
            raise VerificationError(f"signing certificate is not for {SIGNING_CERT_SAN}")

        verifier = (
            x509v.PolicyBuilder()
            .store(self._trust_store())
            .time(now)
            .build_server_verifier(x509.DNSName(SIGNING_CERT_SAN))
        )
        try:
            chain = verifier.verify(leaf, intermediates)
        except (x509v.VerificationError, ValueError):
            raise VerificationError("certificate chain is not trusted") from None

        try:
            public_key = leaf.public_key()
        except (ValueError, UnsupportedAlgorithm):
            public_key = None
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise VerificationError("signing certificate key is not RSA")
        return _CachedKey(
            public_key=public_key,
            not_before=max(c.not_valid_before_utc for c in chain),
            not_after=min(c.not_valid_after_utc for c in chain),
        )

    def _trust_store(self) -> x509v.Store:
        with self._lock:
            if self._store is None:
                roots = self._trust_roots
                self._store = x509v.Store(roots if roots is not None else _default_trust_roots())
            return self._store

    @staticmethod
    def _parse(body: bytes) -> dict[str, Any]:
        try:
            envelope = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise VerificationError("body is not JSON") from None
        if not isinstance(envelope, dict):
            raise VerificationError("body is not a JSON object")
        return envelope

    @staticmethod
    def _check_timestamp(envelope: dict[str, Any], now: datetime) -> None:
        ts = _parse_timestamp(_dig(envelope, "request", "timestamp"))
        if ts is None:
            raise VerificationError("missing or bad timestamp")
        request_type = _dig(envelope, "request", "type")
        is_skill_event = isinstance(request_type, str) and request_type.startswith(
            SKILL_EVENT_PREFIX
        )
        tolerance = SKILL_EVENT_TIMESTAMP_TOLERANCE if is_skill_event else TIMESTAMP_TOLERANCE
        if abs(now - ts) > tolerance:
            raise VerificationError("request timestamp is too old")
