"""Unit tests of skill.verify.RequestVerifier, signed with the test CA from tests/signing.py."""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

import skill.verify as verify_module
from skill.verify import (
    MAX_BODY_BYTES,
    DownloadLimits,
    RequestVerifier,
    VerificationError,
    VerifiedRequest,
)
from tests.signing import SigningAuthority, alexa_body, make_authority

SKILL_ID = "amzn1.ask.skill.closer-together-test"
NOW = datetime(2026, 3, 10, 21, 0, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(scope="module")
def ca() -> SigningAuthority:
    return make_authority()


@pytest.fixture
def authority(ca: SigningAuthority) -> SigningAuthority:
    """The module's CA with a fresh fetch counter."""
    return replace(ca, fetches=0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_verifier(
    authority: SigningAuthority,
    clock: Callable[[], datetime] | None = None,
    *,
    skill_id: str | None = SKILL_ID,
    fetch: Callable[[str], bytes] | None = None,
    verify_signature: bool = True,
) -> RequestVerifier:
    return RequestVerifier(
        skill_id,
        trust_roots=[authority.root],
        fetch=fetch or authority.fetch,
        clock=clock or FakeClock(),
        verify_signature=verify_signature,
    )


def body_at(ts: datetime = NOW, **kwargs: Any) -> bytes:
    kwargs.setdefault("application_id", SKILL_ID)
    return alexa_body(timestamp=ts, **kwargs)


def reason_of(verifier: RequestVerifier, headers: dict[str, str], body: bytes) -> str:
    with pytest.raises(VerificationError) as info:
        verifier.verify(headers, body)
    assert str(info.value) == info.value.reason
    return info.value.reason


# -- the happy path -------------------------------------------------------------------------


@pytest.mark.parametrize("with_intermediate", [True, False])
def test_signed_request_passes(with_intermediate: bool) -> None:
    authority = make_authority(with_intermediate=with_intermediate)
    body = body_at()
    result = make_verifier(authority).verify(authority.headers(body), body)
    assert isinstance(result, VerifiedRequest)
    assert result.body == body
    assert result.envelope == json.loads(body)
    assert result.envelope["request"]["type"] == "LaunchRequest"


def test_headers_are_case_insensitive(authority: SigningAuthority) -> None:
    body = body_at()
    headers = {k.lower(): v for k, v in authority.headers(body).items()}
    make_verifier(authority).verify(headers, body)


def test_application_id_falls_back_to_session(authority: SigningAuthority) -> None:
    envelope = json.loads(body_at())
    del envelope["context"]["System"]["application"]
    body = json.dumps(envelope).encode()
    make_verifier(authority).verify(authority.headers(body), body)


def test_no_skill_id_accepts_any_application(authority: SigningAuthority) -> None:
    body = body_at(application_id="amzn1.ask.skill.someone-else")
    make_verifier(authority, skill_id=None).verify(authority.headers(body), body)


@pytest.mark.parametrize(
    "url",
    [
        "HTTPS://S3.AMAZONAWS.COM/echo.api/test-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/test-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/test-cert.pem",
    ],
)
def test_accepted_url_variants(authority: SigningAuthority, url: str) -> None:
    fetched: list[str] = []

    def fetch(wanted: str) -> bytes:
        fetched.append(wanted)
        return authority.fetch(wanted)

    body = body_at()
    headers = authority.headers(body) | {"SignatureCertChainUrl": url}
    make_verifier(authority, fetch=fetch).verify(headers, body)
    assert fetched == [authority.url]  # the URL as checked: rebuilt, normalised


# -- size and headers -----------------------------------------------------------------------


def test_oversized_body(authority: SigningAuthority) -> None:
    body = b" " * (MAX_BODY_BYTES + 1)
    assert reason_of(make_verifier(authority), {}, body) == "request body too large"


def test_empty_body(authority: SigningAuthority) -> None:
    assert reason_of(make_verifier(authority), authority.headers(b""), b"") == "empty request body"


@pytest.mark.parametrize(
    ("drop", "reason"),
    [
        ("SignatureCertChainUrl", "missing SignatureCertChainUrl header"),
        ("Signature-256", "missing Signature-256 header"),
    ],
)
def test_missing_headers(authority: SigningAuthority, drop: str, reason: str) -> None:
    body = body_at()
    headers = authority.headers(body)
    del headers[drop]
    assert reason_of(make_verifier(authority), headers, body) == reason
    headers[drop] = "  "  # blank counts as missing
    assert reason_of(make_verifier(authority), headers, body) == reason


# -- certificate URL ------------------------------------------------------------------------


_S3 = "https://s3.amazonaws.com"
_SCHEME = "scheme must be https"
_HOST = "host must be s3.amazonaws.com"
_PORT = "port must be 443"
_PATH = "path must start with /echo.api/"
_INVALID = "not a valid URL"


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("http://s3.amazonaws.com/echo.api/test-cert.pem", _SCHEME),
        ("ftp://s3.amazonaws.com/echo.api/test-cert.pem", _SCHEME),
        ("https://notamazon.com/echo.api/test-cert.pem", _HOST),
        ("https://s3.amazonaws.com.evil.example/echo.api/test-cert.pem", _HOST),
        ("https://evil@s3.amazonaws.com/echo.api/test-cert.pem", _HOST),
        ("https://s3.amazonaws.com:8443/echo.api/test-cert.pem", _PORT),
        ("https://s3.amazonaws.com:http/echo.api/test-cert.pem", _INVALID),
        ("https://[s3.amazonaws.com/echo.api/test-cert.pem", _INVALID),
        (f"{_S3}/echo.api/../x", _PATH),
        (f"{_S3}/echo.api/%2e%2e/x", "path must not be percent-encoded"),
        (f"{_S3}/ECHO.API/test-cert.pem", _PATH),
        (f"{_S3}/invalid.path/test-cert.pem", _PATH),
        (f"{_S3}/echo.api", _PATH),
        (_S3, _PATH),
    ],
)
def test_bad_certificate_urls(authority: SigningAuthority, url: str, rule: str) -> None:
    body = body_at()
    headers = authority.headers(body) | {"SignatureCertChainUrl": url}
    assert reason_of(make_verifier(authority), headers, body) == f"bad certificate URL: {rule}"
    assert authority.fetches == 0


# -- certificate chain ----------------------------------------------------------------------


def test_fetch_failure(authority: SigningAuthority) -> None:
    body = body_at()
    headers = authority.headers(body) | {
        "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/unknown.pem"
    }
    reason = reason_of(make_verifier(authority), headers, body)
    assert reason == "could not download the signing certificate"


def test_chain_not_pem(authority: SigningAuthority) -> None:
    body = body_at()
    verifier = make_verifier(authority, fetch=lambda url: b"<html>Access Denied</html>")
    assert (
        reason_of(verifier, authority.headers(body), body) == "certificate chain is not valid PEM"
    )


def test_chain_from_another_ca(authority: SigningAuthority) -> None:
    other = make_authority(name="Other")
    body = body_at()
    verifier = make_verifier(authority, fetch=other.fetch)
    assert reason_of(verifier, other.headers(body), body) == "certificate chain is not trusted"


def test_chain_missing_intermediate(authority: SigningAuthority) -> None:
    leaf_only = authority.chain_pem.split(b"-----END CERTIFICATE-----")[0]
    leaf_only += b"-----END CERTIFICATE-----\n"
    body = body_at()
    verifier = make_verifier(authority, fetch=lambda url: leaf_only)
    assert reason_of(verifier, authority.headers(body), body) == "certificate chain is not trusted"


@pytest.mark.parametrize(
    ("not_before", "not_after"),
    [
        (NOW - timedelta(days=400), NOW - timedelta(days=1)),  # expired
        (NOW + timedelta(days=1), NOW + timedelta(days=400)),  # not yet valid
    ],
)
def test_leaf_outside_validity(
    authority: SigningAuthority, not_before: datetime, not_after: datetime
) -> None:
    leaf = make_authority(not_before=not_before, not_after=not_after)
    body = body_at()
    verifier = make_verifier(authority, fetch=leaf.fetch)
    assert reason_of(verifier, leaf.headers(body), body) == "signing certificate expired"


def test_leaf_for_another_name(authority: SigningAuthority) -> None:
    wrong = make_authority(san="echo-api.example.com")
    body = body_at()
    verifier = make_verifier(authority, fetch=wrong.fetch)
    reason = reason_of(verifier, wrong.headers(body), body)
    assert reason == "signing certificate is not for echo-api.amazon.com"


def test_leaf_key_not_rsa(authority: SigningAuthority) -> None:
    ec_leaf = make_authority(leaf_key=ec.generate_private_key(ec.SECP256R1()))
    body = body_at()
    headers = {
        "SignatureCertChainUrl": ec_leaf.url,
        "Signature-256": base64.b64encode(b"\0" * 256).decode(),
    }
    verifier = make_verifier(authority, fetch=ec_leaf.fetch)
    assert reason_of(verifier, headers, body) == "signing certificate key is not RSA"


# -- signature ------------------------------------------------------------------------------


@pytest.mark.parametrize("signature", ["not base64!", "abc", "QUJD\nRA=="])
def test_signature_not_base64(authority: SigningAuthority, signature: str) -> None:
    body = body_at()
    headers = authority.headers(body) | {"Signature-256": signature}
    assert reason_of(make_verifier(authority), headers, body) == "signature is not base64"


def test_tampered_body(authority: SigningAuthority) -> None:
    body = body_at()
    headers = authority.headers(body)
    tampered = body.replace(b"LaunchRequest", b"SessionEndedRequest")
    assert reason_of(make_verifier(authority), headers, tampered) == (
        "signature does not match the body"
    )


def test_signature_from_another_key(authority: SigningAuthority) -> None:
    body = body_at()
    other = make_authority(name="Other")
    headers = authority.headers(body) | {"Signature-256": other.sign(body)}
    assert reason_of(make_verifier(authority), headers, body) == (
        "signature does not match the body"
    )


# -- body -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "body is not JSON"),
        (b'{"request": ', "body is not JSON"),
        (b'{"text": "caf\xe9"}', "body is not JSON"),  # latin-1, not UTF-8
        (b"[1, 2, 3]", "body is not a JSON object"),
        (b'"just a string"', "body is not a JSON object"),
    ],
)
def test_signed_body_not_a_json_object(
    authority: SigningAuthority, body: bytes, reason: str
) -> None:
    assert reason_of(make_verifier(authority), authority.headers(body), body) == reason


# -- timestamp ------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [-150, 0, 150])
def test_timestamp_within_tolerance(authority: SigningAuthority, offset: int) -> None:
    body = body_at(NOW + timedelta(seconds=offset))
    make_verifier(authority).verify(authority.headers(body), body)


@pytest.mark.parametrize("offset", [-151, 151, -86400])
def test_timestamp_outside_tolerance(authority: SigningAuthority, offset: int) -> None:
    body = body_at(NOW + timedelta(seconds=offset))
    assert reason_of(make_verifier(authority), authority.headers(body), body) == (
        "request timestamp is too old"
    )


def test_skill_event_tolerance(authority: SigningAuthority) -> None:
    verifier = make_verifier(authority)
    ok = body_at(NOW - timedelta(seconds=3000), request_type="AlexaSkillEvent.SkillEnabled")
    verifier.verify(authority.headers(ok), ok)
    late = body_at(NOW - timedelta(seconds=3601), request_type="AlexaSkillEvent.SkillEnabled")
    assert reason_of(verifier, authority.headers(late), late) == "request timestamp is too old"
    intent = body_at(NOW - timedelta(seconds=3000), request_type="IntentRequest")
    assert reason_of(verifier, authority.headers(intent), intent) == "request timestamp is too old"


@pytest.mark.parametrize(
    "timestamp", [None, "yesterday", 1773176400000, "0001-01-01T00:00:00+01:00"]
)
def test_missing_or_bad_timestamp(authority: SigningAuthority, timestamp: Any) -> None:
    envelope = json.loads(body_at())
    if timestamp is None:
        del envelope["request"]["timestamp"]
    else:
        envelope["request"]["timestamp"] = timestamp
    body = json.dumps(envelope).encode()
    assert reason_of(make_verifier(authority), authority.headers(body), body) == (
        "missing or bad timestamp"
    )


def test_timestamp_with_fraction_and_offset(authority: SigningAuthority) -> None:
    envelope = json.loads(body_at())
    envelope["request"]["timestamp"] = "2026-03-10T22:00:30.250+01:00"
    body = json.dumps(envelope).encode()
    make_verifier(authority).verify(authority.headers(body), body)


# -- application id -------------------------------------------------------------------------


def test_wrong_skill_id(authority: SigningAuthority) -> None:
    body = body_at(application_id="amzn1.ask.skill.someone-else")
    assert reason_of(make_verifier(authority), authority.headers(body), body) == (
        "request is for another skill"
    )


def test_missing_skill_id(authority: SigningAuthority) -> None:
    envelope = json.loads(body_at())
    del envelope["context"]["System"]["application"]
    del envelope["session"]
    body = json.dumps(envelope).encode()
    assert reason_of(make_verifier(authority), authority.headers(body), body) == (
        "request is for another skill"
    )


# -- development mode (verify_signature=False) ----------------------------------------------


def test_dev_mode_skips_signature_and_timestamp(authority: SigningAuthority) -> None:
    verifier = make_verifier(authority, verify_signature=False)
    body = body_at(NOW - timedelta(days=30))
    assert verifier.verify({}, body).envelope["request"]["type"] == "LaunchRequest"
    assert authority.fetches == 0


def test_dev_mode_still_checks_size_json_and_skill_id(authority: SigningAuthority) -> None:
    verifier = make_verifier(authority, verify_signature=False)
    assert reason_of(verifier, {}, b"x" * (MAX_BODY_BYTES + 1)) == "request body too large"
    assert reason_of(verifier, {}, b"nope") == "body is not JSON"
    assert reason_of(verifier, {}, b"[]") == "body is not a JSON object"
    other = body_at(application_id="amzn1.ask.skill.someone-else")
    assert reason_of(verifier, {}, other) == "request is for another skill"
    anyone = make_verifier(authority, skill_id=None, verify_signature=False)
    anyone.verify({}, other)


# -- the certificate cache ------------------------------------------------------------------


def test_cache_fetches_once(authority: SigningAuthority, clock: FakeClock) -> None:
    verifier = make_verifier(authority, clock)
    for _ in range(3):
        body = body_at(clock.now)
        verifier.verify(authority.headers(body), body)
        clock.advance(timedelta(seconds=10))
    assert authority.fetches == 1


def test_cache_expires_with_the_leaf(clock: FakeClock) -> None:
    short = make_authority(not_after=NOW + timedelta(hours=1))
    verifier = make_verifier(short, clock)
    for _ in range(3):
        body = body_at(clock.now)
        verifier.verify(short.headers(body), body)
    assert short.fetches == 1

    clock.advance(timedelta(hours=2))
    body = body_at(clock.now)
    assert reason_of(verifier, short.headers(body), body) == "signing certificate expired"
    assert short.fetches == 2


def test_cache_refetches_a_renewed_chain(clock: FakeClock) -> None:
    old = make_authority(not_after=NOW + timedelta(hours=1))
    new = make_authority(not_before=NOW, not_after=NOW + timedelta(days=30))
    served = [old]
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return served[0].fetch(url)

    verifier = make_verifier(old, clock, fetch=fetch)
    body = body_at(clock.now)
    verifier.verify(old.headers(body), body)
    clock.advance(timedelta(hours=2))
    served[0] = new
    body = body_at(clock.now)
    verifier.verify(new.headers(body), body)
    verifier.verify(new.headers(body), body)
    assert len(fetched) == 2


def test_failed_chains_are_remembered_not_cached(authority: SigningAuthority) -> None:
    other = make_authority(name="Other")
    verifier = make_verifier(authority, fetch=other.fetch)
    body = body_at()
    for _ in range(2):
        assert reason_of(verifier, other.headers(body), body) == "certificate chain is not trusted"
    assert other.fetches == 1
    assert verifier.cached_certificate_urls() == []


def test_cache_is_bounded(authority: SigningAuthority) -> None:
    verifier = RequestVerifier(
        SKILL_ID,
        trust_roots=[authority.root],
        fetch=lambda url: authority.chain_pem,
        clock=FakeClock(),
        limits=DownloadLimits(burst=64),
    )
    body = body_at()
    signature = authority.sign(body)
    for i in range(40):
        url = f"https://s3.amazonaws.com/echo.api/cert-{i}.pem"
        verifier.verify({"SignatureCertChainUrl": url, "Signature-256": signature}, body)
    cached = verifier.cached_certificate_urls()
    assert len(cached) == 32
    assert cached[-1].endswith("cert-39.pem")


# -- defaults: certifi roots and the urllib fetcher -----------------------------------------


def test_default_roots_are_certifi_and_load_quietly(
    authority: SigningAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_module, "_certifi_roots", None)
    verifier = RequestVerifier(SKILL_ID, fetch=authority.fetch, clock=FakeClock())
    body = body_at()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert reason_of(verifier, authority.headers(body), body) == (
            "certificate chain is not trusted"
        )
    assert verify_module._certifi_roots is not None
    assert len(verify_module._certifi_roots) > 100


def test_default_fetch_is_download_chain_with_the_deadline(
    authority: SigningAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, float]] = []

    def download(url: str, deadline: float) -> bytes:
        calls.append((url, deadline))
        return authority.chain_pem

    monkeypatch.setattr(verify_module, "download_chain", download)
    verifier = RequestVerifier(
        SKILL_ID, trust_roots=[authority.root], clock=FakeClock(), fetch_timeout=1.5
    )
    body = body_at()
    verifier.verify(authority.headers(body), body)
    assert calls == [(authority.url, 1.5)]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ValueError("certificate chain too large"), "could not download the signing certificate"),
        (OSError("HTTP 403"), "could not download the signing certificate"),
        (TimeoutError("deadline"), "could not download the signing certificate in time"),
    ],
    ids=["too-large", "http-error", "timeout"],
)
def test_default_fetch_failures(
    authority: SigningAuthority, monkeypatch: pytest.MonkeyPatch, error: Exception, reason: str
) -> None:
    def download(url: str, deadline: float) -> bytes:
        raise error

    monkeypatch.setattr(verify_module, "download_chain", download)
    verifier = RequestVerifier(SKILL_ID, trust_roots=[authority.root], clock=FakeClock())
    body = body_at()
    assert reason_of(verifier, authority.headers(body), body) == reason


# -- API details ----------------------------------------------------------------------------


def test_verification_error_is_its_reason() -> None:
    error = VerificationError("request body too large")
    assert error.reason == "request body too large"
    assert str(error) == "request body too large"
    assert repr(error) == "VerificationError('request body too large')"


def test_empty_trust_roots_rejected() -> None:
    with pytest.raises(ValueError, match="trust_roots"):
        RequestVerifier(SKILL_ID, trust_roots=[])
