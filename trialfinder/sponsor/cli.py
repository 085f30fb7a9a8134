"""The sponsor's commands: `flask content check` and `flask trials new`.

The app registers them by name (trialfinder/__init__.py) and imports this module only when
one of them runs.
"""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from trialfinder.leads.checks import no_recipient_lines
from trialfinder.lib.locales import LOCALES
from trialfinder.sponsor import scaffold
from trialfinder.sponsor.checks import check_content


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Check TRIALFINDER_CONTENT_DIR, the email templates and the catalogs; exit 1 naming each
    problem."""
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
    # Warnings, not errors: a development copy routes to its example address on purpose, and a
    # production start refuses these (leads/checks.py).
    for line in no_recipient_lines(current_app):
        click.echo(line)
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    if report.problems:
        click.echo(f"{len(report.problems)} problems", err=True)
        raise SystemExit(1)
    click.echo("content check passed")


@click.command("new")
@with_appcontext
@click.argument("nct_ids", nargs=-1, required=True)
def new_command(nct_ids: tuple[str, ...]) -> None:
    """Start the content of imported trials: locale files, questionnaire and sites, to fill in."""
    failed = 0
    for nct_id in nct_ids:
        try:
            written = scaffold.new_content(nct_id.upper())
        except (LookupError, FileExistsError) as error:
            click.echo(f"error: {nct_id}: {error.args[0]}", err=True)
            failed += 1
            continue
        for path in written:
            click.echo(f"{nct_id}: wrote {path}")
        click.echo(f"{nct_id}: replace every TODO, then run `flask content check`")
    if failed:
        raise SystemExit(1)
