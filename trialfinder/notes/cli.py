"""flask notes purge"""

import click
from flask.cli import AppGroup

from . import services

notes_cli = AppGroup("notes", help="Shared notes.")


@notes_cli.command("purge")
def purge_command() -> None:
    """Delete shared notes that expired; safe to run from cron."""
    click.echo(f"deleted {services.purge()} shared notes")
