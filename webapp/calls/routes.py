"""Call pages. Routes stay thin: schema, service, template."""
from webapp.calls import bp  # noqa: F401
