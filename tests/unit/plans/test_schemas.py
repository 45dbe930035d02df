"""Plan output needs no request, session or service: votes, the viewer and the check outcome are given to it.

One item shape serves the API and the stored snapshot; the snapshot is the same for every viewer.
"""
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from types import SimpleNamespace

from flask import has_app_context, has_request_context
from geoalchemy2.shape import from_shape
from shapely.geometry import LineString, Point

from webapp.core.output import Viewer
from webapp.models import (
    BudgetLine,
    Call,
    Category,
    Kpi,
    KpiTarget,
    Milestone,
    Municipality,
    Plan,
    PlanItem,
    PlanSite,
    PlanVersion,
    Proposal,
    Report,
    Solution,
    User,
)
from webapp.plans.schemas.output import (
    SNAPSHOT_FORMAT,
    CheckOut,
    CompareOut,
    PlanDetailOut,
    PlanItemOut,
    PlanListOut,
    SnapshotOut,
    SubmittedOut,
    VersionListOut,
    Votes,
)

AT = datetime(2026, 3, 1, 0, 30, tzinfo=timezone.utc)
LINE = LineString([(127.04, 37.04), (127.06, 37.05)])
VOTES = Votes(reports={11: 4}, proposals={21: 2})


def _viewer(lang="en"):
    return Viewer(lang=lang, may=lambda action, target=None: False, url=lambda e, **v: f"/{e}/{v}")


def _item() -> PlanItem:
    category = Category(code="traffic", name="교통", name_en="Traffic", domain="mobility", color="#d9480f")
    solution = Solution(id=5, code="smart_crosswalk", name="스마트 횡단보도", name_en="Smart crosswalk",
                        domain="transport_safety")
    kpi = Kpi(id=6, code="ped_accidents", name="보행자 사고", name_en="Pedestrian accidents", unit="건/년",
              unit_en="cases/year", direction="lower")
    return PlanItem(
        id=1, title="횡단보도", description="학교 앞", solution=solution,
        reports=[Report(id=11, title="위험해요", status="submitted", category=category,
                        geom=from_shape(Point(127.05, 37.05), srid=4326))],
        proposals=[Proposal(id=21, idea="가로등", solution=None), Proposal(id=22, idea="", solution=solution)],
        sites=[PlanSite(id=2, name="통학로", geom=from_shape(LINE, srid=4326))],
        budget_lines=[BudgetLine(source="national", amount=600_000_000, year=2026, description="장비"),
                      BudgetLine(source="local", amount=150_000_000, year=2027, description="")],
        kpi_targets=[KpiTarget(kpi=kpi, baseline_value=Decimal("12.0000"), baseline_on=date(2025, 12, 31),
                               target_value=Decimal("8.5000"), target_on=None, method="통계")],
        milestones=[Milestone(title="설치", due_on=date(2026, 11, 30))],
    )


def _plan() -> Plan:
    call = Call(id=3, title="2026 공모", year=2026, opens_at=AT, closes_at=datetime(2026, 4, 30, 9, 0),
                cap_total=4_000_000_000, max_national_share_bp=5000, max_national_amount=2_000_000_000,
                build_months=12)
    place = Municipality(code="90001", name="동시", name_en="East City", province="시험도")
    plan = Plan(id=9, title="안전 계획", summary="요약", goals="목표", status="draft", municipality=place, call=call,
                items=[_item(), PlanItem(id=4, title="CCTV", description="", solution=None)])
    plan.versions = [PlanVersion(number=1), PlanVersion(number=2)]
    return plan


def test_an_item_has_the_snapshot_shape_with_the_ids_to_write_back_and_the_votes_given():
    assert not has_app_context() and not has_request_context()
    item = PlanItemOut(_viewer(), votes=VOTES).dump(_item())
    assert item["solution"] == {"id": 5, "code": "smart_crosswalk", "name": "스마트 횡단보도",
                                "name_en": "Smart crosswalk", "domain": "transport_safety"}
    assert item["reports"] == [{"id": 11, "title": "위험해요", "status": "submitted", "votes": 4,
                                "category": "traffic", "lon": 127.05, "lat": 37.05}]
    # Proposals are named in both languages; one nobody supported has no votes.
    assert item["proposals"] == [{"id": 21, "title": "가로등", "title_en": "가로등", "votes": 2},
                                 {"id": 22, "title": "스마트 횡단보도", "title_en": "Smart crosswalk", "votes": 0}]
    [site] = json.loads(json.dumps(item["sites"]))
    assert site == {"id": 2, "name": "통학로",
                    "geometry": {"type": "LineString", "coordinates": [[127.04, 37.04], [127.06, 37.05]]}}
    assert item["budget"] == [{"source": "national", "amount": 600_000_000, "year": 2026, "description": "장비"},
                              {"source": "local", "amount": 150_000_000, "year": 2027, "description": ""}]
    [target] = item["kpi_targets"]
    assert target["kpi"]["id"] == 6 and target["kpi"]["unit_en"] == "cases/year"
    # Decimals travel as text, without trailing zeros; dates as ISO, missing ones as null.
    assert (target["baseline_value"], target["target_value"]) == ("12", "8.5")
    assert (target["baseline_on"], target["target_on"]) == ("2025-12-31", None)
    assert item["milestones"] == [{"title": "설치", "due_on": "2026-11-30"}]
    assert "budget_lines" not in item


def test_the_snapshot_is_language_neutral_and_the_same_for_every_viewer():
    plan = _plan()
    snap = SnapshotOut(_viewer("en"), votes=VOTES).dump(plan)
    assert snap == SnapshotOut(_viewer("ko"), votes=VOTES).dump(plan)
    assert snap["format"] == SNAPSHOT_FORMAT
    assert snap["plan"]["municipality"] == {"code": "90001", "name": "동시", "name_en": "East City"}
    assert snap["plan"]["call"] == {
        "id": 3, "title": "2026 공모", "year": 2026, "opens_at": "2026-03-01T00:30:00+00:00",
        "closes_at": "2026-04-30T09:00:00+00:00", "cap_total": 4_000_000_000, "max_national_share_bp": 5000,
        "max_national_amount": 2_000_000_000, "build_months": 12}
    assert set(snap["plan"]) == {"id", "title", "summary", "goals", "municipality", "call"}
    assert snap["totals"] == {"national": 600_000_000, "local": 150_000_000, "private": 0, "total": 750_000_000}
    assert snap["items"][0] == PlanItemOut(_viewer(), votes=VOTES).dump(plan.items[0])
    assert snap["items"][1]["solution"] is None and snap["items"][1]["reports"] == []
    json.dumps(snap)  # stored as JSON


def test_the_live_plan_adds_its_state_and_names_the_municipality_in_the_viewers_language():
    body = PlanDetailOut(_viewer("en"), votes=VOTES).dump(_plan())
    assert body["status"] == "draft" and body["versions"] == [1, 2]
    assert body["municipality"]["display_name"] == "East City" and body["municipality"]["province"] == "시험도"
    assert PlanDetailOut(_viewer("ko"), votes=VOTES).dump(_plan())["municipality"]["display_name"] == "동시"
    assert body["totals"]["total"] == 750_000_000 and body["call"]["id"] == 3
    assert [i["id"] for i in body["items"]] == [1, 4] and body["items"][0]["reports"][0]["votes"] == 4
    listed = PlanListOut(_viewer()).dump([_plan()])["plans"]
    assert listed[0]["id"] == 9 and "items" not in listed[0]


def test_the_check_outcome_as_the_editor_shows_it():
    violation = {"code": "national_share", "params": {"share_bp": 5001, "max_bp": 5000}, "item_id": None,
                 "message": "National money is 50.01 %"}
    totals = {"national": 2_000_000_001, "local": 1_999_999_999, "private": 0, "total": 4_000_000_000}
    body = CheckOut(_viewer()).dump(SimpleNamespace(violations=[violation], totals=totals, preview=True))
    assert body == {"violations": [violation], "totals": totals, "national_share_bp": 5001,
                    "shown": {"national": "2,000,000,001", "local": "1,999,999,999", "private": "0",
                              "total": "4,000,000,000", "national_share": "50.01 %"},
                    "can_submit": False, "preview": True}
    clean = CheckOut(_viewer()).dump(SimpleNamespace(violations=[], totals=totals, preview=False))
    assert clean["can_submit"] is True
    assert CheckOut(_viewer()).dump(SimpleNamespace(violations=[], totals=totals, preview=True))["can_submit"] is False


def test_versions_submission_and_comparison():
    version = PlanVersion(plan_id=9, number=2, submitted_at=AT, submitted_by=User(display_name="계획 담당"),
                          snapshot={"plan": {"title": "안전 계획"}, "items": [{}, {}], "totals": {"total": 5}})
    assert SubmittedOut(_viewer()).dump(version) == {"plan": 9, "version": 2, "status": "submitted"}
    listing = VersionListOut(_viewer()).dump({"plan": _plan(), "versions": [version]})
    assert listing == {"plan": 9, "versions": [{"number": 2, "submitted_at": "2026-03-01T00:30:00+00:00",
                                                "submitted_by": "계획 담당", "title": "안전 계획", "items": 2,
                                                "totals": {"total": 5}}]}
    diff = {"plan": {}, "totals": {"total": {"a": 1, "b": 2, "delta": 1}},
            "items": [{"status": "added", "a": None, "b": {"id": 8}, "changes": {}}], "changed": True}
    assert CompareOut(_viewer()).dump({"a": 1, "b": "draft", **diff}) == {"a": 1, "b": "draft", **diff}
