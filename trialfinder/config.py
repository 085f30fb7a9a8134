"""Configuration: embedded defaults, overridden by TRIALFINDER_<NAME> environment variables."""

import os
from pathlib import Path

import click

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
}

TRUE_WORDS = {"1", "true", "yes", "on"}


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


def derived(settings: dict, instance_path: str) -> dict:
    """Compute Flask and extension settings that follow from the TRIALFINDER_ ones."""
    instance = Path(instance_path)
    url = settings["DATABASE_URL"] or f"sqlite:///{instance / 'trialfinder.db'}"
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):  # psycopg 3, not SQLAlchemy's default psycopg2
            url = "postgresql+psycopg://" + url.removeprefix(scheme)
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "MAILBOX_DIR": settings["MAILBOX_DIR"] or str(instance / "mailbox"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 3600 * 6,
        "BABEL_DEFAULT_LOCALE": "es",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
    }


DEVELOPMENT_SECRET = "development-only-not-secret"


def effective(environ: os._Environ | dict, instance_path: str, overrides: dict | None) -> dict:
    """Return the whole configuration: defaults, environment, overrides, then what follows.

    The one place derived defaults are computed, after every setting is read: a setting left
    at None (MAILBOX_DIR, DATABASE_URL) gets its derived value; a Flask key an override names
    (SQLALCHEMY_DATABASE_URI in a test) is kept as given.
    """
    overrides = overrides or {}
    settings = from_environment(environ) | overrides
    follows = derived(settings, instance_path)
    return settings | {
        name: value for name, value in follows.items() if overrides.get(name) is None
    }


def started_to_serve() -> bool:
    """Whether this process serves visitors (a WSGI server, `flask run`), not a one-off command.

    Commands such as `trials import` or `outbox status` sign nothing a visitor holds, so they
    run without a secret key in a fresh clone; the server refuses to start without one.
    """
    context = click.get_current_context(silent=True)
    return context is None or context.command.name == "run"


class ConfigError(SystemExit):
    """The configuration cannot serve: exits with a one-line message saying what to set."""
