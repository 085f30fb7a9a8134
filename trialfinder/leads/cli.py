"""flask leads purge | remind | report | export | erase"""

import json
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from trialfinder.database import checkpoint
from trialfinder.extensions import db
from trialfinder.leads import receiving, report, rights
from trialfinder.leads.models import Lead, LeadAccess
from trialfinder.leads.reminders import remind
from trialfinder.leads.services import steps

leads_cli = AppGroup("leads", help="Manage contact requests.")
FORMATS = {"table": report.as_table, "csv": report.as_csv, "json": report.as_json}


@leads_cli.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=0),
    required=True,
    help="Delete requests received more than this many days ago.",
)
def purge_command(days: int) -> None:
    """Delete old contact requests and every email queued for them."""
    leads, messages = receiving.purge(days)
    checkpoint()  # the deleted text leaves the write-ahead log too
    click.echo(f"deleted {leads} lead(s) and {messages} email(s) older than {days} day(s)")


@leads_cli.command("remind")
def remind_command() -> None:
    """Remind sites of unacknowledged requests, then escalate; each once per request (cron)."""
    reminders, escalations = remind()
    click.echo(f"queued {reminders} reminder(s) and {escalations} escalation(s)")


@leads_cli.command("report")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only requests received on or after this date (YYYY-MM-DD).")  # fmt: skip
@click.option("--format", "output", type=click.Choice(list(FORMATS)), default="table",
              help="table (default), csv or json.")  # fmt: skip
def report_command(since: datetime | None, output: str) -> None:
    """Per site: received, acknowledged, not suitable, forwarded, open, hours to answer, and
    how often its staff links were opened and used."""
    query = select(Lead).order_by(Lead.id)
    opened = select(LeadAccess.site, LeadAccess.city, LeadAccess.action).join(Lead)
    if since is not None:
        query = query.where(Lead.created_at >= since)  # midnight UTC of that day
        opened = opened.where(Lead.created_at >= since)
    leads = [(lead.status, steps(lead)) for lead in db.session.scalars(query)]
    accesses = [tuple(row) for row in db.session.execute(opened)]
    click.echo(FORMATS[output](report.tally(leads, accesses)))


@leads_cli.command("export")
@click.option("--email", "address", required=True, help="The family's email address.")
def export_command(address: str) -> None:
    """Print as JSON everything held about an email address (a family's right of access)."""
    click.echo(json.dumps(rights.export(address), ensure_ascii=False, indent=2))


@leads_cli.command("erase")
@click.option("--email", "address", required=True, help="The family's email address.")
def erase_command(address: str) -> None:
    """Delete everything held about an email address (a family's right to erasure)."""
    counts = rights.erase(address)
    checkpoint()  # the deleted text leaves the write-ahead log too
    click.echo(
        f"deleted {counts['contact_requests']} contact request(s), {counts['emails']} email(s) "
        f"and {counts['alert_subscriptions']} alert subscription(s)"
    )
