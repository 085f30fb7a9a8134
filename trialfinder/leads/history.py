"""A lead's steps, kept on the lead as a list: what happened, when, at which site. No Flask."""

from datetime import datetime

OPEN, CONTACTED, NOT_SUITABLE = "open", "contacted", "not_suitable"
RECEIVED, FORWARDED, REMINDED, ESCALATED = "received", "forwarded", "reminded", "escalated"
ACKNOWLEDGEMENTS = (CONTACTED, NOT_SUITABLE)
# A staff link opened (the access log's other entries are the actions posted from it).
OPENED = "opened"


def step(action: str, at: datetime, site: str, city: str) -> dict:
    """Return one step as stored: the action, an ISO time (UTC) and the site it happened at."""
    return {"action": action, "at": at.isoformat(timespec="seconds"), "site": site, "city": city}


def steps(history: list | None, created_at: datetime, site: str, city: str) -> list[dict]:
    """Return a lead's steps; a lead nobody touched yet was only received where it was routed."""
    return list(history) if history else [step(RECEIVED, created_at, site, city)]


def hours_between(start: str, end: str) -> float:
    """Return the hours from one stored time to another."""
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    return delta.total_seconds() / 3600
