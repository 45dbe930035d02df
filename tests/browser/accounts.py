"""Signing in through the real login form, as a person would."""
import re

from playwright.sync_api import expect

from tests.fixtures.people import PASSWORD


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign the page's browser context in as `email` and wait for the map page."""
    page.goto("/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
