"""Configuration: embedded defaults, overridden by TRIALFINDER_<NAME> environment variables."""

import ipaddress
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import click

from trialfinder.lib.locales import DEFAULT_LOCALE

PACKAGE = Path(__file__).resolve().parent
# The installed wheel carries templates/, static/, translations/ (compiled) and content/ here;
# setup.py copies them from the repository's top-level folders at build time.
SHIPPED = PACKAGE / "shipped"


def site_root() -> Path:
    """The folder holding templates/, static/, translations/ and content/.

    A checkout (pyproject.toml beside the package) uses its own top-level folders, so an edit
    shows at once; an installed package uses the copies the wheel carries.
    """
    checkout = PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "templates").is_dir():
        return checkout
    return SHIPPED


ROOT = site_root()
PREFIX = "TRIALFINDER_"

# Every name a deployment may set, with its default. Types follow the default.
DEFAULTS: dict[str, object] = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # None: SQLite file under instance/
    "DATABASE_TIMEOUT": 30.0,  # seconds a write waits for another writer's lock, then 503
    "MAIL_SERVER": None,  # None: mail is written to MAILBOX_DIR instead of sent
    "MAIL_PORT": 25,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_DEFAULT_SENDER": "trialfinder <no-reply@trialfinder.invalid>",
    "MAIL_TIMEOUT": 3,
    "MAILBOX_DIR": None,  # None: instance/mailbox
    "CONTENT_DIR": str(ROOT / "content"),
    "BASE_URL": "http://127.0.0.1:5000",
    # Host names answered, comma-separated; empty: the host of BASE_URL (and localhost in debug).
    "TRUSTED_HOSTS": "",
    # Seconds a process serves cached pages before it checks the content version again.
    "CONTENT_CHECK_SECONDS": 2.0,
    "DEFAULT_LEAD_EMAIL": None,
    "LEAD_EMAIL_OVERRIDE": None,
    # Where families reach a person (Reply-To of their emails, shown on their pages);
    # None: the lead address of the site that holds the request.
    "CONTACT_EMAIL": None,
    "LEAD_REMIND_HOURS": 48,  # an unacknowledged lead gets one reminder to its site after this
    "LEAD_ESCALATE_HOURS": 120,  # and one escalation to the trial's central contact after this
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_CONTACT": "5 per minute;30 per day",
    "RATELIMIT_ALERTS": "5 per minute;30 per day",
    "ALERT_RADIUS_KM": 150,  # alerts name trials with a recruiting site this close, when known
    "RATELIMIT_NOTES": "10 per minute;100 per day",
    "RATELIMIT_PASSCODE": "10 per minute",
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "OUTBOX_BATCH": 50,
    # A claim older than this belongs to a worker that died: its messages are due again.
    "OUTBOX_LEASE_SECONDS": 300,
    "PROXY_COUNT": 0,  # reverse proxies (load balancer, nginx) in front that set X-Forwarded-*
    # The privacy page names them; a public server refuses to start without the first two.
    "DATA_CONTROLLER": None,  # name and postal address of the controller (the hospital)
    "DPO_EMAIL": None,  # the controller's data protection officer
}
# Set for every public server: the privacy page must name who answers for the data (GDPR
# art. 13, LOPDGDD art. 34).
PRIVACY_SETTINGS = ("DATA_CONTROLLER", "DPO_EMAIL")

TRUE_WORDS = {"1", "true", "yes", "on"}
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
TEXT_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "application/xml",
    "application/json",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
]


def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in TRUE_WORDS
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def from_environment(environ: os._Environ | dict) -> dict:
    """Read every known TRIALFINDER_<NAME> variable, typed like its default."""
    settings = {}
    for name, default in DEFAULTS.items():
        raw = environ.get(PREFIX + name)
        settings[name] = default if raw is None or raw == "" else _coerce(raw, default)
    return settings


def derived(settings: dict, instance_path: str, debug: bool = False) -> dict:
    """Compute Flask and extension settings that follow from the TRIALFINDER_ ones.

    Every derived setting is computed here, once, before anything reads it: no `init_app`
    changes a setting afterwards.
    """
    instance = Path(instance_path)
    url = settings["DATABASE_URL"] or f"sqlite:///{instance / 'trialfinder.db'}"
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):  # psycopg 3, not SQLAlchemy's default psycopg2
            url = "postgresql+psycopg://" + url.removeprefix(scheme)
    local = debug or bool(settings.get("TESTING"))
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(
            url, settings.get("DATABASE_TIMEOUT", DEFAULTS["DATABASE_TIMEOUT"])
        ),
        # Secure cookies outside debug and tests (served over http on this machine).
        "SESSION_COOKIE_SECURE": not local,
        # The CSRF check's https rule is web/security.py's (Origin first), not Flask-WTF's.
        "WTF_CSRF_SSL_STRICT": False,
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIMETYPES": TEXT_TYPES,
        "COMPRESS_LEVEL": 6,
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_STREAMS": False,  # nothing streams: static files are read whole
        "MAILBOX_DIR": settings["MAILBOX_DIR"] or str(instance / "mailbox"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 3600 * 6,
        "BABEL_DEFAULT_LOCALE": DEFAULT_LOCALE,
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
    }


DEVELOPMENT_SECRET = "development-only-not-secret"


def effective(
    environ: os._Environ | dict, instance_path: str, overrides: dict | None, debug: bool = False
) -> dict:
    """Return the whole configuration: defaults, environment, overrides, then what follows.

    The one place derived defaults are computed, after every setting is read: a setting left
    at None (MAILBOX_DIR, DATABASE_URL) gets its derived value; a Flask key an override names
    (SQLALCHEMY_DATABASE_URI in a test) is kept as given.
    """
    overrides = overrides or {}
    settings = from_environment(environ) | overrides
    follows = derived(settings, instance_path, debug)
    settings = settings | {
        name: value for name, value in follows.items() if overrides.get(name) is None
    }
    testing = bool(settings.get("TESTING"))
    settings["TRUSTED_HOSTS"] = trusted_hosts(settings, debug or testing)
    settings["SERVES_PUBLIC"] = serving_mode() == "public" and not testing
    if not settings["SECRET_KEY"] and not settings["SERVES_PUBLIC"]:
        # Tests, one-off commands and `flask run` on this machine: the same key as `make run`
        # (a public server without a key of its own refuses to start: web/serving.py).
        settings["SECRET_KEY"] = DEVELOPMENT_SECRET
    return settings


def engine_options(url: str, timeout: float) -> dict:
    """Return SQLAlchemy's engine options for a database URL."""
    if url.startswith("sqlite"):
        options: dict = {"connect_args": {"timeout": timeout}}
    else:
        # A server may close idle connections (or restart): test them before use.
        options = {"pool_pre_ping": True}
    # Error messages and logs never quote the values of a statement: they are personal data.
    return options | {"hide_parameters": True}


def serving_mode() -> str:
    """How this process uses the app: "command", "local" or "public".

    "command": a one-off command (`trials import`, `outbox send`): it signs nothing a visitor
    holds, so a fresh clone runs it without a secret key. "local": `flask run` bound to a
    loopback address, which only this machine reaches. "public": anything else that serves
    (gunicorn, uwsgi, `flask run --host 0.0.0.0`), with or without FLASK_DEBUG.
    """
    context = click.get_current_context(silent=True)
    if context is None:
        return "public"  # a WSGI server imported the app: nothing says who can reach it
    if context.command.name != "run":
        return "command"
    return "local" if is_loopback(context.params.get("host") or "127.0.0.1") else "public"


def is_loopback(host: str) -> bool:
    """Whether a bind address is reachable only from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def started_to_serve() -> bool:
    """Whether this process serves visitors (a WSGI server, `flask run`), not a one-off command."""
    return serving_mode() != "command"


# gunicorn's arbiter stops (instead of starting a new worker) when a worker exits with this.
WORKER_BOOT_ERROR = 3


class ConfigError(SystemExit):
    """The configuration cannot serve: the process exits with one line saying what to set.

    The exit status is 3, gunicorn's "worker failed to boot": its arbiter then halts at once
    instead of respawning workers that would fail the same way. `announce` writes the line.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.code = WORKER_BOOT_ERROR

    def announce(self) -> None:
        print(f"trialfinder cannot start: {self.message}", file=sys.stderr, flush=True)


def gunicorn_frames() -> list[Any]:
    """The gunicorn objects (application, worker, arbiter) on the call stack, nearest first.

    gunicorn builds the app inside its worker's `load_wsgi`, so they are on the stack then.
    Their classes vary and gunicorn has no types: callers read them by attribute.
    """
    found = []
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if type(candidate).__module__.startswith("gunicorn.") and hasattr(candidate, "cfg"):
            found.append(candidate)
        frame = frame.f_back
    return found


def gunicorn_settings() -> object | None:
    """The settings of the gunicorn worker that is loading this app, or None outside gunicorn.

    The number of workers and the bind addresses, from the command line, a config file or
    WEB_CONCURRENCY alike.
    """
    found = gunicorn_frames()
    return found[0].cfg if found else None


def first_to_refuse() -> bool:
    """In a gunicorn worker, whether no other worker of this arbiter has refused to start yet.

    Workers boot together and fail together; when two exit with WORKER_BOOT_ERROR, gunicorn's
    arbiter meets the second while it halts and prints its own traceback. So one worker reports
    and exits; the others wait for the halting arbiter to stop them. The mark is a file named
    after the arbiter's process id and start time (Linux /proc), so it never matches another
    run; elsewhere every worker reports.
    """
    workers = [found for found in gunicorn_frames() if hasattr(found, "ppid")]
    if not workers:
        return True
    arbiter = workers[0].ppid
    try:
        stat = Path(f"/proc/{arbiter}/stat").read_text()
        started = stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return True
    mark = Path(tempfile.gettempdir()) / f"trialfinder-refused-{arbiter}-{started}"
    try:
        os.close(os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    except OSError:
        return True
    return True


def wait_to_be_stopped(seconds: float = 60) -> None:
    """Let the halting gunicorn arbiter stop this worker (SIGTERM ends it at once).

    A SIGTERM that came while the app was still loading went to gunicorn's own handler, which
    only marks the worker as no longer alive: then the worker leaves at once, quietly.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    workers = [found for found in gunicorn_frames() if hasattr(found, "alive")]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(not worker.alive for worker in workers):
            raise SystemExit(0)
        time.sleep(0.1)


def exposed_binds(binds: list[str]) -> list[str]:
    """The bind addresses other machines can reach (not loopback, not a Unix socket)."""
    exposed = []
    for bind in binds:
        if bind.startswith(("unix:", "fd://")):
            continue
        host = bind.rsplit(":", 1)[0] if bind.count(":") == 1 or "]" in bind else bind
        if not is_loopback(host.strip("[]") or "0.0.0.0"):
            exposed.append(bind)
    return exposed


def trusted_hosts(settings: dict, debug: bool) -> list[str]:
    """Return the host names served: TRUSTED_HOSTS, else the base URL's, plus localhost locally."""
    listed = settings.get("TRUSTED_HOSTS") or ""
    listed = [host.strip() for host in (listed.split(",") if isinstance(listed, str) else listed)]
    hosts = [host for host in listed if host] or [urlsplit(settings["BASE_URL"]).hostname or ""]
    if debug:
        hosts += [host for host in LOCAL_HOSTS if host not in hosts]
    return [host for host in hosts if host]
