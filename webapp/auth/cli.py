"""`flask users ...`: accounts and roles from the command line."""
import click
from flask.cli import with_appcontext

from webapp.auth import service as user_service
from webapp.errors import NotFound, ValidationFailed
from webapp.models import ROLES
from webapp.places import service as municipalities


@click.group("users")
def group():
    """Manage accounts."""


@group.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(ROLES), multiple=True, help="Grant a role (repeatable).")
@click.option("--municipality", help="Municipality code for planner and consultant roles.")
@with_appcontext
def create(email, display_name, password, role, municipality):
    """Create an account, optionally with roles."""
    try:
        place = municipalities.by_code(municipality) if municipality else None
        user = user_service.create_account(email, display_name, password, role, place)
    except ValidationFailed as err:
        raise click.ClickException(_describe(err)) from err
    except NotFound as err:
        raise click.ClickException(f"unknown municipality code: {municipality}") from err
    click.echo(f"user {user.email} (id {user.id}) roles: {', '.join(g.role for g in user.grants) or 'resident'}")


def _describe(err: ValidationFailed) -> str:
    return "; ".join(f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in err.fields.items())
