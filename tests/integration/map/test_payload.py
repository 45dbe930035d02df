"""The map request reads reports, not municipal boundaries: no polygon travels with each report."""
import re

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import event, insert, select

from webapp.extensions import db
from webapp.models import Category, Report

# A select list naming the boundary column, under its own or an alias's name (municipalities_1.geom).
BOUNDARY_COLUMN = re.compile(r"\bmunicipalities(_\d+)?\.geom\b", re.IGNORECASE)


def _file_reports(author, municipality, count: int) -> None:
    category = db.session.scalars(select(Category.id)).first()
    rows = [{"municipality_id": municipality.id, "category_id": category, "author_id": author.id,
             "title": f"보고 {i}", "description": "", "status": "submitted", "anonymous": False,
             "geom": from_shape(Point(127.01 + (i % 50) * 0.001, 37.01 + (i // 50) * 0.001), srid=4326)}
            for i in range(count)]
    db.session.execute(insert(Report), rows)
    db.session.commit()


def _statements_of(client, url: str) -> tuple[list[str], dict]:
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.get_data(as_text=True)
    return seen, response.get_json()


def test_map_request_of_500_reports_loads_no_boundary(client, places, resident):
    _file_reports(resident, places["east"], 500)
    statements, body = _statements_of(client, "/api/v1/reports?bbox=127.0,37.0,127.1,37.1&limit=500")
    assert len(body["features"]) == 500
    assert {f["properties"]["municipality"] for f in body["features"]} == {"90001"}
    assert [s for s in statements if BOUNDARY_COLUMN.search(s)] == []
    assert 1 <= len(statements) <= 3  # one query for the page, never one per report


def test_proposal_and_plan_lists_load_no_boundary(client, places, resident, planner, add_report, sign_in):
    from tests.fixtures.plans import make_plan
    from webapp.proposals import service as proposals

    reports = [add_report(resident, lon=127.01 + i * 0.01) for i in range(3)]
    for report in reports:
        proposals.create(resident, {"reports": [report.id], "idea": "가로등 추가", "reason": "어두워요"})
    make_plan(places["east"], planner, title="첫 계획")
    make_plan(places["east"], planner, title="둘째 계획")
    statements, body = _statements_of(client, "/api/v1/proposals")
    assert len(body["features"]) == 3
    assert [s for s in statements if BOUNDARY_COLUMN.search(s)] == []
    sign_in(client, planner)
    statements, body = _statements_of(client, "/api/v1/plans")
    assert len(body["plans"]) == 2
    assert [s for s in statements if BOUNDARY_COLUMN.search(s)] == []
