"""From problems to a solution: residents propose and support a smart crosswalk, the planner sees the hot spot
and answers."""

from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from webapp.catalog.csv_io import ensure_catalog
from webapp.extensions import db
from webapp.models import Solution, Vote
from webapp.reports import service as reports


def _file(author, lon, lat, category, title):
    return reports.create(author, {"lon": lon, "lat": lat, "category": category, "title": title,
                                   "description": "등하교 시간에 위험합니다."})


def test_residents_propose_a_smart_crosswalk_and_the_planner_answers(
    new_page, app, resident, neighbour, planner, screenshot
):
    with app.app_context():
        ensure_catalog()
        crosswalk = db.session.query(Solution).filter_by(code="SMART_CROSSWALK").one()
        crosswalk_id, crosswalk_name = crosswalk.id, crosswalk.name
        # Two problems about 30 m apart in front of a school, and one elsewhere in the city.
        school_a = _file(resident, 127.0300, 37.0300, "traffic", "초등학교 앞 무단횡단이 많아요")
        school_b = _file(resident, 127.0303, 37.0301, "traffic", "학교 앞 횡단보도 신호가 짧아요")
        _file(resident, 127.0800, 37.0800, "living", "공원 벤치 파손")
        db.session.add(Vote(report_id=school_a.id, user_id=neighbour.id))
        db.session.commit()
        a_id, b_id = school_a.id, school_b.id

    # A resident proposes the smart crosswalk for both school reports, starting from a report page.
    proposer = new_page()
    log_in(proposer, resident.email)
    proposer.goto(f"/reports/{b_id}")
    # The report names a crosswalk, so the catalogue's smart crosswalk comes first among the suggestions.
    expect(proposer.locator("#suggestions li").first).to_contain_text(crosswalk_name)
    proposer.click("#propose-link")
    proposer.check(f"input[name=report][value='{a_id}']")
    proposer.select_option("#solution", str(crosswalk_id))
    proposer.fill("#reason", "아이들이 길을 건널 때 운전자가 알아차리도록 바닥 신호등이 필요합니다.")
    proposer.click("#proposal-form button[type=submit]")
    expect(proposer.locator("h1")).to_contain_text(crosswalk_name)
    expect(proposer.locator("#addressed li")).to_have_count(2)
    proposal_url = proposer.url

    # Another resident supports it.
    supporter = new_page()
    log_in(supporter, neighbour.email)
    supporter.goto(proposal_url)
    supporter.click("#vote-button")
    expect(supporter.locator("#vote-count")).to_have_text("1")

    # The planner sees the school hot spot at the top of the priority list, above the lone report.
    staff = new_page()
    log_in(staff, planner.email)
    staff.goto("/analytics/")
    rows = staff.locator("#priorities tbody tr")
    expect(rows.first).to_have_attribute("data-kind", "hotspot")
    expect(rows.first).to_contain_text(f"#{a_id}")
    expect(rows.first).to_contain_text(f"#{b_id}")
    expect(rows.nth(1)).to_contain_text("공원 벤치 파손")
    screenshot(staff, "participation-priorities")

    # ... follows the school report to the proposal and answers it publicly.
    staff.goto(f"/reports/{a_id}")
    staff.locator("#proposals li a", has_text=crosswalk_name).first.click()
    expect(staff).to_have_url(proposal_url)
    staff.select_option("#answer-status", "accepted")
    staff.fill("#answer-note", "내년 스마트시티 사업계획에 반영하겠습니다.")
    staff.click("#answer-form button[type=submit]")
    expect(staff.locator("#answer .answer-note")).to_have_text("내년 스마트시티 사업계획에 반영하겠습니다.")

    # The proposer sees the answer.
    proposer.goto(proposal_url)
    expect(proposer.locator("#answer")).to_contain_text("내년 스마트시티 사업계획에 반영하겠습니다.")
    screenshot(proposer, "participation-answered-proposal")
