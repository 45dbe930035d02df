"""Reporting without the map, the "already reported?" check, and the language switch, in a real browser."""

from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from webapp.reports import service as reports


def test_typed_coordinates_show_nearby_report_and_vote_instead(new_page, app, resident, neighbour):
    with app.app_context():
        existing = reports.create(neighbour, {
            "lat": 37.0500, "lon": 127.0500, "category": "traffic",
            "title": "교차로 신호 고장", "description": "신호등이 꺼져 있습니다.",
        })
        existing_id = existing.id
    page = new_page()
    log_in(page, resident.email)
    page.goto("/reports/new")
    # About 50 m north of the existing report, typed by hand (no map click).
    page.fill("#lat", "37.05045")
    page.fill("#lon", "127.05000")
    page.select_option("#category", "traffic")
    nearby = page.locator("#nearby-list li", has_text="교차로 신호 고장")
    expect(nearby).to_be_visible()
    nearby.locator("button.vote-instead").click()
    expect(nearby.locator(".votes")).to_contain_text("1")
    expect(nearby.locator("button.vote-instead")).to_be_disabled()
    with app.app_context():
        assert reports.votes_of(reports.get(existing_id)) == 1


def test_a_point_outside_every_municipality_is_refused_with_a_message(new_page, resident):
    page = new_page()
    log_in(page, resident.email)
    page.goto("/reports/new")
    page.fill("#lat", "35.0")
    page.fill("#lon", "129.0")
    page.select_option("#category", "waste")
    page.fill("#title", "바다 위의 쓰레기")
    page.fill("#description", "어느 시에도 속하지 않는 곳")
    page.click("#report-form button[type=submit]")
    expect(page.locator(".form-error")).to_be_visible()
    expect(page.locator("#lat-error")).to_be_visible()
    # What the resident typed is kept.
    expect(page.locator("#title")).to_have_value("바다 위의 쓰레기")


def test_language_switch_to_english_and_back(new_page, places):
    page = new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("label[for=f-category]")).to_have_text("분류")
    page.click("text=English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=f-category]")).to_have_text("Category")
    expect(page.locator("#f-municipality")).to_contain_text("East City")
    page.click("text=한국어")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("label[for=f-category]")).to_have_text("분류")
    expect(page.locator("#f-municipality")).to_contain_text("동시")
