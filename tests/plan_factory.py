"""Test set-up for plan pages: a call, a plan with items, and versions frozen from snapshot(plan)."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from geoalchemy2.shape import from_shape
from shapely.geometry import LineString, Point, Polygon
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (
    BudgetLine, Call, Kpi, KpiTarget, Milestone, Plan, PlanItem, PlanSite, PlanVersion, Solution,
)
from webapp.services.plan_data import snapshot


def solution(code="smart_crosswalk", name="스마트 횡단보도", name_en="Smart crosswalk", domain="transport_safety"):
    """A catalogue solution (created once per code)."""
    found = db.session.scalar(select(Solution).where(Solution.code == code))
    if found:
        return found
    found = Solution(code=code, name=name, name_en=name_en, domain=domain, description="설명", description_en="About")
    db.session.add(found)
    db.session.flush()
    return found


def kpi(code="ped_accidents", name="보행자 교통사고 건수", name_en="Pedestrian accidents", unit="건/년",
        unit_en="cases/year", direction="lower"):
    """A KPI of the library (created once per code)."""
    found = db.session.scalar(select(Kpi).where(Kpi.code == code))
    if found:
        return found
    found = Kpi(code=code, name=name, name_en=name_en, unit=unit, unit_en=unit_en, direction=direction,
                theme="safety", standards="local")
    db.session.add(found)
    db.session.flush()
    return found


def make_call(title="2026 스마트도시 공모"):
    now = datetime.now(timezone.utc)
    call = Call(title=title, year=2026, opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=10),
                cap_total=4_000_000_000, max_national_share_bp=5000, max_national_amount=2_000_000_000)
    db.session.add(call)
    db.session.flush()
    return call


def make_plan(municipality, author, reports=(), proposals=(), title="동시 스마트 안전 계획"):
    """A plan with two items: a crosswalk (point and line sites, two budget years) and CCTV (an area)."""
    plan = Plan(municipality_id=municipality.id, call_id=make_call().id, title=title,
                summary="어두운 골목과 위험한 횡단보도를 고칩니다.", goals="보행자 사고 30% 감소",
                created_by_id=author.id)
    db.session.add(plan)
    db.session.flush()
    crosswalk = PlanItem(plan_id=plan.id, solution_id=solution().id, title="스마트 횡단보도 설치",
                         description="학교 앞 횡단보도", position=1)
    crosswalk.reports = list(reports)
    crosswalk.proposals = list(proposals)
    crosswalk.sites = [
        PlanSite(name="초등학교 앞", geom=from_shape(Point(127.05, 37.05), srid=4326)),
        PlanSite(name="통학로", geom=from_shape(LineString([(127.04, 37.04), (127.06, 37.05)]), srid=4326)),
    ]
    crosswalk.budget_lines = [
        BudgetLine(source="national", amount=600_000_000, year=2026, description="장비"),
        BudgetLine(source="local", amount=600_000_000, year=2026, description="설치"),
        BudgetLine(source="local", amount=150_000_000, year=2027, description="운영"),
    ]
    crosswalk.kpi_targets = [KpiTarget(kpi_id=kpi().id, baseline_value=Decimal("12"), baseline_on=date(2025, 12, 31),
                                       target_value=Decimal("8.5"), target_on=date(2027, 12, 31),
                                       method="경찰청 사고 통계")]
    crosswalk.milestones = [Milestone(title="설계 완료", due_on=date(2026, 6, 30)),
                            Milestone(title="설치 완료", due_on=date(2026, 11, 30))]
    cctv = PlanItem(plan_id=plan.id, solution_id=solution("smart_cctv", "지능형 CCTV", "Intelligent CCTV", "safety").id,
                    title="지능형 CCTV", position=2)
    cctv.sites = [PlanSite(name="공원", geom=from_shape(
        Polygon([(127.02, 37.02), (127.03, 37.02), (127.03, 37.03), (127.02, 37.03)]), srid=4326))]
    cctv.budget_lines = [BudgetLine(source="national", amount=400_000_000, year=2026),
                         BudgetLine(source="private", amount=50_000_000, year=2026, description="통신사")]
    db.session.add_all([crosswalk, cctv])
    db.session.commit()
    return plan


def submit(plan, user) -> PlanVersion:
    """Freeze the plan as its next version (what submission does, without the rule check)."""
    db.session.refresh(plan)
    number = (db.session.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan.id)) or 0) + 1
    version = PlanVersion(plan_id=plan.id, number=number, snapshot=snapshot(plan), submitted_by_id=user.id)
    plan.status = "submitted"
    db.session.add(version)
    db.session.commit()
    return version
