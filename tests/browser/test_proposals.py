"""Proposing a solution from a report page, supporting it, answering it, and seeing it everywhere."""
import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from webapp.extensions import db
from webapp.models import Solution


@pytest.fixture
def crosswalk(places):
    solution = Solution(code="smart-crosswalk", name="스마트 횡단보도", name_en="Smart crosswalk",
                        domain="transport_safety", description="보행자를 감지해 알립니다.",
                        description_en="Detects pedestrians.")
    db.session.add(solution)
    db.session.commit()
    return solution


def test_resident_proposes_for_two_reports_neighbour_supports_planner_answers(
    new_page, resident, neighbour, planner, add_report, crosswalk, screenshot
):
    first = add_report(resident, lon=127.05, lat=37.05, category="traffic", title="학교 앞 무단횡단")
    second = add_report(resident, lon=127.051, lat=37.0505, category="traffic", title="횡단보도 신호가 짧아요")

    proposer = new_page()
    log_in(proposer, neighbour.email)
    proposer.goto(f"/reports/{first.id}")
    # The catalogue solution fits the category, so it is suggested with a "propose" link.
    expect(proposer.locator("#suggestions li", has_text="스마트 횡단보도")).to_be_visible()
    proposer.click("#propose-link")
    expect(proposer).to_have_url(re.compile(rf"/proposals/new\?report={first.id}$"))
    expect(proposer.locator(f"input[name=report][value='{first.id}']")).to_be_checked()
    proposer.check(f"input[name=report][value='{second.id}']")
    proposer.select_option("#solution", str(crosswalk.id))
    proposer.fill("#reason", "등하교 시간에 아이들이 위험합니다.")
    proposer.fill("#cost_estimate", "30,000,000")
    proposer.locator("#map").click(position={"x": 150, "y": 150})
    expect(proposer.locator("#sites")).to_have_value(re.compile(r"^127\.\d+,37\.\d+$"))
    expect(proposer.locator("#map .proposal-marker")).to_have_count(1)
    screenshot(proposer, "proposal-form")
    proposer.click("#proposal-form button[type=submit]")
    expect(proposer.locator("h1")).to_contain_text("스마트 횡단보도")
    expect(proposer.locator("#addressed li")).to_have_count(2)
    proposal_url = proposer.url

    supporter = new_page()
    log_in(supporter, resident.email)
    supporter.goto(proposal_url)
    expect(supporter.locator("#vote-count")).to_have_text("0")
    supporter.click("#vote-button")
    expect(supporter.locator("#vote-count")).to_have_text("1")

    staff = new_page()
    log_in(staff, planner.email)
    staff.goto(proposal_url)
    staff.select_option("#answer-status", "accepted")
    staff.fill("#answer-note", "내년 스마트시티 계획에 반영합니다.")
    staff.click("#answer-form button[type=submit]")
    expect(staff.locator("#answer .answer-note")).to_have_text("내년 스마트시티 계획에 반영합니다.")

    # Everyone sees the answer, and the proposal on both report pages.
    supporter.goto(proposal_url)
    expect(supporter.locator("#answer")).to_contain_text("내년 스마트시티 계획에 반영합니다.")
    screenshot(supporter, "proposal-page")
    for report in (first, second):
        supporter.goto(f"/reports/{report.id}")
        item = supporter.locator("#proposals li", has_text="스마트 횡단보도")
        expect(item).to_be_visible()
        expect(item.locator(".proposal-votes")).to_contain_text("1")
    supporter.set_viewport_size({"width": 1280, "height": 1400})
    screenshot(supporter, "report-with-proposals")

    # The map's proposal layer shows it (at its one proposed site) once switched on.
    supporter.goto("/")
    expect(supporter.locator("#results li")).to_have_count(2)
    expect(supporter.locator("#map .proposal-marker")).to_have_count(0)
    supporter.check("#show-proposals")
    marker = supporter.locator("#map .proposal-marker")
    expect(marker).to_have_count(1)
    marker.click()
    popup = supporter.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("스마트 횡단보도")
    expect(popup.locator("a")).to_have_attribute("href", re.compile(r"/proposals/\d+$"))
    screenshot(supporter, "map-with-proposals")
    supporter.uncheck("#show-proposals")
    expect(supporter.locator("#map .proposal-marker")).to_have_count(0)
    expect(supporter.locator("#results li")).to_have_count(2)
