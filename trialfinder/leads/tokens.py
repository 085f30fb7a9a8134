"""The link in a staff lead email: signed, names one lead and one hop, valid 30 days. No Flask."""

import time
from collections.abc import Callable
from datetime import timedelta

from trialfinder.lib.signing import BadLink, LeadLink

SALT = "trialfinder.leads.staff-link"
MAX_AGE = timedelta(days=30)
LINK = LeadLink(SALT, MAX_AGE, int)
__all__ = ["BadLink", "make_token", "read_token"]


def make_token(
    secret_key: str, lead_id: int, hop: int, clock: Callable[[], float] = time.time
) -> str:
    """Sign a lead id and the hop (how many forwards) the link is for."""
    return LINK.make(secret_key, lead_id, hop, clock)


def read_token(
    secret_key: str, token: str, clock: Callable[[], float] = time.time
) -> tuple[int, int]:
    """Return (lead id, hop) from a token, or raise BadLink."""
    return LINK.read(secret_key, token, clock)
