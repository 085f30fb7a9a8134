"""trialfinder: plain-language, multilingual pages for clinical trials."""

import logging
import os

from flask import Flask

from . import assets, caching, config, database, i18n, security, typography
from .alerts.cli import alerts_cli
from .alerts.views import bp as alerts_bp
from .contact.checks import check_lead_addresses
from .contact.views import bp as contact_bp
from .content.cli import content_cli
from .extensions import babel, csrf, limiter, mail
from .leads.cli import leads_cli
from .leads.views import bp as leads_bp
from .notes.cli import notes_cli
from .notes.views import api as notes_api_bp
from .notes.views import bp as notes_bp
from .outbox.cli import outbox_cli
from .pages import errors
from .pages.views import bp as pages_bp
from .pages.views import root as root_bp
from .prescreen.api import bp as prescreen_api_bp
from .prescreen.views import bp as prescreen_bp
from .requests.views import bp as requests_bp
from .trials import services as trial_services
from .trials.api import api as trials_api_bp
from .trials.cli import search_cli, trials_cli
from .trials.views import bp as trials_bp


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(config.ROOT / "templates"),
        static_folder=str(config.ROOT / "static"),
    )
    load_config(app, test_config)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    database.init_app(app)
    babel.init_app(app, locale_selector=i18n.current_locale)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    assets.init_app(app)
    caching.init_app(app)
    typography.init_app(app)

    app.register_blueprint(root_bp)
    app.register_blueprint(security.bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(trials_bp)
    app.register_blueprint(trials_api_bp)
    app.register_blueprint(notes_bp)
    app.register_blueprint(notes_api_bp)
    app.register_blueprint(alerts_bp)
    app.register_blueprint(contact_bp)
    app.register_blueprint(leads_bp)
    app.register_blueprint(requests_bp)
    app.register_blueprint(prescreen_bp)
    app.register_blueprint(prescreen_api_bp)

    app.cli.add_command(trials_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(notes_cli)
    app.cli.add_command(alerts_cli)
    app.cli.add_command(leads_cli)
    app.cli.add_command(content_cli)

    with app.app_context():
        trial_services.load_shipped(app.config["CONTENT_DIR"])
    check_lead_addresses(app)
    return app


def load_config(app: Flask, test_config: dict | None) -> None:
    """Apply defaults, TRIALFINDER_ variables and test overrides; refuse an unsafe start."""
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.effective(os.environ, app.instance_path, test_config))
    app.testing = bool(app.config.get("TESTING", app.testing))
    app.config["SERVES_PUBLIC"] = not (app.debug or app.testing) and config.started_to_serve()
    if not app.config["SECRET_KEY"]:
        if app.config["SERVES_PUBLIC"]:
            raise config.ConfigError(
                "TRIALFINDER_SECRET_KEY is not set: set it to a long random value "
                "(or run with --debug on your own machine)."
            )
        # Debug, tests and one-off commands: the same key as `make run`, so links match it.
        app.config["SECRET_KEY"] = config.DEVELOPMENT_SECRET
