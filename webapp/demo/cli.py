"""`flask demo seed`: demo municipalities, categories, accounts and reports."""
import click
from flask.cli import with_appcontext


@click.group("demo")
def group():
    """Demo data."""


@group.command("seed")
@with_appcontext
def seed():
    """Load demo data (idempotent)."""
    from webapp.demo.service import seed_all

    for line in seed_all():
        click.echo(line)
