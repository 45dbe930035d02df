"""A planner looks at where the city hurts most: hot spot on the map, first in the priority list, heat layer."""
import re

from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.fixtures.people import PASSWORD
from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import Vote
from webapp.reports import service as reports


def full_page(page, screenshot, name):
    """The viewport shot like the other journeys, plus the whole page beside it for review."""
    path = screenshot(page, name)
    page.screenshot(path=str(path.with_name(path.stem + "-full.png")), full_page=True)


def _file(author, lon, lat, category, title):
    return reports.create(author, {"lon": lon, "lat": lat, "category": category, "title": title,
                                   "description": "학교 근처 문제입니다."})


def _city(app, resident):
    """Two voted reports about 30 m apart near a school, and a lone unvoted report far away."""
    with app.app_context():
        first = _file(resident, 127.0300, 37.0300, "safety", "학교 앞 횡단보도 위험")
        second = _file(resident, 127.0303, 37.0301, "safety", "학교 앞 과속 차량")
        lone = _file(resident, 127.0800, 37.0800, "living", "공원 벤치 파손")
        voters = [users.register(f"voter{i}@example.org", f"투표자{i}", PASSWORD) for i in range(3)]
        for voter in voters:
            db.session.add(Vote(report_id=first.id, user_id=voter.id))
        db.session.add(Vote(report_id=second.id, user_id=voters[0].id))
        db.session.commit()
        return first.id, second.id, lone.id


def test_planner_sees_the_school_hot_spot_first_and_toggles_the_heat_map(
    new_page, app, resident, planner, screenshot
):
    first, second, lone = _city(app, resident)
    page = new_page()
    log_in(page, planner.email)
    page.goto("/analytics/")
    expect(page).to_have_url(re.compile(r"/analytics/90001$"))
    expect(page.locator("h1")).to_have_text("동시")

    # First in the priority list: the hot spot of the two school reports, above the lone report.
    rows = page.locator("#priorities tbody tr")
    expect(rows.first).to_have_attribute("data-kind", "hotspot")
    expect(rows.first).to_contain_text(f"#{first}")
    expect(rows.first).to_contain_text(f"#{second}")
    expect(rows.nth(1)).to_contain_text("공원 벤치 파손")
    expect(page.locator("#formula")).to_contain_text("ln(1 + 투표 수)")

    # The hot spot is outlined on the map, and its popup links to the member reports.
    map_node = page.locator("#analytics-map")
    expect(map_node).to_have_attribute("data-ready", "1")
    expect(map_node).to_have_attribute("data-hotspots", "1")
    outline = page.locator("#analytics-map path.hotspot-outline")
    expect(outline).to_have_count(1)
    marker = page.locator("#analytics-map path.hotspot-marker")
    expect(marker).to_have_count(1)
    marker.click()
    popup = page.locator(".hotspot-popup")
    expect(popup).to_contain_text("2")
    expect(popup.locator("a", has_text="학교 앞 과속 차량")).to_have_attribute("href", f"/reports/{second}")

    # The heat layer comes and goes with its (labelled) checkbox.
    expect(page.locator("#analytics-map path.heat-cell")).to_have_count(0)
    page.get_by_label(re.compile("heat map|히트맵", re.I)).check()
    expect(map_node).to_have_attribute("data-heat", "on")
    assert page.locator("#analytics-map path.heat-cell").count() > 0
    page.click(".leaflet-popup-close-button")
    expect(page.locator(".hotspot-popup")).to_have_count(0)
    full_page(page, screenshot, "analytics-page")
    page.uncheck("#heat-toggle")
    expect(map_node).to_have_attribute("data-heat", "off")
    expect(page.locator("#analytics-map path.heat-cell")).to_have_count(0)

    # The same page in English.
    page.click("text=English")
    expect(page.locator("#priority-title")).to_have_text("Priority list")
    expect(rows.first).to_contain_text("4 votes")
    full_page(page, screenshot, "analytics-page-en")


def test_bad_parameters_are_shown_next_to_the_field(new_page, app, resident, planner):
    _city(app, resident)
    page = new_page()
    log_in(page, planner.email)
    # The browser itself refuses 5 in the number field, so send it as a typed address would.
    page.goto("/analytics/90001?eps=5&min_points=2")
    expect(page.locator("#eps-error")).to_be_visible()
    expect(page.locator("#eps")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#priorities tbody tr").first).to_have_attribute("data-kind", "hotspot")
