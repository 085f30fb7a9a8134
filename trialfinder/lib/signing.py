"""Signed, timed links (alert emails, staff lead links) with a clock tests can set. No Flask."""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer


class ClockSigner(TimestampSigner):
    """A signer whose clock can be set, so that expiry is testable without waiting."""

    def __init__(self, *args, clock: Callable[[], float] = time.time, **kwargs):
        super().__init__(*args, **kwargs)
        self.clock = clock

    def get_timestamp(self) -> int:
        return int(self.clock())


def serializer(
    secret_key: str, salt: str, clock: Callable[[], float], **signer_kwargs
) -> URLSafeTimedSerializer:
    """Return a URL-safe timed serializer for one purpose (the salt) on a given clock."""
    return URLSafeTimedSerializer(
        secret_key,
        salt=salt,
        signer=ClockSigner,
        signer_kwargs={"clock": clock, **signer_kwargs},
    )


V = TypeVar("V")


class BadLink(Exception):
    """The link was altered, was not made by us, or is too old: the page says only "not found"."""


@dataclass(frozen=True)
class LeadLink(Generic[V]):
    """A link that names one lead and one more value (a hop, a reference), for one purpose.

    SHA-256: a longer signature than itsdangerous's default; the link is the only credential.
    """

    salt: str
    max_age: timedelta
    kind: type[V]  # of the value signed with the lead id

    def make(
        self, secret_key: str, lead_id: int, value: V, clock: Callable[[], float] = time.time
    ) -> str:
        """Sign a lead id with its value."""
        return self._serializer(secret_key, clock).dumps([lead_id, value])

    def read(
        self, secret_key: str, token: str, clock: Callable[[], float] = time.time
    ) -> tuple[int, V]:
        """Return (lead id, value) from a token, or raise BadLink."""
        try:
            lead_id, value = self._serializer(secret_key, clock).loads(
                token, max_age=int(self.max_age.total_seconds())
            )
        except (BadData, TypeError, ValueError) as error:
            raise BadLink from error
        if not isinstance(lead_id, int) or not isinstance(value, self.kind):
            raise BadLink
        return lead_id, value

    def _serializer(self, secret_key: str, clock: Callable[[], float]) -> URLSafeTimedSerializer:
        return serializer(secret_key, self.salt, clock, digest_method=hashlib.sha256)
