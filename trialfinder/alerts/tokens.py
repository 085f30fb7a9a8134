"""Signed links for alert emails: confirm (valid 7 days) and unsubscribe. No Flask."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadData, SignatureExpired

from trialfinder.lib import signing

CONFIRM_SALT = "trialfinder.alerts.confirm"
UNSUBSCRIBE_SALT = "trialfinder.alerts.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


class InvalidLink(Exception):
    """The link was altered or was not made by us."""


class ExpiredLink(Exception):
    """The link was ours but is too old."""


@dataclass(frozen=True)
class LinkData:
    """Who a link is for, and the secret that must still match that person's row."""

    subscriber_id: int
    secret: str


def make_link(
    secret_key: str, salt: str, data: LinkData, clock: Callable[[], float] = time.time
) -> str:
    """Sign a subscriber id and its secret into a URL-safe token."""
    return signing.serializer(secret_key, salt, clock).dumps([data.subscriber_id, data.secret])


def read_link(
    secret_key: str,
    salt: str,
    token: str,
    max_age: timedelta | None = None,
    clock: Callable[[], float] = time.time,
) -> LinkData:
    """Return what a token holds, or raise InvalidLink or ExpiredLink."""
    serializer = signing.serializer(secret_key, salt, clock)
    seconds = None if max_age is None else int(max_age.total_seconds())
    try:
        subscriber_id, secret = serializer.loads(token, max_age=seconds)
    except SignatureExpired as error:
        raise ExpiredLink from error
    except (BadData, TypeError, ValueError) as error:
        raise InvalidLink from error
    if not isinstance(subscriber_id, int) or not isinstance(secret, str):
        raise InvalidLink
    return LinkData(subscriber_id, secret)
