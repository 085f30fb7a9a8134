"""flask outbox send | status"""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from trialfinder.extensions import db
from trialfinder.outbox import services, state

STATUS_NOTES = "outbox.status_notes"  # app.extensions key: callables(app) -> lines to print
outbox_cli = AppGroup("outbox", help="Deliver and inspect queued email.")


@outbox_cli.command("send")
@click.option("--limit", type=int, default=None, help="Send at most this many messages.")
def send_command(limit: int | None) -> None:
    """Deliver every pending message; safe to run from cron and from several workers."""
    try:
        sent = services.send_pending(limit=limit)
    except OperationalError as error:  # locked or unreachable: every message stays queued
        db.session.rollback()
        raise click.ClickException(
            "the database is busy or unreachable; nothing was lost, run `outbox send` again"
        ) from error
    counts = services.summary()["counts"]
    held = counts.get(state.SENDING, 0)
    # Messages another worker holds, or a dead one held: they are due again after the lease.
    also = f", held by a worker {held} (see `outbox status`)" if held else ""
    click.echo(f"sent {sent}, still pending {counts.get(state.PENDING, 0)}{also}")


@outbox_cli.command("status")
def status_command() -> None:
    """Show what is pending or failed, and why (no addresses are printed)."""
    report = services.summary()
    counts = report["counts"]
    click.echo(
        ", ".join(
            f"{name} {counts.get(name, 0)}" for name in ("pending", "sending", "sent", "failed")
        )
    )
    for row in report["waiting"]:
        held = row.status == state.SENDING and row.claimed_at
        claimed = f" claimed={row.claimed_at:%Y-%m-%d %H:%M:%S}" if held else ""
        click.echo(
            f"#{row.id} {row.kind} {row.status} attempts={row.attempts} "
            f"queued={row.created_at:%Y-%m-%d %H:%M}{claimed} error={row.last_error or '-'}"
        )
    # Features add what keeps mail from being queued at all (contact: forms that reach nobody).
    for note in current_app.extensions.get(STATUS_NOTES, ()):
        for line in note(current_app):
            click.echo(line)
    if counts.get("sending"):
        seconds = services.lease().total_seconds()
        click.echo(
            f"sending: claimed by a worker now running, or one that died; a claim older than "
            f"{seconds:.0f} s is due again at the next `outbox send`"
        )
