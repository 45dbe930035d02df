"""Suggestions: catalogue solutions ranked by category fit and by what similar reports were proposed."""
import pytest
from flask_babel import force_locale

from webapp.extensions import db
from webapp.models import Proposal, Solution
from webapp.proposals import suggestions


def _solution(code, domain, retired=False):
    s = Solution(code=code, name=f"{code} 이름", name_en=f"{code} name", domain=domain,
                 description="", description_en="", retired=retired)
    db.session.add(s)
    return s


def _proposal(author, reports, solution, status="open"):
    p = Proposal(municipality_id=reports[0].municipality_id, author_id=author.id, solution=solution,
                 idea="", reason="이유", status=status, answer_note="")
    p.reports = list(reports)
    db.session.add(p)
    return p


@pytest.fixture
def catalogue(places):
    found = {
        "bus-info": _solution("bus-info", "transport"),              # primary domain of traffic
        "crosswalk": _solution("crosswalk", "transport_safety"),     # second domain of traffic
        "parking": _solution("parking", "transport"),
        "cctv": _solution("cctv", "safety"),                         # no fit for traffic
        "air": _solution("air", "environment"),
        "rain": _solution("rain", "water"),
        "old": _solution("old", "transport", retired=True),
    }
    db.session.commit()
    return found


def _codes(report):
    return [s.solution.code for s in suggestions.for_report(report)]


def test_domain_fit_orders_primary_domain_first(resident, add_report, catalogue):
    report = add_report(resident, category="traffic")
    assert _codes(report) == ["bus-info", "parking", "crosswalk"]
    with force_locale("en"):
        assert all(s.reasons == ["fits the category"] for s in suggestions.for_report(report))


def test_history_of_similar_reports_raises_a_solution(resident, add_report, catalogue):
    report = add_report(resident, category="traffic")
    others = [add_report(resident, category="traffic") for _ in range(3)]
    # Proposed (open) for two similar reports, accepted once: crosswalk 2 + 1 + 2 = 5 beats bus-info 3.
    _proposal(resident, others[:2], catalogue["crosswalk"])
    _proposal(resident, others[2:], catalogue["crosswalk"], status="accepted")
    db.session.commit()
    ranked = suggestions.for_report(report)
    assert [s.solution.code for s in ranked][:3] == ["crosswalk", "bus-info", "parking"]
    top = ranked[0]
    assert top.score == 2 + 1 + 2 and len(top.reports) == 3 and top.accepted == 1
    with force_locale("en"):
        assert top.reasons == ["fits the category", "proposed for 3 similar reports", "accepted for planning 1 time"]


def test_history_outside_the_fitting_domains_counts_and_accepted_weighs_more(resident, add_report, catalogue):
    report = add_report(resident, category="traffic")
    a, b = add_report(resident, category="traffic"), add_report(resident, category="traffic")
    _proposal(resident, [a], catalogue["cctv"], status="accepted")
    _proposal(resident, [b], catalogue["air"], status="open")
    db.session.commit()
    scores = {s.solution.code: s.score for s in suggestions.for_report(report)}
    assert scores["cctv"] == 2 and scores["air"] == 1
    cctv = next(s for s in suggestions.for_report(report) if s.solution.code == "cctv")
    with force_locale("en"):
        assert cctv.reasons == ["proposed for 1 similar report", "accepted for planning 1 time"]


def test_not_feasible_other_categories_own_report_and_retired_do_not_count(resident, add_report, catalogue):
    report = add_report(resident, category="traffic")
    similar = add_report(resident, category="traffic")
    other_kind = add_report(resident, category="waste")
    _proposal(resident, [similar], catalogue["cctv"], status="not_feasible")
    _proposal(resident, [other_kind], catalogue["rain"], status="accepted")
    _proposal(resident, [report], catalogue["air"], status="accepted")  # this very report is no history
    _proposal(resident, [similar], catalogue["old"], status="accepted")
    db.session.commit()
    assert _codes(report) == ["bus-info", "parking", "crosswalk"]


def test_at_most_five_best_first(resident, add_report, catalogue):
    for i in range(5):
        _solution(f"extra{i}", "transport")
    db.session.commit()
    report = add_report(resident, category="traffic")
    ranked = suggestions.for_report(report)
    assert len(ranked) == 5
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert "old" not in [s.solution.code for s in ranked]


def test_api_and_report_page_show_suggestions(client, resident, add_report, catalogue):
    report = add_report(resident, category="traffic")
    body = client.get(f"/api/v1/reports/{report.id}/suggestions?lang=en").get_json()
    assert [s["solution"] for s in body["suggestions"]] == ["bus-info", "parking", "crosswalk"]
    assert body["suggestions"][0]["name"] == "bus-info name"
    assert body["suggestions"][0]["reasons"] == ["fits the category"]
    propose_url = f"/proposals/new?report={report.id}&solution={catalogue['bus-info'].id}"
    assert body["suggestions"][0]["propose_url"] == propose_url
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'id="suggestions"' in page and "bus-info 이름" in page
    assert f"/proposals/new?report={report.id}&amp;solution={catalogue['bus-info'].id}" in page
    assert client.get("/api/v1/reports/999/suggestions").status_code == 404


def test_a_proposal_already_addressing_the_report_is_not_its_own_history(resident, add_report, catalogue):
    report = add_report(resident, category="traffic")
    other = add_report(resident, category="traffic")
    # One proposal for both reports: for `report` it is not "what a similar report got".
    _proposal(resident, [report, other], catalogue["cctv"])
    db.session.commit()
    assert "cctv" not in _codes(report)
    assert "cctv" not in _codes(other)


def test_a_report_naming_the_subject_of_a_solution_raises_it(resident, add_report, catalogue):
    crosswalk = _solution("SMART_CROSSWALK", "transport_safety")
    crosswalk.name, crosswalk.name_en = "스마트 횡단보도", "Smart crosswalk"
    db.session.commit()
    plain = add_report(resident, category="traffic", title="버스가 안 와요", description="배차 간격이 깁니다.")
    named = add_report(resident, category="traffic", title="학교 앞 횡단보도 신호가 짧아요", description="위험합니다.")
    assert _codes(plain)[:3] == ["bus-info", "parking", "SMART_CROSSWALK"]
    ranked = suggestions.for_report(named)
    assert ranked[0].solution.code == "SMART_CROSSWALK" and ranked[0].score == 2 + 3
    with force_locale("en"):
        assert ranked[0].reasons == ["the report mentions “횡단보도”", "fits the category"]
