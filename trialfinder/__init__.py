"""trialfinder: plain-language, multilingual pages for clinical trials."""

import logging
import os

from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from trialfinder import config, database, templating, web
from trialfinder.alerts.cli import alerts_cli
from trialfinder.alerts.views import bp as alerts_bp
from trialfinder.contact.views import bp as contact_bp
from trialfinder.leads.checks import check_lead_addresses, no_recipient_lines
from trialfinder.leads.cli import leads_cli
from trialfinder.leads.views import bp as leads_bp
from trialfinder.lib.commands import LazyGroup
from trialfinder.notes.cli import notes_cli
from trialfinder.notes.views import api as notes_api_bp
from trialfinder.notes.views import bp as notes_bp
from trialfinder.outbox import layout as email_layout
from trialfinder.outbox.cli import STATUS_NOTES, outbox_cli
from trialfinder.outbox.mailer import mail
from trialfinder.pages.views import bp as pages_bp
from trialfinder.pages.views import root as root_bp
from trialfinder.prescreen.api import bp as prescreen_api_bp
from trialfinder.prescreen.views import bp as prescreen_bp
from trialfinder.requests.views import bp as requests_bp
from trialfinder.trials import services as trial_services
from trialfinder.trials.api import api as trials_api_bp
from trialfinder.trials.cli import search_cli, trials_cli
from trialfinder.trials.views import bp as trials_bp
from trialfinder.web import security, serving

BLUEPRINTS = (
    root_bp,
    security.bp,
    pages_bp,
    trials_bp,
    trials_api_bp,
    notes_bp,
    notes_api_bp,
    alerts_bp,
    contact_bp,
    leads_bp,
    requests_bp,
    prescreen_bp,
    prescreen_api_bp,
)
# The sponsor's tools (sponsor/) load only when one of their commands runs: the app that
# serves pages never imports them.
SPONSOR_COMMANDS = {"new": "trialfinder.sponsor.cli:new_command"}
CONTENT_COMMANDS = {"check": "trialfinder.sponsor.cli:check_command"}


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; a configuration that cannot serve stops with one line.

    The line goes to stderr and the exit status is 3, which stops gunicorn's arbiter.
    """
    try:
        return build_app(test_config)
    except config.ConfigError as refused:
        if not config.first_to_refuse():
            config.wait_to_be_stopped()  # another gunicorn worker said it; the arbiter halts
        refused.announce()
        raise


def build_app(test_config: dict | None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(config.ROOT / "templates"),
        static_folder=str(config.ROOT / "static"),
    )
    load_config(app, test_config)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    open_database(app)
    web.init_app(app)  # the request pipeline, in the order web/__init__.py gives
    mail.init_app(app)
    email_layout.init_app(app)
    templating.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_commands(app)
    with app.app_context():
        trial_services.load_shipped(app.config["CONTENT_DIR"])
    check_lead_addresses(app)
    if app.config["SERVES_PUBLIC"]:  # once nothing refused the start: a refusal stays one line
        serving.warn_about_the_server(app.config, config.gunicorn_settings())
    return app


def register_commands(app: Flask) -> None:
    """Add the flask commands; `trials new` and `content check` are imported when they run."""
    trials = LazyGroup(trials_cli.name, trials_cli.commands, SPONSOR_COMMANDS, help=trials_cli.help)
    content = LazyGroup("content", {}, CONTENT_COMMANDS, help="Check the content a sponsor edits.")
    for command in (trials, search_cli, outbox_cli, notes_cli, alerts_cli, leads_cli, content):
        app.cli.add_command(command)
    app.extensions[STATUS_NOTES] = [no_recipient_lines]


def load_config(app: Flask, test_config: dict | None) -> None:
    """Apply defaults, TRIALFINDER_ variables and test overrides; refuse an unsafe start."""
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.effective(os.environ, app.instance_path, test_config, app.debug))
    app.testing = bool(app.config.get("TESTING", app.testing))
    serving.refuse_unsafe_start(app.config)


def open_database(app: Flask) -> None:
    """Bind the database and bring its schema up to date; an unreachable one stops the start."""
    try:
        database.init_app(app)
    except OperationalError as error:
        where = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
        reason = str(error.orig or error).strip().splitlines()[0][:200]
        raise config.ConfigError(
            f"the database {where} cannot be used ({reason}): start it, or set "
            "TRIALFINDER_DATABASE_URL to one that runs."
        ) from None
