"""Catalog endpoints: solutions and KPIs for everyone; writes for catalogue managers."""
from flask import Blueprint, jsonify, request
from flask_login import current_user

from webapp.catalog import service as catalog
from webapp.catalog.schemas import (
    KpiIn,
    KpiOut,
    KpiQuery,
    KpisOut,
    SolutionIn,
    SolutionOut,
    SolutionQuery,
    SolutionsOut,
)
from webapp.core.fields import load
from webapp.core.ratelimit import write_limit
from webapp.core.web import current_viewer
from webapp.permissions import require

bp = Blueprint("catalog_api", __name__, url_prefix="/api/v1")


def _solution(solution) -> dict:
    return SolutionOut(current_viewer()).dump(solution)


def _kpi(kpi) -> dict:
    return KpiOut(current_viewer()).dump(kpi)


@bp.get("/solutions")
def list_solutions():
    query = load(SolutionQuery(), request.args.to_dict())
    found = catalog.list_solutions(domain=query["domain"], include_retired=query["include_retired"])
    return jsonify(SolutionsOut(current_viewer()).dump(found))


@bp.get("/solutions/<code>")
def show_solution(code: str):
    return jsonify(_solution(catalog.get_solution(code)))


@bp.get("/kpis")
def list_kpis():
    query = load(KpiQuery(), request.args.to_dict())
    found = catalog.list_kpis(theme=query["theme"], include_retired=query["include_retired"])
    return jsonify(KpisOut(current_viewer()).dump(found))


@bp.get("/kpis/<code>")
def show_kpi(code: str):
    return jsonify(_kpi(catalog.get_kpi(code)))


def _body(code: str | None = None) -> dict | None:
    # Who may write is settled before the body is looked at: a stranger learns nothing from 422s.
    require(current_user, "catalog.manage")
    body = request.get_json(silent=True)
    if isinstance(body, dict) and code is not None:
        body = {**body, "code": code}  # the URL names the entry; its code is not edited
    return body


@bp.post("/solutions")
@write_limit
def create_solution():
    data = load(SolutionIn(known_kpis=catalog.kpi_codes()), _body())
    return jsonify(_solution(catalog.create_solution(current_user, data))), 201


@bp.put("/solutions/<code>")
@write_limit
def update_solution(code: str):
    data = load(SolutionIn(known_kpis=catalog.kpi_codes()), _body(code))
    return jsonify(_solution(catalog.update_solution(current_user, code, data)))


@bp.post("/kpis")
@write_limit
def create_kpi():
    data = load(KpiIn(), _body())
    return jsonify(_kpi(catalog.create_kpi(current_user, data))), 201


@bp.put("/kpis/<code>")
@write_limit
def update_kpi(code: str):
    data = load(KpiIn(), _body(code))
    return jsonify(_kpi(catalog.update_kpi(current_user, code, data)))


@bp.post("/solutions/<code>/retire")
@write_limit
def retire_solution(code: str):
    return jsonify(_solution(catalog.retire_solution(current_user, code)))


@bp.post("/solutions/<code>/unretire")
@write_limit
def unretire_solution(code: str):
    return jsonify(_solution(catalog.unretire_solution(current_user, code)))


@bp.post("/kpis/<code>/retire")
@write_limit
def retire_kpi(code: str):
    return jsonify(_kpi(catalog.retire_kpi(current_user, code)))


@bp.post("/kpis/<code>/unretire")
@write_limit
def unretire_kpi(code: str):
    return jsonify(_kpi(catalog.unretire_kpi(current_user, code)))


@bp.delete("/solutions/<code>")
@write_limit
def delete_solution(code: str):
    catalog.delete_solution(current_user, code)
    return "", 204


@bp.delete("/kpis/<code>")
@write_limit
def delete_kpi(code: str):
    catalog.delete_kpi(current_user, code)
    return "", 204
