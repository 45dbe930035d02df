"""Demo data for `make run`: two municipalities with rough outlines of our own, accounts, reports, a call."""
from datetime import timedelta

from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import func, select

from webapp.auth import service as users
from webapp.calls import service as calls
from webapp.catalog.csv_io import ensure_catalog
from webapp.core.time import utcnow
from webapp.evaluation import service as evaluation
from webapp.extensions import db
from webapp.models import Call, Municipality, Report, Solution
from webapp.proposals import service as proposals
from webapp.reports import service as reports, triage, votes
from webapp.reports.categories import ensure_categories

# Coarse outlines drawn by hand around the two city centres (not taken from any boundary file).
# Real KOSTAT codes, so importing official boundaries later replaces these shapes in place.
MUNICIPALITIES = [
    ("32030", "강릉시", "Gangneung-si", "강원도", [
        (128.80, 37.70), (128.86, 37.68), (128.93, 37.70), (128.98, 37.74), (128.96, 37.80),
        (128.90, 37.83), (128.83, 37.81), (128.79, 37.76), (128.80, 37.70)]),
    ("32040", "동해시", "Donghae-si", "강원도", [
        (129.03, 37.46), (129.10, 37.44), (129.16, 37.48), (129.15, 37.55), (129.08, 37.58),
        (129.02, 37.54), (129.03, 37.46)]),
]

ACCOUNTS = [
    ("resident@example.org", "김주민", None),
    ("neighbour@example.org", "이이웃", None),
    ("planner@example.org", "박담당", "planner"),
    ("admin@example.org", "관리자", "admin"),
]
DEMO_PASSWORD = "together-smart-city-2026"

REPORTS = [
    (37.7545, 128.8961, "traffic", "초등학교 앞 횡단보도 신호가 너무 짧아요",
     "아이들이 건너기 전에 신호가 바뀝니다. 보행 신호 연장이 필요합니다."),
    (37.7551, 128.8970, "safety", "통학로 가로등이 자주 꺼져요", "저녁 7시 이후 골목이 어두워 아이들이 무서워합니다."),
    (37.7638, 128.8990, "traffic", "불법 주차로 소방차 진입 곤란", "시장 앞 골목에 상시 불법 주차가 있습니다."),
    (37.7712, 128.8760, "environment", "하천 악취가 심해요", "여름철 남대천 하류에서 악취가 납니다."),
    (37.7480, 128.9050, "water_disaster", "비만 오면 도로가 잠겨요", "배수구가 막혀 비 올 때마다 침수됩니다."),
    (37.7590, 128.8850, "waste", "분리수거장 쓰레기 넘침", "주말마다 쓰레기가 넘쳐 길을 막습니다."),
    (37.7520, 128.8720, "welfare", "홀몸 어르신 안부 확인이 필요해요", "겨울철 난방이 안 되는 집이 있습니다."),
    (37.7605, 128.9120, "living", "버스 도착 정보가 없어요", "정류장에 도착 안내 전광판이 없습니다."),
    (37.7440, 128.8890, "energy", "공공건물 조명이 밤새 켜져 있어요", "주민센터 조명이 새벽까지 켜져 있습니다."),
    (37.5000, 129.1100, "traffic", "항구 앞 교차로 사고 위험", "화물차 회전 반경 때문에 사고가 잦습니다."),
    (37.7548, 128.8966, "traffic", "학교 앞 과속 차량이 많아요", "등교 시간에 차들이 속도를 줄이지 않습니다."),
]
# Residents' proposals: (solution code, indexes into REPORTS, reason).
PROPOSALS = [
    ("SMART_CROSSWALK", (0, 10), "바닥 신호등과 음성 안내가 있으면 아이들이 더 안전하게 건널 수 있습니다."),
    ("SMART_STREETLIGHT", (1,), "고장이 나면 바로 알 수 있는 가로등이면 통학로가 밝아집니다."),
]


def _municipalities() -> dict:
    out = {}
    for code, name, name_en, province, ring in MUNICIPALITIES:
        place = db.session.scalars(select(Municipality).where(Municipality.code == code)).first()
        if place is None:
            place = Municipality(code=code, name=name, name_en=name_en, province=province,
                                 geom=from_shape(MultiPolygon([Polygon(ring)]), srid=4326))
            db.session.add(place)
        out[code] = place
    db.session.commit()
    return out


def _accounts(place) -> dict:
    out = {}
    for email, name, role in ACCOUNTS:
        roles = (role,) if role else ()
        out[email.split("@")[0]] = users.create_account(email, name, DEMO_PASSWORD, roles, place)
    return out


def seed_all() -> list[str]:
    """Load the demo data once; running it again changes nothing."""
    added = ensure_categories()
    catalogue = ensure_catalog()
    places = _municipalities()
    people = _accounts(places["32030"])
    lines = [f"categories added: {added}", f"catalogue entries added: {catalogue}",
             f"municipalities: {', '.join(places)}"]
    if not db.session.scalar(select(func.count(Call.id))):
        # A call open from yesterday for 60 days, with the programme's default limits.
        now = utcnow()
        call = calls.create(people["admin"], {
            "title": f"{now.year + 1}년 중소도시 스마트시티 조성사업",
            "title_en": f"{now.year + 1} small and mid-sized smart city call",
            "year": now.year + 1, "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=60)})
        evaluation.install_example_rubric(people["admin"], call.id)
        lines.append("call: open for 60 days, with the example evaluation rubric")
    if db.session.scalar(select(func.count(Report.id))):
        return lines + ["reports already present: left as they are"]
    created = []
    for i, (lat, lon, category, title, text) in enumerate(REPORTS):
        author = people["resident"] if i % 2 == 0 else people["neighbour"]
        data = {"lat": lat, "lon": lon, "category": category, "title": title, "description": text,
                "anonymous": i == 3}
        created.append(reports.create(author, data))
    for report in created[:4]:
        votes.vote(people["neighbour"], report.id)
        votes.vote(people["resident"], report.id)
    triage.change_status(people["planner"], created[0].id,
                         {"status": "under_review", "note": "현장 확인 후 신호 시간 조정을 검토하겠습니다."})
    for code, indexes, reason in PROPOSALS:
        solution = db.session.scalars(select(Solution).where(Solution.code == code)).one()
        proposal = proposals.create(people["resident"], {
            "reports": [created[i].id for i in indexes], "solution": solution.id, "reason": reason})
        proposals.vote(people["neighbour"], proposal.id)
    lines.append(f"reports: {len(created)}, proposals: {len(PROPOSALS)}")
    lines.append(f"accounts (password {DEMO_PASSWORD}): " + ", ".join(e for e, _, _ in ACCOUNTS))
    return lines
