"""Plan pages: editor. Routes stay thin: schema, service, template."""
from webapp.plans import bp  # noqa: F401
