"""Who may serve: the refusals at start, and the warnings a public server must hear.

A refusal raises `config.ConfigError`: one line, exit status 3 (gunicorn halts).
"""

import logging

import click

from trialfinder import config


def refuse_unsafe_start(settings: dict) -> None:
    """Refuse a public start without a key of its own or without the privacy settings."""
    if not settings["SERVES_PUBLIC"]:
        return
    key = settings["SECRET_KEY"]
    if not key:
        raise config.ConfigError(
            "TRIALFINDER_SECRET_KEY is not set: set it to a long random value "
            "(only `flask run` on 127.0.0.1 may use the development key)."
        )
    if key == config.DEVELOPMENT_SECRET:
        raise config.ConfigError(
            "TRIALFINDER_SECRET_KEY is the public development key: set it to a long "
            "random value of your own."
        )
    refuse_without_privacy_settings(settings)


def refuse_without_privacy_settings(settings: dict) -> None:
    """Refuse a public start while the privacy page cannot name the controller and its DPO."""
    missing = [config.PREFIX + name for name in config.PRIVACY_SETTINGS if not settings.get(name)]
    if missing:
        raise config.ConfigError(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: the "
            "privacy page must name the data controller (name and postal address, e.g. the "
            "hospital) and its data protection officer's email address."
        )


def warn_about_the_server(settings: dict, gunicorn) -> None:
    """Say loudly at start when rate limits or client addresses cannot be trusted.

    With memory:// each process counts its own limits: 4 gunicorn workers let a visitor send 4
    times the documented number of contact requests. The number of workers is gunicorn's own
    setting; another WSGI server (uwsgi) cannot be asked, so memory:// is reported there too.
    """
    log = logging.getLogger("trialfinder")
    if gunicorn is not None:
        workers = gunicorn.workers
    elif click.get_current_context(silent=True) is not None:
        workers = 1  # `flask run`: one process
    else:
        workers = None  # another WSGI server: unknown
    uri = settings["RATELIMIT_STORAGE_URI"]
    if settings["RATELIMIT_ENABLED"] and uri.startswith("memory://") and workers != 1:
        count = f"{workers} workers" if workers else "a server that may run several processes"
        log.warning(
            "RATE LIMITS DO NOT HOLD: TRIALFINDER_RATELIMIT_STORAGE_URI is memory:// with %s: "
            "each process counts its own, so a visitor gets several times the limits. "
            "Set TRIALFINDER_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (one Redis for "
            "every worker and machine).",
            count,
        )
    exposed = config.exposed_binds(list(gunicorn.bind)) if gunicorn is not None else []
    if settings["PROXY_COUNT"] and exposed:
        log.warning(
            "CLIENT ADDRESSES CAN BE FORGED: TRIALFINDER_PROXY_COUNT=%s trusts X-Forwarded-For, "
            "but gunicorn listens on %s, which other machines reach without the proxy. "
            "Bind gunicorn to 127.0.0.1 (or a Unix socket) behind the proxy.",
            settings["PROXY_COUNT"],
            ", ".join(exposed),
        )
