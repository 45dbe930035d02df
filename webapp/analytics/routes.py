"""Analytics pages. Routes stay thin: schema, service, template."""
from webapp.analytics import bp  # noqa: F401
