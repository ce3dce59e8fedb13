"""Which item a household lives in: a fixed-length digest of its Alexa userId, never the id.

A real ``userId`` is about 225 characters and names an Amazon account. The item's key is
``h#`` followed by HMAC-SHA-256(secret, userId) truncated to 16 bytes and written in unpadded
base64url: 24 characters whatever the id, so every item stays small, and the table holds no
account id. 128 bits keep collisions out of reach (about 1 in 10^20 for a billion households).

The HMAC secret is a deployment setting (``CLOSER_HOUSEHOLD_SECRET``): without it, whoever
reads the table cannot tell which account an item belongs to even when they hold that
account's id. Unset, a fixed built-in secret is used (still fixed-length, still no raw id, but
anyone with the code and an id can find the item). Rotating the secret moves every household to
a new key: put the old secret in ``CLOSER_HOUSEHOLD_SECRET_PREVIOUS`` and each household is
moved on its next visit (read-through, like items keyed by the raw id before digests).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

__all__ = ["LEGACY_PREFIX", "PREFIX", "HouseholdKeys"]

PREFIX = "h#"
LEGACY_PREFIX = "household#"
"""Items written before digests were keyed ``household#<raw userId>``."""
DIGEST_BYTES = 16
BUILT_IN_SECRET = b"closer-together/household-key/v1"


def digest_key(secret: bytes, household_id: str) -> str:
    mac = hmac.new(secret, household_id.encode("utf-8"), hashlib.sha256).digest()
    return PREFIX + base64.urlsafe_b64encode(mac[:DIGEST_BYTES]).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class HouseholdKeys:
    """The key a household is written under, and the older keys it may still be read from."""

    secret: bytes = BUILT_IN_SECRET
    previous: bytes | None = None
    read_legacy: bool = True
    """Look up items keyed by the raw id (written before digests) when the digest key misses."""

    @classmethod
    def from_secrets(cls, secret: str | None, previous: str | None = None) -> HouseholdKeys:
        return cls(
            secret=secret.encode("utf-8") if secret else BUILT_IN_SECRET,
            previous=previous.encode("utf-8") if previous else None,
        )

    def current(self, household_id: str) -> str:
        return digest_key(self.secret, household_id)

    def older(self, household_id: str, *, raw: bool = True) -> tuple[str, ...]:
        """Keys the household may have been written under before, newest first; ``raw=False``
        leaves out the raw-id key (the table is known to hold none)."""
        keys: list[str] = []
        if self.previous is not None and self.previous != self.secret:
            keys.append(digest_key(self.previous, household_id))
        if self.read_legacy and raw:
            keys.append(LEGACY_PREFIX + household_id)
        return tuple(keys)
