"""`flask catalog export|import|seed`: the solution catalogue and KPI library as CSV."""
import sys

import click
from flask.cli import with_appcontext

KIND = click.option("--kind", type=click.Choice(("solutions", "kpis")), required=True, help="Which list.")


@click.group("catalog")
def group():
    """Solution catalogue and KPI library."""


@group.command("export")
@KIND
@click.argument("path")
@with_appcontext
def export(kind, path):
    """Write every entry of KIND as CSV to PATH ("-" for standard output)."""
    from webapp.catalog.csv_io import export_csv

    if path == "-":
        count = export_csv(kind, sys.stdout)
    else:
        with open(path, "w", encoding="utf-8", newline="") as out:
            count = export_csv(kind, out)
    click.echo(f"{kind} exported: {count}", err=True)


@group.command("import")
@KIND
@click.argument("path")
@with_appcontext
def import_(kind, path):
    """Add or update entries of KIND from the CSV file PATH ("-" for standard input); all or nothing."""
    from webapp.catalog.csv_io import ImportFailed, import_csv, read_text

    try:
        text = sys.stdin.read() if path == "-" else read_text(path)
        counts = import_csv(kind, text)
    except OSError as err:
        raise click.ClickException(str(err)) from err
    except ImportFailed as err:
        for line, field, message in err.errors:
            click.echo(f"line {line}: {field}: {message}", err=True)
        raise click.ClickException(f"{len(err.errors)} problem(s) found; nothing was imported") from err
    click.echo(f"{kind}: {counts['added']} added, {counts['updated']} updated")


@group.command("seed")
@with_appcontext
def seed():
    """Add the project's catalogue and KPI entries that are missing (never overwrites edits)."""
    from webapp.catalog.csv_io import ensure_catalog

    click.echo(f"catalogue entries added: {ensure_catalog()}")
