"""Proposals pages. Routes stay thin: schema, service, template."""
from webapp.proposals import bp  # noqa: F401
