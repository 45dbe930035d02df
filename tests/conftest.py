"""Test setup: one --db option picks SpatiaLite or PostGIS; every test starts from empty tables.

The fixtures live in tests/fixtures/: the database and app, places and people, reports and photos.
"""
import sys
from pathlib import Path

# `pytest` run as a script puts tests/ on sys.path, not the project root; the app lives there.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

pytest_plugins = ["tests.fixtures.database", "tests.fixtures.people", "tests.fixtures.reports"]


def pytest_addoption(parser):
    parser.addoption("--db", choices=("sqlite", "postgis"), default="sqlite", help="database to test on")
