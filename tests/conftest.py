"""Fixtures: an app on a fresh SQLite file, a real SMTP server, a live server and Chromium."""

import gc
import os
import shutil
import smtplib
import socket
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from trialfinder import create_app
from trialfinder.lib.catalogs import compile_catalogs
from trialfinder.lib.locales import LOCALES

if TYPE_CHECKING:  # imported at run time by the functions that use it (see pytest_plugins)
    from tests.databases import SchemaCopy

ROOT = Path(__file__).resolve().parent.parent
NCT = "NCT06709469"
# Chromium's headless shell (Debian's chromium-headless-shell, the same Blink and V8 as
# /usr/bin/chromium): the browser Playwright itself runs for headless tests. The full browser's
# headless mode builds a real window around each page (toolbar, address bar, its pop-ups): in
# the browser tests, measured in turn, 232 s of Chromium's CPU against 140 with the shell.
# The operator's path (tests/operator_browser.py) drives the full browser.
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # One renderer process for the pages a worker opens one after another, not a new one for
    # each new context: measured in turn, twice, the browser tests' CPU 236, 232 -> 220, 218 s.
    "--renderer-process-limit=1",
]
# SMTP servers started by tests; a connection anywhere else fails the test.
STARTED_SMTP_PORTS: set[int] = set()
# database_url (SQLite, or PostgreSQL for modules marked `databases`) and redis_url.
pytest_plugins = ["tests.databases"]


def pytest_sessionstart(session) -> None:
    """Compile stale catalogs once, as `make test` does: the app never compiles them itself."""
    compile_catalogs(ROOT / "translations")


# Every so many tests, what is still alive (modules, the data sets loaded once, session
# fixtures) is set aside from the garbage collector's full passes, after one last pass.
# Without it each full pass walked all of it again: 12 of a worker's 72 s of CPU on the
# contact, pre-screen and leads tests, against 5 with this (tests' garbage is still collected).
SET_ASIDE_EVERY = 10
finished_tests = 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global finished_tests
    yield
    finished_tests += 1
    if finished_tests % SET_ASIDE_EVERY == 0:
        gc.collect()
        gc.freeze()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def quick_scrypt(request, monkeypatch):
    """Derive the notes' keys with scrypt at N = 2**10, not 2**15, except in tests marked
    `real_scrypt`: the same code at a thirty-second of the cost (0.1 s a key, 220 keys a run)."""
    if request.node.get_closest_marker("real_scrypt") is None:
        from trialfinder.notes import crypto

        monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)


@pytest.fixture(autouse=True)
def only_test_smtp_servers(monkeypatch):
    """Fail any test that talks to an SMTP server it did not start."""
    original = smtplib.SMTP.connect

    def guarded(self, host="localhost", port=0, source_address=None):
        if host != "127.0.0.1" or int(port) not in STARTED_SMTP_PORTS:
            pytest.fail(f"test talked to an SMTP server it did not start: {host}:{port}")
        return original(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", guarded)


class Inbox:
    """Collects what a real aiosmtpd server received."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()
        self.reject: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [message for message in self.messages if address in message["To"]]


# Who the privacy page names: every public server must be given both (see PRIVACY_ENVIRONMENT).
CONTROLLER = "Hospital Universitario La Paz, Paseo de la Castellana 261, 28046 Madrid"
DPO_EMAIL = "delegado.proteccion.datos@hospital.test"
PRIVACY_ENVIRONMENT = {
    "TRIALFINDER_DATA_CONTROLLER": CONTROLLER,
    "TRIALFINDER_DPO_EMAIL": DPO_EMAIL,
}


@pytest.fixture
def smtp_port():
    """A port chosen for the test's SMTP server (nothing listens until `smtp` starts)."""
    port = free_port()
    STARTED_SMTP_PORTS.add(port)
    yield port
    STARTED_SMTP_PORTS.discard(port)


@pytest.fixture
def smtp(smtp_port):
    """A real SMTP server on 127.0.0.1 that keeps every message it receives."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    inbox.controller = controller
    yield inbox
    controller.stop()


@pytest.fixture
def app_config(database_url, smtp_port) -> dict:
    return app_settings(database_url, smtp_port)


def app_settings(database_url: str, smtp_port: int) -> dict:
    """The settings of a test app: its own database and SMTP port, no rate limits, no CSRF."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_TIMEOUT": 2,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "LEAD_EMAIL_OVERRIDE": None,
        "DATA_CONTROLLER": CONTROLLER,
        "DPO_EMAIL": DPO_EMAIL,
    }


class MigratedDatabases:
    """Databases migrated once per run, copied for each test instead of migrating again.

    'shipped': the schema with the shipped trial imported, for an app on the shipped content;
    'empty': the schema alone, for an app on a content folder of its own (it imports its own).
    SQLite: a file, copied. PostgreSQL: a schema written down as SQL, replayed into the test's.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.built: dict[str, Path] = {}
        self.schemas: dict[str, SchemaCopy] = {}

    def template(self, kind: str) -> Path:
        if kind not in self.built:
            path = self.folder / f"{kind}.db"
            settings = {"TESTING": True, "DATABASE_URL": f"sqlite:///{path}"}
            if kind == "empty":
                settings["CONTENT_DIR"] = str(self.folder / "no-content")
            from trialfinder.extensions import db

            with create_app(settings).app_context():
                db.engine.dispose()
            with sqlite3.connect(path) as connection:  # everything into the file, no WAL left
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.built[kind] = path
        return self.built[kind]

    def schema_template(self, kind: str) -> "SchemaCopy":
        """Migrate a schema of the worker's PostgreSQL database once; keep it as SQL."""
        from tests.databases import SchemaCopy, postgres_url, run_on_postgres

        if kind not in self.schemas:
            schema = f"template_{kind}_{uuid.uuid4().hex[:12]}"
            run_on_postgres(f"CREATE SCHEMA {schema}")
            settings = {"TESTING": True, "DATABASE_URL": postgres_url(schema)}
            if kind == "empty":
                settings["CONTENT_DIR"] = str(self.folder / "no-content")
            from trialfinder.extensions import db

            with create_app(settings).app_context():
                db.engine.dispose()
            self.schemas[kind] = SchemaCopy(schema)
            run_on_postgres(f"DROP SCHEMA {schema} CASCADE")  # and `cube` with it
        return self.schemas[kind]

    def copy_for(self, config: dict) -> None:
        """Give an app about to start on a new SQLite file or schema a migrated copy instead."""
        from tests.databases import schema_is_empty, schema_of

        url = config.get("DATABASE_URL") or ""
        kind = "empty" if config.get("CONTENT_DIR") else "shipped"
        if schema := schema_of(url):
            if schema_is_empty(schema):
                self.schema_template(kind).into(schema)
            return
        path = Path(url.removeprefix("sqlite:///"))
        if url.startswith("sqlite:///") and not path.exists():
            shutil.copyfile(self.template(kind), path)


@pytest.fixture(scope="session")
def migrated_databases(tmp_path_factory) -> MigratedDatabases:
    return MigratedDatabases(tmp_path_factory.mktemp("migrated"))


@pytest.fixture
def app(app_config, migrated_databases):
    migrated_databases.copy_for(app_config)
    app = create_app(app_config)
    yield app
    from trialfinder.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def module_app(tmp_path_factory, migrated_databases):
    """One app on the shipped content for a module whose tests only read from it.

    For tests that look at what a fresh app gives (a template compiles, a GET answers) and
    change nothing in it: building an app per test costs about 0.1 s. Its SMTP port has no
    server (nothing is sent), its database is a migrated copy of its own.
    """
    with reading_app(tmp_path_factory.mktemp("module-app"), migrated_databases) as app:
        yield app


@contextmanager
def reading_app(folder: Path, migrated_databases: MigratedDatabases, **settings):
    """An app on a migrated copy of its own in `folder`, with an SMTP port nobody listens on."""
    config = app_settings(f"sqlite:///{folder / 'test.db'}", free_port()) | settings
    migrated_databases.copy_for(config)
    app = create_app(config)
    try:
        yield app
    finally:
        from trialfinder.extensions import db

        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(params=LOCALES)
def lang(request) -> str:
    return request.param


# ---- browser -------------------------------------------------------------------------------


@pytest.fixture
def live_server(app):
    """Serve the app on a free local port for the browser."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    # It looks for a shutdown every 50 ms (Werkzeug's default, 0.5 s, made each test wait).
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def kept_pages(browser):
    """Pages kept for a module's tests, one per JavaScript setting (see `kept_page`)."""
    pages: dict[bool, object] = {}
    yield pages
    for page in pages.values():
        page.context.close()


def kept_page(pages: dict, browser, javascript: bool = True):
    """Return the module's page for this JavaScript setting, its cookies cleared. A new page
    costs Chromium about 0.3 s of CPU on the trial page; opening a path in a kept one, 0.15 s.
    A test that listens to the page's events or routes its requests takes a page of its own."""
    page = pages.get(javascript)
    if page is None or page.is_closed():
        page = pages[javascript] = browser.new_context(java_script_enabled=javascript).new_page()
    page.context.clear_cookies()
    return page


@pytest.fixture
def no_dialogs(page):
    """Fail if any script opens a dialog (an injected alert would) or the page throws."""
    opened = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: opened.append(str(error)))
    yield opened
    assert opened == []


# The axe rules a page's colours decide (its category "color", WCAG 2.2 AA and A): all that
# can differ in the dark scheme, which changes colour tokens only (test_browser_phone checks).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.fixture(scope="session")
def assert_accessible():
    """Return a check that fails with axe's report when a page has any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    # Without a CSS selector for each element checked (a quarter of a run); a page with a
    # violation is checked again with them, for a report that says where.
    quick = {"resultTypes": ["violations"], "selectors": False}

    def check(page, rules: list[str] | None = None) -> None:
        """Run every rule of axe, or only these (`COLOUR_RULES` for a page's other scheme)."""
        only = {"runOnly": {"type": "rule", "values": rules}} if rules else {}
        if axe.run(page, options=quick | only).violations_count == 0:
            return
        results = axe.run(page, options=only) if only else axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


# Screenshots (and a printed page) for a person to look at after changing a page or an email:
# `make screenshots` writes them to tests/screenshots/. No test reads them, so `make test` does
# not spend Chromium's time on them (a full-page one costs about 0.4 s).
SHOTS = ROOT / "tests" / "screenshots"
SCREENSHOTS = bool(os.environ.get("TRIALFINDER_SCREENSHOTS"))


def shoot(target, name: str, **options) -> None:
    """Write a screenshot of a page or an element to SHOTS, when screenshots are asked for."""
    if SCREENSHOTS:
        SHOTS.mkdir(exist_ok=True)
        target.screenshot(path=str(SHOTS / name), **options)


def translate(app, lang: str, msgid: str, **values) -> str:
    """Return a message as the site shows it in a locale, for tests that read localized output."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(lang):
        return gettext(msgid, **values)


def static_url(app, filename: str) -> str:
    """Return the address a page uses for a static file (its content-hashed name)."""
    from flask import url_for

    with app.test_request_context():
        return url_for("static", filename=filename)


@pytest.fixture
def make_app(app_config, migrated_databases):
    """Build extra apps with some settings changed; dispose of their engines afterwards."""
    built = []

    def make(**settings):
        migrated_databases.copy_for(app_config | settings)
        built.append(create_app(app_config | settings))
        return built[-1]

    yield make
    for extra in built:
        from trialfinder.extensions import db

        with extra.app_context():
            db.engine.dispose()
