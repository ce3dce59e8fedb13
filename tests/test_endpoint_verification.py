"""POST /alexa with verification on: every bad request gets 400 with a reason; a signed one, 200."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill.settings import Settings
from skill.verify import RequestVerifier
from tests.conftest import AppFactory
from tests.signing import CERT_URL, SigningAuthority, alexa_body, make_authority

SKILL_ID = "amzn1.ask.skill.test"
NOW = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def authority() -> SigningAuthority:
    return make_authority()


@pytest.fixture
def signed_app(make_app: AppFactory, authority: SigningAuthority) -> Flask:
    verifier = RequestVerifier(
        SKILL_ID, trust_roots=[authority.root], fetch=authority.fetch, clock=lambda: NOW
    )
    return make_app(SETTINGS=Settings(skill_id=SKILL_ID, verify=True), VERIFIER=verifier)


@pytest.fixture
def client(signed_app: Flask) -> FlaskClient:
    return signed_app.test_client()


def post(client: FlaskClient, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    answer = client.post(
        "/alexa", data=body, headers={"Content-Type": "application/json", **headers}
    )
    return answer.status_code, answer.get_json(silent=True)


def launch(**options: Any) -> bytes:
    return alexa_body(timestamp=options.pop("timestamp", NOW), application_id=SKILL_ID, **options)


def test_a_correctly_signed_request_is_answered(
    client: FlaskClient, authority: SigningAuthority
) -> None:
    body = launch()
    status, answer = post(client, body, authority.headers(body))
    assert status == 200
    assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")


def _other_ca_headers(body: bytes) -> dict[str, str]:
    return make_authority(name="Stranger").headers(body)


def _expired_headers(body: bytes) -> dict[str, str]:
    old = make_authority(
        name="Expired",
        not_before=datetime(2020, 1, 1, tzinfo=UTC),
        not_after=datetime(2025, 1, 1, tzinfo=UTC),
    )
    return old.headers(body)


Case = tuple[str, Callable[[SigningAuthority], tuple[bytes, dict[str, str]]], str]

CASES: list[Case] = [
    ("missing headers", lambda a: (launch(), {}), "missing SignatureCertChainUrl header"),
    (
        "missing signature",
        lambda a: (launch(), {"SignatureCertChainUrl": CERT_URL}),
        "missing Signature-256 header",
    ),
    (
        "bad url",
        lambda a: (
            launch(),
            {
                **a.headers(launch()),
                "SignatureCertChainUrl": "http://s3.amazonaws.com/echo.api/c.pem",
            },
        ),
        "bad certificate URL",
    ),
    (
        "download failure",
        lambda a: (
            launch(),
            {
                **a.headers(launch()),
                "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/missing.pem",
            },
        ),
        "could not download the signing certificate",
    ),
    (
        "bad signature",
        lambda a: (launch(), {**a.headers(b"other body")}),
        "signature does not match",
    ),
    (
        "stale timestamp",
        lambda a: (
            launch(timestamp=NOW - timedelta(seconds=151)),
            a.headers(launch(timestamp=NOW - timedelta(seconds=151))),
        ),
        "request timestamp is too old",
    ),
    (
        "wrong skill id",
        lambda a: (
            alexa_body(timestamp=NOW, application_id="amzn1.ask.skill.other"),
            a.headers(alexa_body(timestamp=NOW, application_id="amzn1.ask.skill.other")),
        ),
        "request is for another skill",
    ),
    ("malformed json", lambda a: (b"{not json", a.headers(b"{not json")), "body is not JSON"),
    ("non-json body", lambda a: (b"hello", a.headers(b"hello")), "body is not JSON"),
    ("json array", lambda a: (b"[1, 2]", a.headers(b"[1, 2]")), "body is not a JSON object"),
]


@pytest.mark.parametrize(("case", "make", "reason"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_request_gets_400_with_its_reason(
    client: FlaskClient, authority: SigningAuthority, case: str, make: Any, reason: str
) -> None:
    body, headers = make(authority)
    status, answer = post(client, body, headers)
    assert status == 400
    assert reason in answer["error"]


@pytest.mark.parametrize(
    ("case", "headers_for"),
    [("untrusted chain", _other_ca_headers), ("expired certificate", _expired_headers)],
)
def test_untrusted_or_expired_chains_get_400(
    make_app: AppFactory, authority: SigningAuthority, case: str, headers_for: Any
) -> None:
    stranger = make_authority(name="Stranger")
    expired = make_authority(
        name="Expired",
        not_before=datetime(2020, 1, 1, tzinfo=UTC),
        not_after=datetime(2025, 1, 1, tzinfo=UTC),
    )

    def fetch(url: str) -> bytes:
        return (stranger if case == "untrusted chain" else expired).chain_pem

    verifier = RequestVerifier(
        SKILL_ID, trust_roots=[authority.root, expired.root], fetch=fetch, clock=lambda: NOW
    )
    app = make_app(SETTINGS=Settings(skill_id=SKILL_ID, verify=True), VERIFIER=verifier)
    body = launch()
    status, answer = post(app.test_client(), body, headers_for(body))
    assert status == 400
    expected = "not trusted" if case == "untrusted chain" else "expired"
    assert expected in answer["error"]


def test_wrong_san_gets_400(make_app: AppFactory) -> None:
    other = make_authority(name="WrongName", san="example.com")
    verifier = RequestVerifier(
        SKILL_ID, trust_roots=[other.root], fetch=other.fetch, clock=lambda: NOW
    )
    app = make_app(SETTINGS=Settings(skill_id=SKILL_ID, verify=True), VERIFIER=verifier)
    body = launch()
    status, answer = post(app.test_client(), body, other.headers(body))
    assert status == 400
    assert "echo-api.amazon.com" in answer["error"]


def test_an_oversized_body_is_rejected_before_parsing(
    client: FlaskClient, authority: SigningAuthority
) -> None:
    body = b'{"padding": "' + b"x" * (200 * 1024) + b'"}'
    status, answer = post(client, body, authority.headers(body))
    assert status == 400
    assert answer["error"] == "request body too large"


def test_the_chain_is_fetched_once_for_many_requests(
    client: FlaskClient, authority: SigningAuthority
) -> None:
    before = authority.fetches
    for _ in range(3):
        body = launch()
        assert post(client, body, authority.headers(body))[0] == 200
    assert authority.fetches - before <= 1


def test_get_is_not_allowed_on_the_alexa_route(client: FlaskClient) -> None:
    assert client.get("/alexa").status_code == 405


def test_verification_rejects_json_missing_the_request(
    client: FlaskClient, authority: SigningAuthority
) -> None:
    body = json.dumps({"version": "1.0"}).encode()
    status, _answer = post(client, body, authority.headers(body))
    assert status == 400
