"""The verifier against hostile certificate URLs: slow hosts, floods, junk and encodings.

The certificate URL is an unsigned header, so every request can ask for a download. These tests
show the downloads are bounded: a trickling host is cut off at the deadline (a real slow HTTP
server on 127.0.0.1), downloads in flight are capped, failures are remembered, junk never evicts
the real chain, the URL fetched is the URL checked, and a flood costs a bounded number of
downloads while real requests keep verifying from the cache.
"""

from __future__ import annotations

import select
import socket
import socketserver
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

import skill.verify as verify_module
from skill.verify import (
    DOWNLOAD_FAILED,
    DOWNLOAD_TIMED_OUT,
    DOWNLOADS_RATE_LIMITED,
    TOO_MANY_DOWNLOADS,
    DownloadLimits,
    RequestVerifier,
    VerificationError,
    download_chain,
)
from tests.dynamo_server import free_port
from tests.signing import CERT_URL, SigningAuthority, make_authority
from tests.test_verify import NOW, SKILL_ID, body_at, reason_of

S3 = "https://s3.amazonaws.com"
DEADLINE = 1.0
SLACK = 2.0  # generous: the machine is shared; the point is "cut off", not "how fast"


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def ca() -> SigningAuthority:
    return make_authority()


@pytest.fixture
def authority(ca: SigningAuthority) -> SigningAuthority:
    """The module's CA with a fresh fetch counter (as in test_verify)."""
    return replace(ca, fetches=0)


def make_verifier(
    authority: SigningAuthority,
    fetch: Callable[[str], bytes] | None = None,
    *,
    limits: DownloadLimits | None = None,
    monotonic: Callable[[], float] | None = None,
    fetch_timeout: float = DEADLINE,
) -> RequestVerifier:
    return RequestVerifier(
        SKILL_ID,
        trust_roots=[authority.root],
        fetch=fetch or authority.fetch,
        clock=lambda: NOW,
        limits=limits,
        monotonic=monotonic,
        fetch_timeout=fetch_timeout,
    )


def with_url(authority: SigningAuthority, body: bytes, url: str) -> dict[str, str]:
    return authority.headers(body) | {"SignatureCertChainUrl": url}


def junk(i: int) -> str:
    return f"{S3}/echo.api/junk-{i}.pem"


class CountingFetch:
    """An injected fetcher: counts downloads per URL; serves the real chain for ``good`` URLs
    and ``other`` (or a 404 when it is None) for every other URL."""

    def __init__(
        self,
        authority: SigningAuthority,
        good: set[str] | None = None,
        other: bytes | None = None,
    ) -> None:
        self.chain = authority.chain_pem
        self.good = good if good is not None else {CERT_URL}
        self.other = other
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, url: str) -> bytes:
        with self.lock:
            self.calls.append(url)
        if url in self.good:
            return self.chain
        if self.other is None:
            raise OSError(f"404 {url}")
        return self.other

    def count(self, url: str) -> int:
        with self.lock:
            return self.calls.count(url)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


# -- a real slow certificate host on 127.0.0.1 ----------------------------------------------


@dataclass
class SlowHost:
    """What the local certificate host does once it has read a request."""

    mode: str
    body: bytes = b""
    interval: float = 0.2
    tls: ssl.SSLContext | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    requests: list[str] = field(default_factory=list)
    sent: int = 0


def _client_gone(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0)
    # The plain socket's recv: a TLS socket takes no flags (a peeked alert counts as alive).
    return bool(readable) and socket.socket.recv(sock, 1, socket.MSG_PEEK) == b""


def _trickle(host: SlowHost, sock: socket.socket, head: bytes) -> None:
    """Send ``head``, then one byte per interval until the client goes or the test ends."""
    sock.sendall(head)
    while not host.stop.wait(host.interval):
        if _client_gone(sock):
            return
        sock.sendall(b"a")
        host.sent += 1


def _answer(host: SlowHost, sock: socket.socket) -> None:
    if host.mode == "trickle-headers":
        _trickle(host, sock, b"HTTP/1.1 200 OK\r\nX-Slow: ")
    elif host.mode == "trickle-body":
        _trickle(host, sock, b"HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n")
    elif host.mode == "silent":
        while not host.stop.wait(host.interval) and not _client_gone(sock):
            pass
    elif host.mode == "ok":
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(host.body)}\r\n\r\n".encode()
        sock.sendall(head + host.body)
    elif host.mode == "unsized":  # no Content-Length: the body runs until the close
        sock.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + host.body)
    elif host.mode == "redirect":
        sock.sendall(b"HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.1:9/\r\n\r\n")
    else:
        sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        host: SlowHost = self.server.host  # type: ignore[attr-defined]
        sock: socket.socket = self.request
        sock.settimeout(5)
        try:
            if host.tls is not None:
                sock = host.tls.wrap_socket(sock, server_side=True)
            with sock:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = sock.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                host.requests.append(data.split(b"\r\n", 1)[0].decode("ascii"))
                _answer(host, sock)
        except OSError:
            return  # the client hung up: that is what a deadline does


@contextmanager
def slow_host(
    mode: str, body: bytes = b"", tls: ssl.SSLContext | None = None
) -> Iterator[tuple[str, SlowHost]]:
    """Serve ``mode`` on 127.0.0.1; yields (base URL, host). Stops the server and its threads."""
    host = SlowHost(mode, body, tls=tls)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.host = host  # type: ignore[attr-defined]
    server.daemon_threads = False
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    serving.start()
    try:
        scheme, name = ("https", "localhost") if tls else ("http", "127.0.0.1")
        yield f"{scheme}://{name}:{server.server_address[1]}", host
    finally:
        host.stop.set()
        server.shutdown()
        server.server_close()  # joins the handler threads
        serving.join(timeout=5)


def redirect_to(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the verifier's default fetcher download from ``base`` (same path, same deadline)."""
    real = verify_module.download_chain

    def download(url: str, deadline: float) -> bytes:
        return real(base + urllib.parse.urlsplit(url).path, deadline)

    monkeypatch.setattr(verify_module, "download_chain", download)


# -- the deadline ---------------------------------------------------------------------------


@pytest.fixture
def local_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A TLS server context for "localhost" from a test CA that the downloader is made to trust
    (the production downloader trusts certifi's roots)."""
    site = make_authority(name="Site", san="localhost", with_intermediate=False)
    key = site.leaf_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "site.pem").write_bytes(site.chain_pem + key)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "site.pem")
    client = ssl.create_default_context(
        cadata=site.root.public_bytes(serialization.Encoding.PEM).decode("ascii")
    )
    monkeypatch.setattr(verify_module, "_tls_context", lambda: client)
    return server


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("mode", ["trickle-headers", "trickle-body", "silent"])
def test_a_slow_host_is_cut_off_at_the_deadline(
    request: pytest.FixtureRequest, mode: str, scheme: str
) -> None:
    tls = request.getfixturevalue("local_tls") if scheme == "https" else None
    with slow_host(mode, tls=tls) as (base, host):
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            download_chain(f"{base}/echo.api/slow.pem", DEADLINE)
        elapsed = time.monotonic() - started
        assert host.requests == ["GET /echo.api/slow.pem HTTP/1.1"]
    assert elapsed < DEADLINE + SLACK
    if mode != "silent":
        assert host.sent >= 1  # it really was trickling, not silent


def test_a_host_that_never_finishes_the_handshake_is_cut_off(local_tls: ssl.SSLContext) -> None:
    with slow_host("silent") as (base, _):  # plain TCP: the ClientHello gets no answer
        url = base.replace("http://127.0.0.1", "https://localhost") + "/echo.api/x.pem"
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            download_chain(url, DEADLINE)
    assert time.monotonic() - started < DEADLINE + SLACK


def test_download_chain_over_tls(local_tls: ssl.SSLContext) -> None:
    with slow_host("ok", b"chain", tls=local_tls) as (base, _):
        assert download_chain(f"{base}/echo.api/x.pem", DEADLINE) == b"chain"


def test_the_default_fetcher_answers_400_in_time_for_a_trickling_host(
    authority: SigningAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    with slow_host("trickle-body") as (base, _):
        redirect_to(base, monkeypatch)
        verifier = RequestVerifier(
            SKILL_ID, trust_roots=[authority.root], clock=lambda: NOW, fetch_timeout=DEADLINE
        )
        body = body_at()
        started = time.monotonic()
        assert reason_of(verifier, authority.headers(body), body) == DOWNLOAD_TIMED_OUT
        assert time.monotonic() - started < DEADLINE + SLACK
        # Remembered: the next request does not wait for the host again.
        assert reason_of(verifier, authority.headers(body), body) == DOWNLOAD_TIMED_OUT


def test_the_default_fetcher_downloads_a_chain_from_a_real_server(
    authority: SigningAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    with slow_host("ok", authority.chain_pem) as (base, host):
        redirect_to(base, monkeypatch)
        verifier = RequestVerifier(SKILL_ID, trust_roots=[authority.root], clock=lambda: NOW)
        for _ in range(3):
            body = body_at()
            assert verifier.verify(authority.headers(body), body).body == body
        assert host.requests == ["GET /echo.api/test-cert.pem HTTP/1.1"]


@pytest.mark.parametrize(
    ("mode", "body", "error"),
    [
        ("missing", b"", OSError),
        ("redirect", b"", OSError),  # redirects are not followed
        ("ok", b"x" * (64 * 1024 + 1), ValueError),
        ("unsized", b"x" * (200 * 1024), ValueError),
    ],
    ids=["404", "redirect", "too-large", "too-large-unsized"],
)
def test_download_chain_failures(mode: str, body: bytes, error: type[Exception]) -> None:
    with slow_host(mode, body) as (base, _), pytest.raises(error):
        download_chain(f"{base}/echo.api/x.pem", DEADLINE)


def test_download_chain_reads_a_body_without_length() -> None:
    with slow_host("unsized", b"chain") as (base, _):
        assert download_chain(f"{base}/echo.api/x.pem", DEADLINE) == b"chain"


def test_download_chain_nobody_listening() -> None:
    with pytest.raises(OSError):
        download_chain(f"http://127.0.0.1:{free_port()}/echo.api/x.pem", DEADLINE)


# -- concurrency ----------------------------------------------------------------------------


class BlockingFetch(CountingFetch):
    """Holds every download until ``release`` is set; records how many were in flight."""

    def __init__(self, authority: SigningAuthority, good: set[str] | None = None) -> None:
        super().__init__(authority, good)
        self.release = threading.Event()
        self.in_flight = 0
        self.most_in_flight = 0

    def __call__(self, url: str) -> bytes:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            assert self.release.wait(10)
            return super().__call__(url)
        finally:
            with self.lock:
                self.in_flight -= 1


def outcome(verifier: RequestVerifier, headers: dict[str, str], body: bytes) -> str:
    try:
        verifier.verify(headers, body)
    except VerificationError as error:
        return error.reason
    return "ok"


def test_cold_downloads_in_flight_are_bounded_and_the_rest_fail_fast(
    authority: SigningAuthority,
) -> None:
    urls = [junk(i) for i in range(12)]
    fetch = BlockingFetch(authority, good=set(urls))
    verifier = make_verifier(authority, fetch, limits=DownloadLimits(concurrent=3, burst=100))
    body = body_at()
    with ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(outcome, verifier, with_url(authority, body, u), body) for u in urls]
        wait_for(lambda: fetch.in_flight == 3, "three downloads in flight")
        # Nine are refused while three downloads hang: none of them waits for a download.
        wait_for(lambda: sum(f.done() for f in futures) == 9, "nine answers")
        refused = [f.result() for f in futures if f.done()]
        fetch.release.set()
        results = [f.result(timeout=10) for f in futures]
    assert refused == [TOO_MANY_DOWNLOADS] * 9
    assert fetch.most_in_flight == 3
    assert len(fetch.calls) == 3
    assert sorted(results) == ["ok"] * 3 + [TOO_MANY_DOWNLOADS] * 9


def test_concurrent_cold_requests_for_one_url_share_one_download(
    authority: SigningAuthority,
) -> None:
    fetch = BlockingFetch(authority)
    verifier = make_verifier(authority, fetch)
    bodies = [body_at() for _ in range(10)]
    with ThreadPoolExecutor(10) as pool:
        futures = [pool.submit(outcome, verifier, authority.headers(b), b) for b in bodies]
        wait_for(lambda: fetch.in_flight == 1, "the download started")
        fetch.release.set()
        results = [f.result(timeout=10) for f in futures]
    assert results == ["ok"] * 10
    assert fetch.calls == [CERT_URL]


def test_waiting_for_a_download_ends_after_the_deadline(authority: SigningAuthority) -> None:
    fetch = BlockingFetch(authority)
    verifier = make_verifier(authority, fetch, fetch_timeout=0.1)
    body = body_at()
    with ThreadPoolExecutor(1) as pool:
        leader = pool.submit(outcome, verifier, authority.headers(body), body)
        wait_for(lambda: fetch.in_flight == 1, "the download started")
        assert reason_of(verifier, authority.headers(body), body) == DOWNLOAD_TIMED_OUT
        fetch.release.set()
        assert leader.result(timeout=10) == "ok"


# -- remembered failures and the cache ------------------------------------------------------


def test_a_missing_url_asked_100_times_costs_one_download(authority: SigningAuthority) -> None:
    fetch = CountingFetch(authority)
    clock = FakeMonotonic()
    verifier = make_verifier(authority, fetch, monotonic=clock)
    body = body_at()
    missing = f"{S3}/echo.api/missing.pem"
    for _ in range(100):
        assert reason_of(verifier, with_url(authority, body, missing), body) == DOWNLOAD_FAILED
    assert fetch.count(missing) == 1

    clock.now += DownloadLimits().failure_ttl + 1  # forgotten after a while: asked again
    assert reason_of(verifier, with_url(authority, body, missing), body) == DOWNLOAD_FAILED
    assert fetch.count(missing) == 2


def test_remembered_failures_are_bounded(authority: SigningAuthority) -> None:
    fetch = CountingFetch(authority)
    limits = DownloadLimits(burst=100, max_failures=8)
    verifier = make_verifier(authority, fetch, limits=limits, monotonic=FakeMonotonic())
    body = body_at()
    for i in range(9):
        reason_of(verifier, with_url(authority, body, junk(i)), body)
    reason_of(verifier, with_url(authority, body, junk(8)), body)  # remembered
    reason_of(verifier, with_url(authority, body, junk(0)), body)  # the oldest was forgotten
    assert fetch.count(junk(8)) == 1
    assert fetch.count(junk(0)) == 2


@pytest.mark.parametrize("junk_serves", ["nothing", "an untrusted chain"])
def test_junk_urls_never_evict_the_real_chain(
    authority: SigningAuthority, junk_serves: str
) -> None:
    untrusted = make_authority(name="Other").chain_pem if junk_serves != "nothing" else None
    fetch = CountingFetch(authority, other=untrusted)
    verifier = make_verifier(authority, fetch, limits=DownloadLimits(burst=100))
    body = body_at()
    verifier.verify(authority.headers(body), body)
    for i in range(40):
        reason_of(verifier, with_url(authority, body, junk(i)), body)
    assert len(fetch.calls) == 41
    verifier.verify(authority.headers(body), body)  # no download: still cached
    assert fetch.count(CERT_URL) == 1
    assert verifier.cached_certificate_urls() == [CERT_URL]


def test_the_cache_evicts_the_least_recently_used_validated_chain(
    authority: SigningAuthority,
) -> None:
    a, b, c = (f"{S3}/echo.api/{name}.pem" for name in "abc")
    fetch = CountingFetch(authority, good={a, b, c})
    verifier = make_verifier(authority, fetch, limits=DownloadLimits(max_chains=2))
    body = body_at()
    for url in (a, b, a, c):  # a is used again after b, so b goes when c arrives
        verifier.verify(with_url(authority, body, url), body)
    assert verifier.cached_certificate_urls() == [a, c]
    verifier.verify(with_url(authority, body, a), body)
    assert fetch.calls == [a, b, c]


def test_downloads_are_rate_limited(authority: SigningAuthority) -> None:
    fetch = CountingFetch(authority)
    clock = FakeMonotonic()
    limits = DownloadLimits(per_second=1.0, burst=2)
    verifier = make_verifier(authority, fetch, limits=limits, monotonic=clock)
    body = body_at()
    assert reason_of(verifier, with_url(authority, body, junk(0)), body) == DOWNLOAD_FAILED
    assert reason_of(verifier, with_url(authority, body, junk(1)), body) == DOWNLOAD_FAILED
    assert reason_of(verifier, with_url(authority, body, junk(2)), body) == DOWNLOADS_RATE_LIMITED
    assert len(fetch.calls) == 2
    clock.now += 1.0
    assert reason_of(verifier, with_url(authority, body, junk(2)), body) == DOWNLOAD_FAILED
    assert len(fetch.calls) == 3


# -- the URL checked is the URL fetched -----------------------------------------------------


_ENCODED = "bad certificate URL: path must not be percent-encoded"
_CHARS = "bad certificate URL: path has characters that are not allowed"
_EMPTY = "bad certificate URL: path has an empty segment"
_QUERY = "bad certificate URL: must not have a query or fragment"
_INVALID = "bad certificate URL: not a valid URL"
_PREFIX = "bad certificate URL: path must start with /echo.api/"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"{S3}/attacker-bucket/%2e%2e/echo.api/x.pem", _ENCODED),
        (f"{S3}/attacker-bucket/%2E%2E/echo.api/x.pem", _ENCODED),
        (f"{S3}/attacker-bucket/.%2e/echo.api/x.pem", _ENCODED),
        (f"{S3}/echo.api/..%2fattacker-bucket%2fx.pem", _ENCODED),
        (f"{S3}/echo.api%2f..%2fattacker/x.pem", _ENCODED),
        (f"{S3}/echo.api/%65cho-api-cert.pem", _ENCODED),  # even a harmless one
        (f"{S3}/echo.api/%252e%252e/x.pem", _ENCODED),
        (f"{S3}/attacker-bucket/..\\echo.api/x.pem", _CHARS),
        (f"{S3}/echo.api/..\\..\\attacker/x.pem", _CHARS),
        (f'{S3}/echo.api/"x".pem', _CHARS),
        (f"{S3}//echo.api/x.pem", _EMPTY),
        (f"{S3}/echo.api//x.pem", _EMPTY),
        (f"{S3}/attacker//../echo.api/x.pem", _EMPTY),
        (f"{S3}/echo.api/x.pem?versionId=1", _QUERY),
        (f"{S3}/echo.api/x.pem#part", _QUERY),
        (f"{S3}/echo.api/x .pem", _INVALID),
        (f"{S3}/echo.api/x\t.pem", _INVALID),
        (f"{S3}/echo.api/caf\u00e9.pem", _INVALID),
        (f"{S3}/attacker-bucket/../echo.api/x.pem", "ok"),  # plain dots normalise: see below
        (f"{S3}/echo.api/../attacker-bucket/x.pem", _PREFIX),
    ],
)
def test_encoded_or_ambiguous_urls_are_refused(
    authority: SigningAuthority, url: str, reason: str
) -> None:
    fetch = CountingFetch(authority, good=set())
    verifier = make_verifier(authority, fetch)
    body = body_at()
    got = reason_of(verifier, with_url(authority, body, url), body)
    if reason == "ok":  # passes the rules, and what is fetched is exactly the normalised URL
        assert got == DOWNLOAD_FAILED
        assert fetch.calls == [f"{S3}/echo.api/x.pem"]
    else:
        assert got == reason
        assert fetch.calls == []


@pytest.mark.parametrize(
    "url",
    [
        CERT_URL,
        "https://s3.amazonaws.com:443/echo.api/test-cert.pem",
        "HTTPS://S3.amazonaws.COM/echo.api/test-cert.pem",
        f"{S3}/echo.api/./test-cert.pem",
        f"{S3}/echo.api/old/../test-cert.pem",
        f"{S3}/other/../echo.api/test-cert.pem",
    ],
)
def test_every_spelling_of_one_url_is_fetched_once_as_checked(
    authority: SigningAuthority, url: str
) -> None:
    fetch = CountingFetch(authority)
    verifier = make_verifier(authority, fetch)
    body = body_at()
    verifier.verify(with_url(authority, body, url), body)
    verifier.verify(authority.headers(body), body)  # the same chain, from the cache
    assert fetch.calls == [CERT_URL]


# -- a flood ----------------------------------------------------------------------------------


def test_a_junk_flood_costs_bounded_downloads_and_real_requests_still_verify(
    authority: SigningAuthority,
) -> None:
    fetch = CountingFetch(authority)

    def slow_404(url: str) -> bytes:
        if url != CERT_URL:
            time.sleep(0.005)  # a round trip to a missing object
        return fetch(url)

    limits = DownloadLimits()
    verifier = make_verifier(authority, slow_404)
    body = body_at()
    verifier.verify(authority.headers(body), body)  # warm: the real chain is cached

    def flood(thread: int) -> set[str]:
        return {
            outcome(verifier, with_url(authority, body, junk(thread * 1000 + i)), body)
            for i in range(60)
        }

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        flooding = [pool.submit(flood, t) for t in range(8)]
        real = [outcome(verifier, authority.headers(body), body) for _ in range(50)]
        reasons = set().union(*(f.result(timeout=60) for f in flooding))
    elapsed = time.monotonic() - started

    assert real == ["ok"] * 50
    assert fetch.count(CERT_URL) == 1
    junk_downloads = len(fetch.calls) - 1
    assert junk_downloads <= limits.burst + limits.per_second * elapsed + 1
    assert DOWNLOADS_RATE_LIMITED in reasons
    assert reasons <= {DOWNLOAD_FAILED, DOWNLOADS_RATE_LIMITED, TOO_MANY_DOWNLOADS}
