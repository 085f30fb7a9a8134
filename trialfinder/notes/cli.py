"""flask notes purge"""

import click
from flask.cli import AppGroup

from trialfinder.database import checkpoint
from trialfinder.notes import services

notes_cli = AppGroup("notes", help="Shared notes.")


@notes_cli.command("purge")
def purge_command() -> None:
    """Delete shared notes that expired; safe to run from cron."""
    deleted = services.purge()
    checkpoint()  # the ciphertext leaves the write-ahead log too
    click.echo(f"deleted {deleted} shared notes")
