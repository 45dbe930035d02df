"""WSGI entry point: the only module-level app."""
from webapp import create_app

app = create_app()
