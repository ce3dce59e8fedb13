"""Which partner a recognised voice belongs to.

Alexa names a recognised speaker by a person id; the household keeps only a short, fixed
length digest of it (never the id itself), mapped to one of the two names the couple gave
(0 or 1). At most two voices are kept, one per partner.
"""

from __future__ import annotations

import base64
import hashlib

DIGEST_LENGTH = 8
"""Characters in a stored voice digest."""
Voices = tuple[tuple[str, int], ...]


def person_digest(person_id: str) -> str:
    """A short, fixed-length digest of an Alexa person id: all the skill keeps of it."""
    raw = hashlib.blake2b(person_id.encode("utf-8"), digest_size=6, person=b"closer-voice").digest()
    return base64.urlsafe_b64encode(raw).decode("ascii")[:DIGEST_LENGTH]


def partner_of(voices: Voices, digest: str | None) -> int | None:
    """The partner (0 or 1) a voice digest was matched to, or None."""
    return next((partner for known, partner in voices if known == digest), None)


def remember(voices: Voices, digest: str, partner: int) -> Voices:
    """Match a voice to a partner; it replaces any voice matched to that partner before."""
    if partner not in (0, 1):
        raise ValueError("a partner is 0 or 1")
    kept = [(known, who) for known, who in voices if known != digest and who != partner]
    return tuple(sorted([*kept, (digest, partner)], key=lambda pair: pair[1]))


def speaker(names: tuple[str, ...], voices: Voices, digest: str | None) -> int | None:
    """The recognised speaker (0 or 1), when both names are known and the voice was matched."""
    return partner_of(voices, digest) if len(names) >= 2 else None


def partner_named(names: tuple[str, ...], spoken: str | None) -> int | None:
    """Which of the two names a spoken name is (0 or 1), or None."""
    said = (spoken or "").strip().lower()
    return next((i for i, name in enumerate(names[:2]) if said and name.lower() == said), None)


def renamed(voices: Voices, before: tuple[str, ...], after: tuple[str, ...]) -> Voices:
    """Voices after the couple gives new names: a voice keeps its name wherever it now stands."""
    kept = []
    for digest, partner in voices:
        name = before[partner].lower() if partner < len(before) else None
        where = [i for i, new in enumerate(after[:2]) if new.lower() == name]
        if where:
            kept.append((digest, where[0]))
    return tuple(sorted(kept, key=lambda pair: pair[1]))


def is_digest(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) == DIGEST_LENGTH
        and all(c.isalnum() or c in "-_" for c in value)
    )
