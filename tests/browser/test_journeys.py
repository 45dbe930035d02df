"""The resident and planner journeys of the foundation, walked in a real browser."""
import re

from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.fixtures.people import PASSWORD


def register(page, email: str, name: str) -> None:
    page.goto("/auth/register")
    page.fill("#email", email)
    page.fill("#display_name", name)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator(".flash.success")).to_be_visible()
    # Registration does not sign in (it must not tell whether the address had an account).
    log_in(page, email)


def test_resident_reports_by_clicking_the_map_and_neighbour_votes_and_planner_triages(
    new_page, planner, screenshot
):
    resident = new_page()
    register(resident, "minji@example.org", "민지")

    # The map opens on the first municipality (east square); wait for its outline and the empty list.
    resident.goto("/")
    expect(resident.locator("#results-note")).to_have_text(re.compile(".+"))
    resident.locator("#map").click(position={"x": 450, "y": 380})
    resident.locator("a.report-here").click()
    expect(resident).to_have_url(re.compile(r"/reports/new\?lat=37\.\d+&lon=127\.0\d+"))
    resident.select_option("#category", "safety")
    expect(resident.locator("#nearby")).to_be_visible()
    resident.fill("#title", "공원 입구 가로등 고장")
    resident.fill("#description", "밤마다 공원 입구가 깜깜합니다.")
    resident.click("#report-form button[type=submit]")
    expect(resident.locator("h1")).to_have_text("공원 입구 가로등 고장")
    report_url = resident.url

    # The new report shows in the list beside the map and as a marker on the map.
    resident.goto("/")
    item = resident.locator("#results li", has_text="공원 입구 가로등 고장")
    expect(item).to_be_visible()
    expect(resident.locator("#map path.leaflet-interactive")).to_have_count(2)  # outline + marker
    screenshot(resident, "map-page")

    # A second resident votes for it.
    neighbour = new_page()
    register(neighbour, "jiho@example.org", "지호")
    neighbour.goto(report_url)
    expect(neighbour.locator("#vote-count")).to_have_text("0")
    neighbour.click("#vote-button")
    expect(neighbour.locator("#vote-count")).to_have_text("1")

    # The planner of that municipality moves it to review with a note.
    staff = new_page()
    log_in(staff, planner.email)
    staff.goto(report_url)
    staff.select_option("#status", "under_review")
    staff.fill("#note", "현장 점검 일정을 잡았습니다.")
    staff.click("#triage button[type=submit]")
    expect(staff.locator("#history")).to_contain_text("현장 점검 일정을 잡았습니다.")

    # The resident sees the history.
    resident.goto(report_url)
    history = resident.locator("#history li")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("현장 점검 일정을 잡았습니다.")
    expect(history.nth(1)).to_contain_text("담당자")
    expect(resident.locator("#vote-count")).to_have_text("1")
    screenshot(resident, "report-page")
