"""The floor: the least work any skill must do per Alexa request, as a bare WSGI callable.

bench/run serves it with the same gunicorn settings as the product and the reference, so that
product / floor is exactly what the product adds on top of the unavoidable. Per request:

* read the body, check ``SignatureCertChainUrl`` is the one chain it knows, and verify
  ``Signature-256`` over the raw body (RSA PKCS#1 v1.5, SHA-256) with the leaf key of the test
  CA's chain, loaded once at start-up (as a verifier that caches the downloaded, validated chain
  per URL does after its first request);
* parse the JSON body, check the request timestamp is within 150 s of now and that the
  ``applicationId`` is the skill's (Alexa requires both);
* the household's item, keyed like the product's (``h#`` and an HMAC digest of the userId,
  ``skill.store.keys``): ``/alexa/read`` does one strongly consistent ``GetItem``;
  ``/alexa/write`` does that and one conditional ``PutItem`` (the item read, one version on,
  on condition of the version read; or, for a new household, a new item of
  ``FLOOR_NEW_ITEM_BYTES`` on condition it does not exist yet). ``/alexa`` touches no store.
  The client is built like the product's (``boto3.client`` with the product's
  ``skill.store.dynamodb.client_config()``), and the item has the product's layout;
* answer with a fixed response.

No Flask, no ask-sdk. Configuration (environment): ``FLOOR_SKILL_ID``, ``FLOOR_TABLE``,
``FLOOR_DYNAMODB_ENDPOINT_URL``, ``AWS_DEFAULT_REGION``, ``FLOOR_NEW_ITEM_BYTES``,
``BENCH_CA_DIR`` (``chain.pem``) and ``BENCH_CERT_URL``.

    gunicorn --pythonpath bench 'floor.app:create_app()'
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from benchlib import opcount
from botocore.client import BaseClient
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from skill.store.dynamodb import client_config
from skill.store.keys import BUILT_IN_SECRET, digest_key

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

TOLERANCE = timedelta(seconds=150)
MAX_BODY = 128 * 1024
REPLY = json.dumps(
    {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": "<speak>Good evening.</speak>"},
            "shouldEndSession": True,
        },
    },
    separators=(",", ":"),
).encode("utf-8")
JSON_HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(REPLY)))]
ROUTES = {"/alexa": "none", "/alexa/read": "read", "/alexa/write": "write"}


class Rejected(Exception):
    """The request fails verification: HTTP 400."""


@dataclass(frozen=True)
class Check:
    """Signature, timestamp and skill id: what a skill must check on every request."""

    cert_url: str
    key: rsa.RSAPublicKey
    skill_id: str

    def envelope(self, environ: dict[str, Any], body: bytes) -> dict[str, Any]:
        if environ.get("HTTP_SIGNATURECERTCHAINURL") != self.cert_url:
            raise Rejected("unknown certificate chain")
        try:
            signature = base64.b64decode(environ.get("HTTP_SIGNATURE_256", ""), validate=True)
            self.key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
            envelope: dict[str, Any] = json.loads(body)
            stamp = datetime.fromisoformat(envelope["request"]["timestamp"])
            skill = envelope["context"]["System"]["application"]["applicationId"]
        except (InvalidSignature, binascii.Error, ValueError, KeyError, TypeError) as problem:
            raise Rejected(type(problem).__name__) from None
        if abs(datetime.now(UTC) - stamp) > TOLERANCE:
            raise Rejected("stale timestamp")
        if skill != self.skill_id:
            raise Rejected("wrong skill")
        return envelope


@dataclass(frozen=True)
class Store:
    """One item per household, in the product's layout (``pk``, ``version``, ``data``)."""

    client: BaseClient
    table: str
    new_item_bytes: int

    def read(self, household: str) -> dict[str, Any] | None:
        found = self.client.get_item(
            TableName=self.table,
            Key={"pk": {"S": digest_key(BUILT_IN_SECRET, household)}},
            ConsistentRead=True,
            ProjectionExpression="#v, #d, #e",
            ExpressionAttributeNames={"#v": "version", "#d": "data", "#e": "expires_at"},
        )
        item: dict[str, Any] | None = found.get("Item")
        return item

    def write(self, household: str, item: dict[str, Any] | None) -> None:
        pk = digest_key(BUILT_IN_SECRET, household)
        if item is None:
            data = padded_data(self.new_item_bytes, len(pk.encode("utf-8")))
            new = {"pk": {"S": pk}, "version": {"N": "1"}, "data": {"S": data}}
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            version = int(item["version"]["N"])
            new = {**item, "pk": {"S": pk}, "version": {"N": str(version + 1)}}
            condition = {
                "ConditionExpression": "#v = :expected",
                "ExpressionAttributeNames": {"#v": "version"},
                "ExpressionAttributeValues": {":expected": {"N": str(version)}},
            }
        try:
            self.client.put_item(TableName=self.table, Item=new, **condition)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise


def padded_data(item_bytes: int, key_bytes: int) -> str:
    """A ``data`` string that makes a new item about ``item_bytes`` long (DynamoDB's sizing)."""
    overhead = len("pk") + key_bytes + len("version") + 2 + len("data") + len('{"pad":""}')
    return json.dumps({"pad": "x" * max(0, item_bytes - overhead)}, separators=(",", ":"))


def load_leaf_key(ca_dir: Path) -> rsa.RSAPublicKey:
    leaf = x509.load_pem_x509_certificates((ca_dir / "chain.pem").read_bytes())[0]
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise TypeError("the test chain's leaf key is not RSA")
    return key


def create_app() -> WsgiApp:
    opcount.install()
    check = Check(
        os.environ["BENCH_CERT_URL"],
        load_leaf_key(Path(os.environ["BENCH_CA_DIR"])),
        os.environ["FLOOR_SKILL_ID"],
    )
    client = boto3.client(
        "dynamodb",
        region_name=os.environ.get("AWS_DEFAULT_REGION"),
        endpoint_url=os.environ.get("FLOOR_DYNAMODB_ENDPOINT_URL"),
        config=client_config(),
    )
    new_item = int(os.environ.get("FLOOR_NEW_ITEM_BYTES", "512"))
    store = Store(client, os.environ["FLOOR_TABLE"], new_item)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route = ROUTES.get(environ.get("PATH_INFO", ""))
        if route is None or environ.get("REQUEST_METHOD") != "POST":
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        try:
            answer(check, store, route, environ)
        except Rejected as problem:
            text = json.dumps({"error": str(problem)}).encode("utf-8")
            start_response("400 Bad Request", [("Content-Length", str(len(text)))])
            return [text]
        start_response("200 OK", JSON_HEADERS)
        return [REPLY]

    return opcount.counting(application)


def answer(check: Check, store: Store, route: str, environ: dict[str, Any]) -> None:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        raise Rejected("request body too large")
    body = environ["wsgi.input"].read(length)
    envelope = check.envelope(environ, body)
    if route == "none":
        return
    household = envelope["context"]["System"]["user"]["userId"]
    item = store.read(household)
    if route == "write":
        store.write(household, item)
