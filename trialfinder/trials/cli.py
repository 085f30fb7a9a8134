"""flask trials import PATH... | reindex; flask search reindex (`trials new` is sponsor/cli.py)."""

from pathlib import Path

import click
from flask.cli import AppGroup

from trialfinder.trials.services import (
    ImportFailed,
    import_file,
    keep_in_title_order,
    reindex,
)

trials_cli = AppGroup("trials", help="Manage imported trials.")
search_cli = AppGroup("search", help="The finder's search index.")


@trials_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Import ClinicalTrials.gov API v2 study JSON files; re-import updates."""
    failed = imported = 0
    for path in paths:
        try:
            outcomes = import_file(path)
        except ImportFailed as error:
            click.echo(f"error: {error}", err=True)
            failed += 1
            continue
        imported += len(outcomes)
        for nct_id, outcome in outcomes.items():
            click.echo(f"{path}: {nct_id} {outcome}")
    if imported and keep_in_title_order():
        click.echo("search index: rows put back in title order")
    if failed:
        raise SystemExit(1)


@trials_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index, e.g. after plain-language titles were edited."""
    click.echo(f"indexed {reindex()} trials")


search_cli.add_command(reindex_command)  # the same command: flask search reindex
