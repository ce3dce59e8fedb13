"""Verify that an HTTP request really comes from Alexa and is meant for this skill.

Implements Amazon's web-service checks ("Host a Custom Skill as a Web Service") on
``cryptography`` alone: the ``SignatureCertChainUrl`` rules, the certificate chain to a trusted
root (``cryptography.x509.verification``, certifi's roots by default), the ``Signature-256``
RSA PKCS#1 v1.5 / SHA-256 signature over the raw body, the request timestamp (150 s) and the
applicationId. Every failure raises :class:`VerificationError` with a short one-line reason;
the web layer answers HTTP 400 with it.

The certificate URL arrives in an unsigned header, so anyone can make the skill download from
any URL that passes the rules. The downloads are therefore bounded (:class:`DownloadLimits`):

* the URL fetched is rebuilt from the parts that passed the rules (``https``, Amazon's host,
  the normalised path); percent-encoding, backslashes and empty path segments are refused, so
  what is checked is exactly what is fetched;
* the default fetcher (:func:`download_chain`) has one wall-clock deadline for connecting,
  the TLS handshake and every byte, however slowly the server sends;
* requests for a URL already being downloaded wait for that download; beyond a few downloads
  at once, and beyond a small download rate, a request is refused at once;
* a failed URL is answered from memory for a while (bounded, oldest forgotten first);
* only validated chains are cached (bounded, least recently used evicted), so junk URLs can
  never push the real chain out. A warm request costs one RSA verification.

Trust roots, the certificate fetcher and both clocks are injectable so tests can sign requests
with their own CA. This module logs nothing.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import http.client
import json
import posixpath
import re
import socket
import ssl
import threading
import time
import urllib.parse
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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
from skill.envelope import MalformedRequest, Request, read_request

__all__ = [
    "MAX_BODY_BYTES",
    "DownloadLimits",
    "RequestVerifier",
    "VerificationError",
    "VerifiedRequest",
    "download_chain",
]

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
DOWNLOAD_DEADLINE = 3.0
"""Seconds of wall-clock time for one certificate download; Alexa waits 8 s for an answer."""

# The characters a plain URL path may hold (RFC 3986 pchar and "/", without "%").
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/-]*")

DOWNLOAD_FAILED = "could not download the signing certificate"
DOWNLOAD_TIMED_OUT = "could not download the signing certificate in time"
TOO_MANY_DOWNLOADS = "too many certificate downloads at once"
DOWNLOADS_RATE_LIMITED = "too many certificate downloads, try again later"


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
    request: Request
    """The envelope's facts, read once (``skill.envelope``)."""


@dataclass(frozen=True)
class DownloadLimits:
    """How much certificate downloading requests can cause, whoever sends them.

    Alexa signs with one chain at a time (two while it changes), so a process needs one
    download per chain; everything beyond that is somebody trying URLs.
    """

    concurrent: int = 2
    """Downloads in flight at once (a request for a URL already in flight waits for it)."""
    per_second: float = 1.0
    """Sustained downloads per second, in a token bucket of ``burst`` downloads."""
    burst: int = 4
    failure_ttl: float = 30.0
    """Seconds a URL that failed (download or chain) is answered from memory."""
    max_failures: int = 1024
    max_chains: int = 32


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


# -- the certificate URL --------------------------------------------------------------------


def _bad_url(rule: str) -> VerificationError:
    return VerificationError(f"bad certificate URL: {rule}")


def _check_cert_path(path: str) -> str:
    """The normalised path, if the raw one is plain and normalises under the prefix."""
    if "%" in path:
        raise _bad_url("path must not be percent-encoded")
    if not _PLAIN_PATH.fullmatch(path):
        raise _bad_url("path has characters that are not allowed")
    if "//" in path:
        raise _bad_url("path has an empty segment")
    normal = posixpath.normpath(path) if path else ""
    if not normal.startswith(CERT_URL_PATH_PREFIX):
        raise _bad_url(f"path must start with {CERT_URL_PATH_PREFIX}")
    return normal


def _canonical_cert_url(url: str) -> str:
    """The URL to download, rebuilt from the parts that pass Amazon's rules."""
    if not all("!" <= c <= "~" for c in url):
        raise _bad_url("not a valid URL")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise _bad_url("not a valid URL") from None
    if parts.scheme.lower() != "https":
        raise _bad_url("scheme must be https")
    if (parts.hostname or "").lower() != CERT_URL_HOST or "@" in parts.netloc:
        raise _bad_url(f"host must be {CERT_URL_HOST}")
    if port is not None and port != 443:
        raise _bad_url("port must be 443")
    if parts.query or parts.fragment:
        raise _bad_url("must not have a query or fragment")
    return f"https://{CERT_URL_HOST}{_check_cert_path(parts.path)}"


# -- downloading with one deadline ----------------------------------------------------------


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


class _Watchdog:
    """Shuts a socket down at a deadline, which ends any read blocked on it at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._done = False
        self.fired = False

    def arm(self, sock: socket.socket, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self._fire, (sock,))
        self._timer.daemon = True
        self._timer.start()

    def _fire(self, sock: socket.socket) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            # The plain socket's shutdown: an SSLSocket's own would drop its TLS state under
            # the reading thread.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def disarm(self) -> None:
        with self._lock:
            self._done = True
        if self._timer is not None:
            self._timer.cancel()


def _connect(host: str, port: int, left: Callable[[], float]) -> socket.socket:
    """A TCP connection to ``host`` where each address tried gets only the time left."""
    error: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(left())
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error


class _DeadlineConnection(http.client.HTTPConnection):
    """One HTTP or HTTPS exchange where connecting, the handshake and every read share one
    deadline: each step gets the time left, and a watchdog shuts the socket at the end."""

    def __init__(self, parts: urllib.parse.SplitResult, deadline: float) -> None:
        self._tls = parts.scheme == "https"
        self._ends_at = time.monotonic() + deadline
        self.watchdog = _Watchdog()
        super().__init__(parts.hostname or "", parts.port or (443 if self._tls else 80), deadline)
        self.default_port = 443 if self._tls else 80  # so the Host header carries no :443

    def _left(self) -> float:
        left = self._ends_at - time.monotonic()
        if left <= 0:
            raise TimeoutError("the download deadline has passed")
        return left

    def connect(self) -> None:
        sock = _connect(self.host, self.port, self._left)
        try:
            if self._tls:
                sock.settimeout(self._left())  # the handshake is one call: bounded by this
                sock = _tls_context().wrap_socket(sock, server_hostname=self.host)
            self.watchdog.arm(sock, self._left())
        except BaseException:
            sock.close()
            raise
        self.sock = sock


def _read_capped(response: http.client.HTTPResponse, limit: int) -> bytes:
    if response.length is not None and response.length > limit:
        raise ValueError("certificate chain too large")
    data = b""
    while len(data) <= limit:
        chunk = response.read(limit + 1 - len(data))
        if not chunk:
            return data
        data += chunk
    raise ValueError("certificate chain too large")


def download_chain(url: str, deadline: float = DOWNLOAD_DEADLINE) -> bytes:
    """GET ``url`` (https, or http for tests) and return its body within ``deadline`` seconds.

    The deadline is wall-clock time for the whole exchange, however slowly the server sends.
    Raises TimeoutError after it, OSError for a failed connection or a status other than 200
    (redirects are not followed), ValueError for a body over 64 KB, and http.client errors for
    a broken answer.
    """
    parts = urllib.parse.urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _DeadlineConnection(parts, deadline)
    try:
        connection.request("GET", target, headers={"Connection": "close"})
        response = connection.getresponse()
        if response.status != 200:
            raise OSError(f"HTTP {response.status}")
        data = _read_capped(response, MAX_CERT_CHAIN_BYTES)
    except (OSError, http.client.HTTPException):
        if connection.watchdog.fired:
            raise TimeoutError("certificate download deadline passed") from None
        raise
    finally:
        connection.watchdog.disarm()
        connection.close()
    if connection.watchdog.fired:
        raise TimeoutError("certificate download deadline passed")
    return data


# -- the chain cache ------------------------------------------------------------------------


@dataclass
class _Flight:
    """One download in progress: requests for the same URL wait for it."""

    done: threading.Event = field(default_factory=threading.Event)
    key: _CachedKey | None = None
    reason: str = DOWNLOAD_FAILED


class _ChainCache:
    """Validated keys by URL, remembered failures by URL, downloads in flight and the download
    budget. Thread-safe; the lock is never held during a download."""

    def __init__(self, limits: DownloadLimits, monotonic: Callable[[], float]) -> None:
        self._limits = limits
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._chains: OrderedDict[str, _CachedKey] = OrderedDict()  # least recently used first
        self._failures: OrderedDict[str, tuple[float, str]] = OrderedDict()  # oldest first
        self._flights: dict[str, _Flight] = {}
        self._tokens = float(limits.burst)
        self._refilled = monotonic()

    def key_for(
        self, url: str, now: datetime, download: Callable[[], _CachedKey], wait: float
    ) -> _CachedKey:
        """The cached key for ``url``, or the result of one ``download`` shared by everyone
        asking for ``url`` meanwhile. Raises VerificationError."""
        with self._lock:
            cached = self._fresh(url, now)
            if cached is not None:
                return cached
            flight = self._flights.get(url)
            leader = flight is None
            if flight is None:
                self._admit(url)
                flight = self._flights[url] = _Flight()
        if leader:
            self._fly(url, flight, download)
        elif not flight.done.wait(wait):
            raise VerificationError(DOWNLOAD_TIMED_OUT)
        if flight.key is None:
            raise VerificationError(flight.reason)
        return flight.key

    def cached_urls(self) -> list[str]:
        with self._lock:
            return list(self._chains)

    def _fresh(self, url: str, now: datetime) -> _CachedKey | None:
        cached = self._chains.get(url)
        if cached is None:
            return None
        if not cached.not_before <= now <= cached.not_after:
            del self._chains[url]
            return None
        self._chains.move_to_end(url)
        return cached

    def _admit(self, url: str) -> None:
        """Raise unless ``url`` may be downloaded now: not failed lately, within the budget."""
        clock = self._monotonic()
        failure = self._failures.get(url)
        if failure is not None:
            until, reason = failure
            if clock < until:
                raise VerificationError(reason)
            del self._failures[url]
        if len(self._flights) >= self._limits.concurrent:
            raise VerificationError(TOO_MANY_DOWNLOADS)
        refill = (clock - self._refilled) * self._limits.per_second
        self._tokens = min(float(self._limits.burst), self._tokens + refill)
        self._refilled = clock
        if self._tokens < 1:
            raise VerificationError(DOWNLOADS_RATE_LIMITED)
        self._tokens -= 1

    def _fly(self, url: str, flight: _Flight, download: Callable[[], _CachedKey]) -> None:
        try:
            flight.key = download()
        except VerificationError as error:
            flight.reason = error.reason
        finally:
            with self._lock:
                del self._flights[url]
                if flight.key is not None:
                    self._remember(self._chains, url, flight.key, self._limits.max_chains)
                else:
                    until = self._monotonic() + self._limits.failure_ttl
                    failure = (until, flight.reason)
                    self._remember(self._failures, url, failure, self._limits.max_failures)
            flight.done.set()

    @staticmethod
    def _remember(entries: OrderedDict[str, Any], url: str, value: Any, bound: int) -> None:
        entries[url] = value
        entries.move_to_end(url)
        while len(entries) > bound:
            entries.popitem(last=False)


# -- the request ----------------------------------------------------------------------------


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup; blank values count as missing."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            value = value.strip()
            return value or None
    return None


def _decode_signature(signature_b64: str) -> bytes:
    try:
        return base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError("signature is not base64") from None


class RequestVerifier:
    """Checks Alexa requests; one instance per process, safe to share between threads.

    ``fetch`` downloads a certificate chain (default: :func:`download_chain` with
    ``fetch_timeout`` as its wall-clock deadline); ``clock`` is the time certificates and
    timestamps are checked against; ``monotonic`` times the download budget and remembered
    failures; ``limits`` bounds downloads.
    """

    def __init__(
        self,
        skill_id: str | None,
        *,
        trust_roots: Sequence[x509.Certificate] | None = None,
        fetch: Callable[[str], bytes] | None = None,
        clock: Callable[[], datetime] | None = None,
        verify_signature: bool = True,
        fetch_timeout: float = DOWNLOAD_DEADLINE,
        limits: DownloadLimits | None = None,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        if trust_roots is not None and not trust_roots:
            raise ValueError("trust_roots must not be empty")
        self._skill_id = skill_id
        self._trust_roots = list(trust_roots) if trust_roots is not None else None
        self._fetch_timeout = fetch_timeout
        self._fetch: Callable[[str], bytes] = fetch or self._download_default
        self._clock: Callable[[], datetime] = clock or system_now
        self._verify_signature = verify_signature
        self._lock = threading.Lock()
        self._store: x509v.Store | None = None
        self._chains = _ChainCache(limits or DownloadLimits(), monotonic or time.monotonic)

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
        try:
            request = read_request(envelope)
        except MalformedRequest as problem:
            raise VerificationError(str(problem)) from None
        if now is not None:
            self._check_timestamp(request, now)
        if self._skill_id is not None and request.application_id != self._skill_id:
            raise VerificationError("request is for another skill")
        return VerifiedRequest(envelope=envelope, body=body, request=request)

    def cached_certificate_urls(self) -> list[str]:
        """The URLs whose validated chains are cached, least recently used first."""
        return self._chains.cached_urls()

    # -- steps ----------------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self._clock()
        return now if now.tzinfo is not None else now.replace(tzinfo=UTC)

    def _download_default(self, url: str) -> bytes:
        return download_chain(url, self._fetch_timeout)

    def _check_signature(self, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
        url = _header(headers, CERT_URL_HEADER)
        if url is None:
            raise VerificationError(f"missing {CERT_URL_HEADER} header")
        signature_b64 = _header(headers, SIGNATURE_HEADER)
        if signature_b64 is None:
            raise VerificationError(f"missing {SIGNATURE_HEADER} header")
        cert_url = _canonical_cert_url(url)
        signature = _decode_signature(signature_b64)  # before any download: it is free
        public_key = self._signing_key(cert_url, now)
        try:
            public_key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise VerificationError("signature does not match the body") from None

    def _signing_key(self, url: str, now: datetime) -> rsa.RSAPublicKey:
        """The validated leaf key for ``url``: from the cache, or downloaded and validated."""
        wait = self._fetch_timeout + 1.0
        return self._chains.key_for(url, now, lambda: self._download(url, now), wait).public_key

    def _download(self, url: str, now: datetime) -> _CachedKey:
        try:
            pem = self._fetch(url)
        except TimeoutError:
            raise VerificationError(DOWNLOAD_TIMED_OUT) from None
        except Exception:
            raise VerificationError(DOWNLOAD_FAILED) from None
        return self._validate_chain(pem, now)

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
    def _check_timestamp(request: Request, now: datetime) -> None:
        is_skill_event = request.request_type.startswith(SKILL_EVENT_PREFIX)
        tolerance = SKILL_EVENT_TIMESTAMP_TOLERANCE if is_skill_event else TIMESTAMP_TOLERANCE
        if abs(now - request.instant) > tolerance:
            raise VerificationError("request timestamp is too old")
