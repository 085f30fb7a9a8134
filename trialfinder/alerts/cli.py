"""flask alerts send"""

import click
from flask.cli import AppGroup

from trialfinder.alerts.digest import send_alerts
from trialfinder.alerts.services import purge_unconfirmed
from trialfinder.outbox.services import summary

alerts_cli = AppGroup("alerts", help="Trial alerts for subscribers.")


@alerts_cli.command("send")
def send_command() -> None:
    """Email each confirmed subscriber the new or changed trials that match; safe from cron."""
    forgotten = purge_unconfirmed()
    report = send_alerts()
    waiting = summary()["counts"].get("pending", 0)
    click.echo(f"forgot {forgotten} unconfirmed sign-up(s) older than 7 days")
    click.echo(
        f"{report.subscribers} confirmed subscriber(s): queued {report.emails} digest(s) "
        f"listing {report.trials} trial(s); sent {report.sent_now} now, "
        f"{waiting} message(s) wait in the outbox (flask outbox send)"
    )
