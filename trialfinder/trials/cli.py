"""flask trials import PATH... | reindex | new NCT...; flask search reindex."""

from pathlib import Path

import click
from flask.cli import AppGroup

from .services import ImportFailed, import_file, new_content, reindex

trials_cli = AppGroup("trials", help="Manage imported trials.")
search_cli = AppGroup("search", help="The finder's search index.")


@trials_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Import ClinicalTrials.gov API v2 study JSON files; re-import updates."""
    failed = 0
    for path in paths:
        try:
            outcomes = import_file(path)
        except ImportFailed as error:
            click.echo(f"error: {error}", err=True)
            failed += 1
            continue
        for nct_id, outcome in outcomes.items():
            click.echo(f"{path}: {nct_id} {outcome}")
    if failed:
        raise SystemExit(1)


@trials_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index, e.g. after plain-language titles were edited."""
    click.echo(f"indexed {reindex()} trials")


search_cli.add_command(reindex_command)  # the same command: flask search reindex


@trials_cli.command("new")
@click.argument("nct_ids", nargs=-1, required=True)
def new_command(nct_ids: tuple[str, ...]) -> None:
    """Start the content of imported trials: locale files, questionnaire and sites, to fill in."""
    failed = 0
    for nct_id in nct_ids:
        try:
            written = new_content(nct_id.upper())
        except (LookupError, FileExistsError) as error:
            click.echo(f"error: {nct_id}: {error.args[0]}", err=True)
            failed += 1
            continue
        for path in written:
            click.echo(f"{nct_id}: wrote {path}")
        click.echo(f"{nct_id}: replace every TODO, then run `flask content check`")
    if failed:
        raise SystemExit(1)
