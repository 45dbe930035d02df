"""Catalogue and KPI library: services, public pages and admin pages with their permissions."""
import pytest
from sqlalchemy import Column, ForeignKey, Integer, Table, func, select

from webapp.catalog import service as catalog
from webapp.catalog.csv_io import ensure_catalog
from webapp.errors import Conflict, Forbidden, Unauthorized, ValidationFailed
from webapp.extensions import db
from webapp.models import AuditEvent, Kpi, Proposal, Solution, solution_kpis

KPI = {"code": "PM25", "name": "초미세먼지 농도", "name_en": "PM2.5 concentration", "unit": "µg/m³", "unit_en": "µg/m³",
       "direction": "lower", "theme": "environment", "standards": ["ISO 37120", "U4SSC"]}


def _solution_data(code="AIR_NET", kpis=("PM25",), **extra):
    return {"code": code, "name": "미세먼지 센서망", "name_en": "Fine-dust sensors", "domain": "environment",
            "description": "동네마다 센서를 둡니다.", "description_en": "Sensors in every neighbourhood.",
            "cost_min": None, "cost_max": None, "results": "", "results_en": "", "kpis": list(kpis), **extra}


@pytest.fixture
def entries(admin):
    kpi = catalog.create_kpi(admin, KPI)
    solution = catalog.create_solution(admin, _solution_data(cost_min=100_000_000, cost_max=300_000_000,
                                                             results="대기질 민원 감소", results_en="Fewer complaints"))
    return {"kpi": kpi, "solution": solution}


def _links() -> int:
    return db.session.scalar(select(func.count()).select_from(solution_kpis))


def _audit(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


# --- services ---------------------------------------------------------------------------------


def test_create_and_update_are_audited_and_link_kpis(admin, entries):
    assert [k.code for k in entries["solution"].kpis] == ["PM25"]
    assert entries["kpi"].standards == "ISO 37120;U4SSC"
    assert _audit("solution.create") == 1 and _audit("kpi.create") == 1
    catalog.create_kpi(admin, {**KPI, "code": "SENSORS", "name": "센서 밀도", "direction": "higher"})
    catalog.update_solution(admin, "AIR_NET", _solution_data(kpis=["SENSORS", "PM25"], name="새 이름"))
    solution = catalog.get_solution("AIR_NET")
    assert solution.name == "새 이름" and [k.code for k in solution.kpis] == ["PM25", "SENSORS"]
    assert _audit("solution.update") == 1


def test_duplicate_code_and_unknown_kpi_are_field_errors(admin, entries):
    with pytest.raises(ValidationFailed) as caught:
        catalog.create_kpi(admin, KPI)
    assert "code" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        catalog.create_solution(admin, _solution_data(code="OTHER", kpis=["NOPE"]))
    assert "kpis" in caught.value.fields
    assert db.session.scalar(select(func.count(Solution.id))) == 1


def test_only_catalogue_managers_may_write(resident, planner, entries):
    with pytest.raises(Forbidden):
        catalog.create_kpi(resident, {**KPI, "code": "OTHER"})
    with pytest.raises(Forbidden):
        catalog.retire_solution(planner, "AIR_NET")
    with pytest.raises(Unauthorized):
        catalog.delete_kpi(None, "PM25")
    assert catalog.get_solution("AIR_NET").retired is False


def test_retire_hides_from_lists_and_unretire_brings_back(admin, entries):
    catalog.retire_solution(admin, "AIR_NET")
    catalog.retire_kpi(admin, "PM25")
    assert catalog.list_solutions() == [] and catalog.list_kpis() == []
    assert [s.code for s in catalog.list_solutions(include_retired=True)] == ["AIR_NET"]
    assert _audit("solution.retire") == 1 and _audit("kpi.retire") == 1
    catalog.unretire_solution(admin, "AIR_NET")
    assert [s.code for s in catalog.list_solutions(domain="environment")] == ["AIR_NET"]
    assert catalog.list_solutions(domain="energy") == []


def test_delete_unused_entries_takes_their_links_along(admin, entries):
    assert _links() == 1
    catalog.delete_kpi(admin, "PM25")
    assert _links() == 0
    db.session.expire_all()
    assert catalog.get_solution("AIR_NET").kpis == []
    catalog.create_kpi(admin, KPI)
    catalog.update_solution(admin, "AIR_NET", _solution_data())
    catalog.delete_solution(admin, "AIR_NET")
    assert _links() == 0 and db.session.scalar(select(func.count(Solution.id))) == 0
    assert db.session.scalar(select(func.count(Kpi.id))) == 1
    assert _audit("solution.delete") == 1 and _audit("kpi.delete") == 1


def test_a_proposal_blocks_deleting_its_solution(admin, resident, add_report, entries):
    report = add_report(resident)
    proposal = Proposal(municipality_id=report.municipality_id, author_id=resident.id, solution=entries["solution"],
                        idea="", reason="필요합니다", status="open", answer_note="")
    proposal.reports = [report]
    db.session.add(proposal)
    db.session.commit()
    assert catalog.references(entries["solution"]) == 1
    with pytest.raises(Conflict):
        catalog.delete_solution(admin, "AIR_NET")
    assert catalog.get_solution("AIR_NET") is not None and _links() == 1
    # Retiring is the way out.
    catalog.retire_solution(admin, "AIR_NET")
    assert catalog.get_solution("AIR_NET").retired is True


@pytest.fixture
def plan_table(app):
    """A table like the plans' KPI targets, added later than this code: found through the metadata."""
    table = Table("test_kpi_targets", db.metadata, Column("id", Integer, primary_key=True),
                  Column("kpi_id", ForeignKey("kpis.id"), nullable=False))
    # DDL waits for the test session's locks on kpis (PostgreSQL): end its transaction first.
    db.session.rollback()
    table.create(db.engine)
    yield table
    db.session.rollback()
    table.drop(db.engine)
    db.metadata.remove(table)


def test_a_kpi_used_by_any_later_table_cannot_be_deleted_only_retired(admin, entries, plan_table):
    db.session.execute(plan_table.insert().values(kpi_id=entries["kpi"].id))
    db.session.commit()
    with pytest.raises(Conflict):
        catalog.delete_kpi(admin, "PM25")
    catalog.retire_kpi(admin, "PM25")
    assert catalog.get_kpi("PM25").retired is True
    db.session.execute(plan_table.delete())
    db.session.commit()
    catalog.delete_kpi(admin, "PM25")
    assert db.session.scalar(select(func.count(Kpi.id))) == 0


# --- public pages -----------------------------------------------------------------------------


def test_index_groups_by_domain_with_costs_in_krw_in_both_languages(client, entries, admin):
    catalog.create_solution(admin, _solution_data(code="CROSSING", domain="transport_safety", name="스마트 횡단보도",
                                                  name_en="Smart crosswalk", kpis=[]))
    page = client.get("/catalog/").get_data(as_text=True)
    assert "미세먼지 센서망" in page and "1억~3억 원" in page and "대기질 민원 감소" in page
    assert "초미세먼지 농도" in page and page.index("스마트 횡단보도") < page.index("미세먼지 센서망")
    english = client.get("/catalog/?lang=en").get_data(as_text=True)
    assert "Fine-dust sensors" in english and "100,000,000–300,000,000 KRW" in english
    filtered = client.get("/catalog/?domain=transport_safety").get_data(as_text=True)
    assert "스마트 횡단보도" in filtered and 'id="solution-AIR_NET"' not in filtered
    assert client.get("/catalog/?domain=space").status_code == 422


def test_retired_solutions_leave_the_index_but_keep_their_page(client, admin, entries):
    catalog.retire_solution(admin, "AIR_NET")
    assert "미세먼지 센서망" not in client.get("/catalog/").get_data(as_text=True)
    page = client.get("/catalog/solutions/AIR_NET?lang=en")
    assert page.status_code == 200 and "no longer offered" in page.get_data(as_text=True)
    assert client.get("/catalog/solutions/NOPE").status_code == 404


def test_solution_page_and_kpi_library(client, entries):
    page = client.get("/catalog/solutions/AIR_NET?lang=en").get_data(as_text=True)
    assert "Fine-dust sensors" in page and "PM2.5 concentration" in page and "Lower is better" in page
    assert "ITU-T Y.4903 (U4SSC)" in page
    library = client.get("/catalog/kpis").get_data(as_text=True)
    assert 'id="kpi-PM25"' in library and "ITU-T Y.4903 (U4SSC)" in library
    assert 'id="kpi-PM25"' not in client.get("/catalog/kpis?theme=energy").get_data(as_text=True)


def test_kpi_units_follow_the_page_language(client, places):
    ensure_catalog()
    korean = client.get("/catalog/kpis?lang=ko").get_data(as_text=True)
    english = client.get("/catalog/kpis?lang=en").get_data(as_text=True)
    assert "km²당 측정소 수" in korean and "stations per km²" not in korean
    assert "stations per km²" in english and "km²당 측정소 수" not in english


# --- admin pages ------------------------------------------------------------------------------


ADMIN_PAGES = ["/catalog/admin/solutions", "/catalog/admin/kpis/new", "/catalog/admin/solutions/AIR_NET/edit"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_send_strangers_to_login_and_refuse_residents(client, resident, entries, sign_in, url):
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    sign_in(client, resident)
    assert client.get(url).status_code == 403


def test_resident_cannot_post_admin_actions(client, resident, entries, sign_in):
    assert "/auth/login" in client.post("/catalog/admin/solutions/AIR_NET/delete").headers["Location"]
    sign_in(client, resident)
    assert client.post("/catalog/admin/solutions/AIR_NET/delete").status_code == 403
    assert client.post("/catalog/admin/kpis/new", data={**KPI, "code": "X"}).status_code == 403
    assert db.session.scalar(select(func.count(Solution.id))) == 1


def test_admin_list_shows_retired_entries(client, admin, entries, sign_in):
    catalog.retire_kpi(admin, "PM25")
    sign_in(client, admin)
    page = client.get("/catalog/admin/kpis").get_data(as_text=True)
    assert '<tr id="entry-PM25" class="retired">' in page


def test_admin_creates_a_solution_with_kpis_through_the_form(client, admin, entries, sign_in):
    sign_in(client, admin)
    form = {"code": "SMART_POLE", "name": "스마트폴", "name_en": "Smart pole", "domain": "infrastructure",
            "description": "기둥 하나에 여러 장비", "description_en": "", "cost_min": "50,000,000",
            "cost_max": "", "kpis": ["PM25"]}
    response = client.post("/catalog/admin/solutions/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    pole = catalog.get_solution("SMART_POLE")
    assert pole.cost_min == 50_000_000 and pole.cost_max is None and [k.code for k in pole.kpis] == ["PM25"]
    assert _audit("solution.create") == 2


def test_admin_form_errors_are_shown_next_to_fields(client, admin, entries, sign_in):
    sign_in(client, admin)
    form = {"code": "bad code", "name": "", "name_en": "x", "domain": "space", "description": "d",
            "cost_min": "300", "cost_max": "100"}
    response = client.post("/catalog/admin/solutions/new?lang=en", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("code", "name", "domain", "cost_max"):
        assert f'id="{field}-error"' in page
    assert "capital letters" in page and 'value="bad code"' in page
    assert db.session.scalar(select(func.count(Solution.id))) == 1


def test_admin_edits_a_kpi_and_the_code_stays(client, admin, entries, sign_in):
    sign_in(client, admin)
    edit = client.get("/catalog/admin/kpis/PM25/edit").get_data(as_text=True)
    assert 'value="초미세먼지 농도"' in edit and 'name="code"' not in edit
    form = {**KPI, "code": "CHANGED", "name": "PM2.5 연평균", "standards": ["local"]}
    assert client.post("/catalog/admin/kpis/PM25/edit", data=form).status_code == 302
    kpi = catalog.get_kpi("PM25")
    assert kpi.name == "PM2.5 연평균" and kpi.standards == "local"
    assert _audit("kpi.update") == 1


def test_admin_solution_form_lists_active_kpis_as_checkboxes(client, admin, entries, sign_in):
    catalog.create_kpi(admin, {**KPI, "code": "OLD_KPI", "name": "옛 지표"})
    catalog.retire_kpi(admin, "OLD_KPI")
    sign_in(client, admin)
    page = client.get("/catalog/admin/solutions/AIR_NET/edit").get_data(as_text=True)
    assert 'name="kpis" value="PM25" checked' in page
    assert 'value="OLD_KPI"' not in page


def test_admin_retire_unretire_and_refused_delete(client, admin, resident, add_report, entries, sign_in):
    report = add_report(resident)
    proposal = Proposal(municipality_id=report.municipality_id, author_id=resident.id, solution=entries["solution"],
                        idea="", reason="필요", status="open", answer_note="")
    db.session.add(proposal)
    db.session.commit()
    sign_in(client, admin)
    page = client.post("/catalog/admin/solutions/AIR_NET/delete?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "in use and cannot be deleted" in page
    assert catalog.get_solution("AIR_NET") is not None
    client.post("/catalog/admin/solutions/AIR_NET/retire")
    db.session.expire_all()
    assert catalog.get_solution("AIR_NET").retired is True
    client.post("/catalog/admin/solutions/AIR_NET/unretire")
    db.session.expire_all()
    assert catalog.get_solution("AIR_NET").retired is False
    assert client.post("/catalog/admin/kpis/PM25/delete").status_code == 302
    assert db.session.scalar(select(func.count(Kpi.id))) == 0
    assert client.post("/catalog/admin/kpis/PM25/explode").status_code == 404
