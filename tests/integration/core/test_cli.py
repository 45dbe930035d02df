"""Command line: creating accounts with roles, and the demo data."""
from sqlalchemy import func, select

from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import Call, Kpi, Municipality, Proposal, ProposalVote, Report, Solution, User, Vote


def test_users_create_makes_a_planner_of_a_municipality(app, places):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "Kim@Example.org", "--name", "김담당", "--password", "long-password",
        "--role", "planner", "--municipality", "90001",
    ])
    assert result.exit_code == 0, result.output
    user = users.find_by_email("kim@example.org")
    assert user.check_password("long-password")
    assert user.password_hash != "long-password"
    assert user.has_role("planner", places["east"].id)
    assert not user.has_role("planner", places["west"].id)


def test_users_create_with_unknown_municipality_fails_and_creates_nothing(app, places):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "x@example.org", "--name", "x", "--password", "long-password",
        "--role", "planner", "--municipality", "00000",
    ])
    assert result.exit_code != 0
    assert "unknown municipality" in result.output
    assert users.find_by_email("x@example.org") is None


def test_planner_role_needs_a_municipality(app, places):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "y@example.org", "--name", "y", "--password", "long-password",
        "--role", "planner",
    ])
    assert result.exit_code != 0
    assert "municipality" in result.output
    assert users.find_by_email("y@example.org") is None


def test_demo_seed_loads_accounts_places_and_reports_once(app, ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    models = (Municipality, User, Report, Vote, Proposal, ProposalVote, Call, Solution, Kpi)
    counts = lambda: tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)  # noqa: E731
    after_first = counts()
    assert after_first[:7] == (2, 4, 11, 8, 2, 2, 1)
    assert after_first[7] >= 25 and after_first[8] >= 35
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    assert counts() == after_first
    planner = users.find_by_email("planner@example.org")
    gangneung = db.session.scalars(select(Municipality).where(Municipality.code == "32030")).one()
    assert planner.has_role("planner", gangneung.id)
    assert users.authenticate("admin@example.org", "together-smart-city-2026").has_role("admin")
    # Every demo report landed in the municipality whose outline holds it.
    for report in db.session.scalars(select(Report)):
        assert report.municipality.code in ("32030", "32040")


def test_admin_role_holds_everywhere_even_when_a_municipality_is_named(app, places):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "boss@example.org", "--name", "boss", "--password", "long-password",
        "--role", "admin", "--municipality", "90001",
    ])
    assert result.exit_code == 0, result.output
    grants = users.find_by_email("boss@example.org").grants
    assert [(g.role, g.municipality_id) for g in grants] == [("admin", None)]
