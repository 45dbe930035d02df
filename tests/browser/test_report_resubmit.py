"""Sending the report form, going back and sending it again shows the report already filed, in a real browser."""
import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Report


def _signed_in_page(new_page, app, live_server, user, sign_in):
    """A browser page carrying the session of a test client signed in with the shared helper."""
    client = sign_in(app.test_client(), user)
    client.get("/auth/language/en")  # the notice is a new string: read it in English
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    page = new_page()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])
    return page


def test_back_and_send_again_shows_the_report_already_filed(new_page, app, live_server, resident, sign_in,
                                                            screenshot):
    page = _signed_in_page(new_page, app, live_server, resident, sign_in)
    page.goto("/reports/new")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.fill("#lat", "37.05")
    page.fill("#lon", "127.05")
    page.select_option("#category", "traffic")
    page.fill("#title", "Broken street light")
    page.fill("#description", "The alley is dark at night.")
    page.click("#report-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/reports/\d+$"))
    first_url = page.url
    expect(page.locator(".flash.success")).to_be_visible()

    page.go_back()
    expect(page).to_have_url(re.compile(r"/reports/new"))
    expect(page.locator("#title")).to_have_value("Broken street light")
    page.click("#report-form button[type=submit]")

    expect(page).to_have_url(first_url)
    notice = page.locator(".flash.info")
    expect(notice).to_be_visible()
    expect(notice).to_have_text("You already sent this report; here it is.")
    screenshot(page, "report-resubmit")
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 1
