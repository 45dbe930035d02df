"""Command-line groups: `flask --app wsgi geo|users|demo|catalog|photos ...`."""


def init_commands(app) -> None:
    from webapp.cli.catalog import catalog
    from webapp.cli.demo import demo
    from webapp.cli.geo import geo
    from webapp.cli.photos import photos
    from webapp.cli.users import users

    app.cli.add_command(geo)
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(catalog)
    app.cli.add_command(photos)
