"""Start-up check: in production no contact form may lead to a placeholder or to nobody."""

from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from flask import Flask
from sqlalchemy import Row, select

from trialfinder.config import ConfigError
from trialfinder.extensions import db
from trialfinder.leads.reach import reachable, takes_requests
from trialfinder.leads.routing import is_placeholder, possible_routes
from trialfinder.leads.sites import SITES_FILE, SitesFileError, load_operator_settings, parse_sites
from trialfinder.trials.models import Site, Trial

CHUNK = 2000  # rows read at a time: a registry import may hold 100,000 trials and 400,000 sites
LISTED = 20  # problems a refused start names; `flask content check` lists them all


def trials_and_sites() -> Iterator[tuple[Row, list[Row]]]:
    """Yield each trial (nct_id, status, central_emails) with its sites, by NCT id.

    Two statements read side by side a chunk at a time, never whole ORM trials: at 100,000
    trials a trial's registry record and a query for its sites each made a production start
    take 100 s. A site row has what routing reads (`routing.SiteLike`).
    """
    trials = select(Trial.nct_id, Trial.status, Trial.central_emails).order_by(Trial.nct_id)
    columns = (Site.facility, Site.country, Site.status, Site.lat, Site.lon, Site.emails)
    sites = select(Site.trial_id, *columns).order_by(Site.trial_id, Site.position)
    chunked = {"yield_per": CHUNK}
    by_trial = groupby(db.session.execute(sites, execution_options=chunked), attrgetter("trial_id"))
    trial_id, group = next(by_trial, (None, iter(())))
    for trial in db.session.execute(trials, execution_options=chunked):
        if trial.nct_id != trial_id:  # a trial without sites
            yield trial, []
            continue
        yield trial, list(group)
        trial_id, group = next(by_trial, (None, iter(())))


def unroutable(app: Flask) -> list[str]:
    """Describe each trial and site whose leads would reach nobody real."""
    content_dir = app.config["CONTENT_DIR"]
    configured = {path.parent.name for path in Path(content_dir).glob(f"trials/*/{SITES_FILE}")}
    problems = []
    for trial, sites in trials_and_sites():
        operators = (
            load_operator_settings(content_dir, trial.nct_id) if trial.nct_id in configured else {}
        )
        if takes_requests(trial.status) and not reachable(
            trial.status,
            sites,
            central_emails=trial.central_emails,
            operators=operators,
            default_email=app.config["DEFAULT_LEAD_EMAIL"],
            strict=True,
        ):
            # Recruiting or not yet: its form is not offered, and a family cannot reach anyone.
            problems.append(f"{trial.nct_id} ({trial.status.lower()}): no address at all")
        for route in possible_routes(
            sites,
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
        listed = "; ".join(problems[:LISTED])
        if len(problems) > LISTED:
            listed += f"; and {len(problems) - LISTED:,} more (`flask content check` lists them)"
        raise ConfigError(
            f"Contact requests would reach nobody: {listed}. Set lead_email in "
            f"content/trials/<NCT>/{SITES_FILE}, TRIALFINDER_DEFAULT_LEAD_EMAIL, "
            "or TRIALFINDER_LEAD_EMAIL_OVERRIDE."
        )
