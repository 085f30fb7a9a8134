"""The link in a staff lead email: signed, names one lead and one hop, valid 30 days. No Flask."""

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta

from itsdangerous import BadData

from ..signing import serializer

SALT = "trialfinder.leads.staff-link"
MAX_AGE = timedelta(days=30)


class BadLink(Exception):
    """The link was altered, was not made by us, or is too old: the page says nothing more."""


def _serializer(secret_key: str, clock: Callable[[], float]):
    # SHA-256: a longer signature than the default SHA-1; the link is the only credential.
    return serializer(secret_key, SALT, clock, digest_method=hashlib.sha256)


def make_token(
    secret_key: str, lead_id: int, hop: int, clock: Callable[[], float] = time.time
) -> str:
    """Sign a lead id and the hop (how many forwards) the link is for."""
    return _serializer(secret_key, clock).dumps([lead_id, hop])


def read_token(
    secret_key: str, token: str, clock: Callable[[], float] = time.time
) -> tuple[int, int]:
    """Return (lead id, hop) from a token, or raise BadLink."""
    try:
        lead_id, hop = _serializer(secret_key, clock).loads(
            token, max_age=int(MAX_AGE.total_seconds())
        )
    except (BadData, TypeError, ValueError) as error:
        raise BadLink from error
    if not isinstance(lead_id, int) or not isinstance(hop, int):
        raise BadLink
    return lead_id, hop
