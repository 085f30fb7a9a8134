"""Helpers shared by the security, fault and privacy tests: hostile values, held locks, workers."""

import asyncio
import contextlib
import os
import re
import sqlite3
import sys
from collections.abc import Iterator

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from tests.conftest import ROOT, Inbox
from trialfinder.extensions import db

# What an attacker types into free-text fields; each must come back inert.
XSS = [
    "<script>alert('xss-1')</script>",
    '"><img src=x onerror=alert("xss-2")>',
    "'><svg onload=alert('xss-3')>",
    "<svg/onload=alert(4)>",
    "javascript:alert('xss-5')",
    '<a href="javascript:alert(6)">click</a>',
    "\" autofocus onfocus=alert('xss-7') x=\"",
    "' onmouseover='alert(8)",
    "</textarea><script>alert(9)</script>",
    "</title><script>alert(10)</script>",
    "<iframe src=javascript:alert(11)>",
    "{{7*7}} {{ config }} {% print(1) %} ${7*7} #{7*7}",
]
NCT_LIKE_PATHS = [
    "..%2F..%2Fetc%2Fpasswd",
    "..%252F..%252Fetc%252Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "....%2F%2F....%2F%2Fetc%2Fpasswd",
    "..%5C..%5Cwindows%5Cwin.ini",
    "%00",
    "NCT06709469%00.json",
    "NCT06709469%2F..%2Frecord.json",
]
LEAD_OVERRIDE = "leads@hospital.test"
FLASK = [sys.executable, "-m", "flask", "--app", "trialfinder"]


def count(app, model) -> int:
    """Return how many rows a table holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def sqlite_path(app) -> str:
    """Return the file behind the app's SQLite URL."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    assert url.startswith("sqlite:///"), url
    return url.removeprefix("sqlite:///")


@contextlib.contextmanager
def write_lock(app) -> Iterator[None]:
    """Hold SQLite's write lock from another connection, as a long writer would."""
    other = sqlite3.connect(sqlite_path(app), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


class SlowInbox(Inbox):
    """An SMTP server that takes `delay` seconds to answer the data.

    With keep_first, it keeps the message before the wait (as a real server that has queued it
    and is slow to say so); otherwise only after, and a client that hangs up loses nothing.
    """

    def __init__(self, delay: float, keep_first: bool = False):
        super().__init__()
        self.delay, self.keep_first = delay, keep_first

    async def handle_DATA(self, server, session, envelope):
        if self.keep_first:
            reply = await super().handle_DATA(server, session, envelope)
            await asyncio.sleep(self.delay)
            return reply
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


@contextlib.contextmanager
def smtp_server(port: int, inbox: Inbox, **options) -> Iterator[Inbox]:
    """Run a real aiosmtpd server on 127.0.0.1:port with a handler, for a while."""
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def worker_environment(app, **settings) -> dict[str, str]:
    """Return the environment of a `flask --app trialfinder ...` process on the test's app."""
    environment = {key: value for key, value in os.environ.items() if "TRIALFINDER_" not in key}
    values = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": app.config["MAIL_PORT"],
        # Outside debug the app refuses to start while leads would go to an example address.
        "LEAD_EMAIL_OVERRIDE": LEAD_OVERRIDE,
        "RATELIMIT_ENABLED": "false",
    } | settings
    environment |= {f"TRIALFINDER_{name}": str(value) for name, value in values.items()}
    environment["PYTHONPATH"] = str(ROOT)
    return environment


def csrf_token(html: str) -> str:
    """Return the CSRF token a page carries (in its meta tag)."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


# ---- walking every route -------------------------------------------------------------------

# A value for each URL variable; a route with a variable missing here fails the walk, on purpose.
SAMPLES = {
    "lang": "en",
    "nct_id": "NCT06709469",
    "token": "not-a-real-token",
    "key": "not-a-real-key",
    "reference": "TF-AAAAAAAA",
    "filename": "css/site.css",
    "question_id": "age_years",
    "part": "1",  # /sitemap-<part>.xml
}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
VARIABLE = re.compile(r"<(?:[^>:]+:)?(\w+)>")


def routes(app, methods: set[str]) -> list[tuple[str, str, str]]:
    """Return (method, sample path, endpoint) for every rule answering one of the methods."""
    found = []
    for rule in app.url_map.iter_rules():
        missing = set(rule.arguments) - set(SAMPLES)
        assert not missing, f"{rule.rule}: add a sample value for {sorted(missing)}"
        path = VARIABLE.sub(lambda match: SAMPLES[match.group(1)], rule.rule)
        for method in sorted((rule.methods or set()) & methods):
            found.append((method, path, rule.endpoint))
    return found
