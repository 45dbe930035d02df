"""`flask photos cleanup`: finish or remove the photo files that crashed uploads left behind."""
import click
from flask.cli import with_appcontext

from webapp.reports import photos as photo_service


@click.group("photos")
def group():
    """Maintain report photo files."""


@group.command("cleanup")
@click.option("--older-than", "older_than", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Grace period in minutes: younger files may belong to an upload in flight and are left alone.")
@click.option("--dry-run", is_flag=True, help="Only print what would be done.")
@with_appcontext
def cleanup(older_than, dry_run):
    """Rename committed photos still under a temporary name; delete files that no row names."""
    done = photo_service.cleanup(older_than * 60, dry_run=dry_run)
    verb = "would " if dry_run else ""
    for name in done.published:
        click.echo(f"{verb}publish {name} (its report was committed)")
    for name in done.removed:
        click.echo(f"{verb}remove {name} (no report photo names it)")
    for name in done.missing:
        click.echo(f"missing {name} (a report photo without a file)")
    counts = (f"{len(done.published)} to publish, {len(done.removed)} to remove" if dry_run
              else f"{len(done.published)} published, {len(done.removed)} removed")
    click.echo(
        f"{'dry run: ' if dry_run else ''}{counts}, {done.kept} kept, "
        f"{len(done.young)} younger than {older_than:g} min left alone, {len(done.missing)} missing"
    )
