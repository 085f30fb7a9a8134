"""The link in a family's emails to follow its request: signed, names one lead. No Flask."""

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta

from itsdangerous import BadData

from ..signing import serializer

SALT = "trialfinder.requests.status-link"
# As long as a request is kept: README asks operators to run `leads purge --older-than 180`.
MAX_AGE = timedelta(days=180)


class BadLink(Exception):
    """The link was altered, was not made by us, or is too old: the page says only "not found"."""


def _serializer(secret_key: str, clock: Callable[[], float]):
    return serializer(secret_key, SALT, clock, digest_method=hashlib.sha256)


def make_token(
    secret_key: str, lead_id: int, reference: str, clock: Callable[[], float] = time.time
) -> str:
    """Sign a lead id with its reference: a row id reused after a purge opens nothing."""
    return _serializer(secret_key, clock).dumps([lead_id, reference])


def read_token(
    secret_key: str, token: str, clock: Callable[[], float] = time.time
) -> tuple[int, str]:
    """Return (lead id, reference) from a token, or raise BadLink."""
    try:
        lead_id, reference = _serializer(secret_key, clock).loads(
            token, max_age=int(MAX_AGE.total_seconds())
        )
    except (BadData, TypeError, ValueError) as error:
        raise BadLink from error
    if not isinstance(lead_id, int) or not isinstance(reference, str):
        raise BadLink
    return lead_id, reference
