"""Catalog pages. Routes stay thin: schema, service, template."""
from webapp.catalog import bp  # noqa: F401
