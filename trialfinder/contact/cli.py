"""flask leads purge --older-than DAYS"""

import click
from flask.cli import AppGroup

from . import services

leads_cli = AppGroup("leads", help="Manage contact requests.")


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
    leads, messages = services.purge(days)
    click.echo(f"deleted {leads} lead(s) and {messages} email(s) older than {days} day(s)")
