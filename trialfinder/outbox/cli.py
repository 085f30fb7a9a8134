"""flask outbox send | status"""

import click
from flask.cli import AppGroup

from . import services

outbox_cli = AppGroup("outbox", help="Deliver and inspect queued email.")


@outbox_cli.command("send")
@click.option("--limit", type=int, default=None, help="Send at most this many messages.")
def send_command(limit: int | None) -> None:
    """Deliver every pending message; safe to run from cron and from several workers."""
    sent = services.send_pending(limit=limit)
    waiting = services.summary()["counts"].get("pending", 0)
    click.echo(f"sent {sent}, still pending {waiting}")


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
        click.echo(
            f"#{row.id} {row.kind} {row.status} attempts={row.attempts} "
            f"queued={row.created_at:%Y-%m-%d %H:%M} error={row.last_error or '-'}"
        )
