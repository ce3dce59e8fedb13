"""A throwaway certificate authority that signs Alexa-style requests for tests and benchmarks.

``make_authority()`` builds root -> intermediate -> leaf certificates that satisfy
cryptography's (strict, web-PKI) server-verifier policy, so ``skill.verify.RequestVerifier``
accepts them when given ``trust_roots=[authority.root]`` and ``fetch=authority.fetch``.

RSA key generation is slow, so keys are generated once per process per authority name and
reused; certificates themselves are cheap and built fresh on every call.
"""

from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["CERT_URL", "SigningAuthority", "alexa_body", "make_authority"]

CERT_URL = "https://s3.amazonaws.com/echo.api/test-cert.pem"

# Wide defaults so the certificates are valid for any test clock (fixed or real).
_CA_NOT_BEFORE = datetime(2000, 1, 1, tzinfo=UTC)
_CA_NOT_AFTER = datetime(2099, 12, 31, tzinfo=UTC)
_LEAF_NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
_LEAF_NOT_AFTER = datetime(2095, 1, 1, tzinfo=UTC)

LeafKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@functools.cache
def _rsa_key(label: str) -> rsa.RSAPrivateKey:
    """One RSA 2048 key per label per process (generation costs ~50-100 ms)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class SigningAuthority:
    """A root, the PEM chain Alexa would serve (leaf first, then intermediates) and its URL."""

    root: x509.Certificate
    leaf: x509.Certificate
    leaf_key: LeafKey
    chain_pem: bytes
    url: str = CERT_URL
    fetches: int = 0

    def sign(self, body: bytes) -> str:
        """The base64 ``Signature-256`` header value for ``body`` (RSA PKCS#1 v1.5, SHA-256)."""
        if not isinstance(self.leaf_key, rsa.RSAPrivateKey):
            raise TypeError("this authority's leaf key is not RSA; it cannot sign like Alexa")
        signature = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def headers(self, body: bytes) -> dict[str, str]:
        """Both signature headers as Alexa sends them."""
        return {"SignatureCertChainUrl": self.url, "Signature-256": self.sign(body)}

    def fetch(self, url: str) -> bytes:
        """A stand-in for downloading the chain: serves ``chain_pem`` for ``self.url`` only."""
        self.fetches += 1
        if url != self.url:
            raise OSError(f"404 not found: {url}")
        return self.chain_pem


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Closer Together Tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_cert(
    *,
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    path_length: int | None,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_CA_NOT_BEFORE)
        .not_valid_after(_CA_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def make_authority(
    *,
    san: str = "echo-api.amazon.com",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    with_intermediate: bool = True,
    name: str = "Test",
    leaf_key: LeafKey | None = None,
) -> SigningAuthority:
    """Build a fresh root (-> intermediate) -> leaf chain.

    ``name`` selects a distinct CA (its own subject names and keys), e.g. ``name="Other"`` for
    a chain that a verifier trusting the default authority's root must reject. ``leaf_key``
    overrides the (cached RSA) leaf key, e.g. with an EC key.
    """
    root_key = _rsa_key(f"{name}/root")
    root_name = _name(f"{name} Root CA")
    root = _ca_cert(
        subject=root_name, key=root_key, issuer=root_name, issuer_key=root_key, path_length=None
    )
    chain: list[x509.Certificate] = []
    issuer_name, issuer_key = root_name, root_key
    if with_intermediate:
        inter_key = _rsa_key(f"{name}/intermediate")
        inter_name = _name(f"{name} Intermediate CA")
        chain.append(
            _ca_cert(
                subject=inter_name,
                key=inter_key,
                issuer=root_name,
                issuer_key=root_key,
                path_length=0,
            )
        )
        issuer_name, issuer_key = inter_name, inter_key

    key = leaf_key if leaf_key is not None else _rsa_key(f"{name}/leaf")
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, san)]))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or _LEAF_NOT_BEFORE)
        .not_valid_after(not_after or _LEAF_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=isinstance(key, rsa.RSAPrivateKey),
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )
    chain.insert(0, leaf)
    chain_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)
    return SigningAuthority(root=root, leaf=leaf, leaf_key=key, chain_pem=chain_pem)


def alexa_body(
    *,
    timestamp: datetime,
    application_id: str = "amzn1.ask.skill.test",
    request_type: str = "LaunchRequest",
    user_id: str = "amzn1.ask.account.TEST",
    extra_request: dict[str, Any] | None = None,
) -> bytes:
    """A minimal Alexa request envelope (as raw bytes) with the given timestamp and skill id."""
    application = {"applicationId": application_id}
    user = {"userId": user_id}
    envelope = {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.TEST",
            "application": application,
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "type": request_type,
            "requestId": "amzn1.echo-api.request.TEST",
            "timestamp": timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": "en-US",
            **(extra_request or {}),
        },
    }
    return json.dumps(envelope, separators=(",", ":")).encode("utf-8")
