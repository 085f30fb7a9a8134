"""The link in a family's emails to follow its request: signed, names one lead. No Flask."""

import time
from collections.abc import Callable
from datetime import timedelta

from trialfinder.lib.signing import BadLink, LeadLink

SALT = "trialfinder.requests.status-link"
# As long as a request is kept: README asks operators to run `leads purge --older-than 180`.
MAX_AGE = timedelta(days=180)
LINK = LeadLink(SALT, MAX_AGE, str)
__all__ = ["BadLink", "make_token", "read_token"]


def make_token(
    secret_key: str, lead_id: int, reference: str, clock: Callable[[], float] = time.time
) -> str:
    """Sign a lead id with its reference: a row id reused after a purge opens nothing."""
    return LINK.make(secret_key, lead_id, reference, clock)


def read_token(
    secret_key: str, token: str, clock: Callable[[], float] = time.time
) -> tuple[int, str]:
    """Return (lead id, reference) from a token, or raise BadLink."""
    return LINK.read(secret_key, token, clock)
