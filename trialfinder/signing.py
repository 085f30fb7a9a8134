"""Signed, timed links (alert emails, staff lead links) with a clock tests can set. No Flask."""

import time
from collections.abc import Callable

from itsdangerous import TimestampSigner, URLSafeTimedSerializer


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
