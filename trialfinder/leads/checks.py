"""Start-up check: in production no contact form may lead to a placeholder or to nobody."""

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from trialfinder.config import ConfigError
from trialfinder.extensions import db
from trialfinder.leads.reach import reachable, takes_requests
from trialfinder.leads.routing import is_placeholder, possible_routes
from trialfinder.leads.sites import SITES_FILE, SitesFileError, load_operator_settings, parse_sites
from trialfinder.trials.models import Trial


def unroutable(app: Flask) -> list[str]:
    """Describe each trial and site whose leads would reach nobody real."""
    problems = []
    for trial in db.session.scalars(select(Trial).order_by(Trial.nct_id)):
        operators = load_operator_settings(app.config["CONTENT_DIR"], trial.nct_id)
        if takes_requests(trial.status) and not reachable(
            trial.status,
            list(trial.sites),
            central_emails=trial.central_emails,
            operators=operators,
            default_email=app.config["DEFAULT_LEAD_EMAIL"],
            strict=True,
        ):
            # Recruiting or not yet: its form is not offered, and a family cannot reach anyone.
            problems.append(f"{trial.nct_id} ({trial.status.lower()}): no address at all")
        for route in possible_routes(
            list(trial.sites),
            central_emails=trial.central_emails,
            operators=operators,
            default_email=app.config["DEFAULT_LEAD_EMAIL"],
        ):
            if is_placeholder(route.email):
                where = route.site.facility if route.site else "central contact"
                problems.append(f"{trial.nct_id} ({where}): {route.email or 'no address'}")
    return sorted(set(problems))


def lead_address_problems(app: Flask) -> list[str]:
    """List what would keep a request from reaching a real person (for start, check, status)."""
    override = app.config["LEAD_EMAIL_OVERRIDE"]
    if override:
        return [f"TRIALFINDER_LEAD_EMAIL_OVERRIDE: {override}"] if is_placeholder(override) else []
    return unroutable(app)


def no_recipient_lines(app: Flask) -> list[str]:
    """Lines for `flask outbox status` and `content check`: requests that would reach nobody."""
    problems = lead_address_problems(app)
    return [f"no recipient: contact requests would reach nobody: {text}" for text in problems]


def check_lead_addresses(app: Flask) -> None:
    """Refuse to serve the public while a sites file is broken or leads could reach nobody real."""
    if not app.config["SERVES_PUBLIC"]:
        return
    for path in sorted(Path(app.config["CONTENT_DIR"]).glob(f"trials/*/{SITES_FILE}")):
        try:
            parse_sites(path)
        except SitesFileError as error:
            raise ConfigError(f"{error}. `flask content check` lists every problem.") from None
    with app.app_context():
        problems = lead_address_problems(app)
    if problems:
        raise ConfigError(
            f"Contact requests would reach nobody: {'; '.join(problems)}. Set lead_email in "
            f"content/trials/<NCT>/{SITES_FILE}, TRIALFINDER_DEFAULT_LEAD_EMAIL, "
            "or TRIALFINDER_LEAD_EMAIL_OVERRIDE."
        )
