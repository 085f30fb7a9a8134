"""The clock every table and rule reads: naive UTC, as the database stores it."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC, without a zone (the columns hold naive UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)
