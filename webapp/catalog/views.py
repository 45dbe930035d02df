"""Catalog pages. Routes stay thin: schema, service, template."""
from collections import Counter
from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.catalog import service as catalog
from webapp.catalog.schemas import KpiIn, KpiQuery, SolutionIn, SolutionQuery
from webapp.core.fields import load
from webapp.core.i18n import current_language
from webapp.core.ratelimit import write_limit
from webapp.errors import Conflict, ValidationFailed
from webapp.models import DIRECTIONS, DOMAINS, STANDARDS, THEMES
from webapp.permissions import can, require

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

KINDS = ("solutions", "kpis")
ACTIONS = {
    ("solutions", "retire"): catalog.retire_solution,
    ("solutions", "unretire"): catalog.unretire_solution,
    ("solutions", "delete"): catalog.delete_solution,
    ("kpis", "retire"): catalog.retire_kpi,
    ("kpis", "unretire"): catalog.unretire_kpi,
    ("kpis", "delete"): catalog.delete_kpi,
}


@bp.get("/")
def index():
    query = load(SolutionQuery(), request.args.to_dict())
    everything = catalog.list_solutions()
    counts = Counter(s.domain for s in everything)
    shown = [s for s in everything if query["domain"] in (None, s.domain)]
    # Group in the vocabulary's order, which keeps related domains next to each other.
    shown.sort(key=lambda s: (DOMAINS.index(s.domain) if s.domain in DOMAINS else len(DOMAINS), s.code))
    groups = [(domain, list(items)) for domain, items in groupby(shown, key=lambda s: s.domain)]
    return render_template(
        "catalog/index.html", groups=groups, domain=query["domain"], domains=DOMAINS, counts=counts,
        total=len(everything),
        can_manage=can(current_user, "catalog.manage"),
    )


@bp.get("/solutions/<code>")
def solution(code: str):
    return render_template(
        "catalog/solution.html", solution=catalog.get_solution(code), can_manage=can(current_user, "catalog.manage")
    )


@bp.get("/kpis")
def kpis():
    query = load(KpiQuery(), request.args.to_dict())
    return render_template(
        "catalog/kpis.html", kpis=catalog.list_kpis(theme=query["theme"]), theme=query["theme"], themes=THEMES,
        can_manage=can(current_user, "catalog.manage"),
    )


# --- administration -------------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return kind


def _form_values(kind: str) -> dict:
    """The submitted form as the schemas take it: lists for the multi-choice fields."""
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    if kind == "solutions":
        values["kpis"] = request.form.getlist("kpis")
    else:
        values["standards"] = request.form.getlist("standards")
    return values


def _entry_values(kind: str, entry) -> dict:
    if entry is None:
        return {"kpis": [], "standards": []}
    names = ("code", "name", "name_en", "unit", "unit_en", "direction", "theme") if kind == "kpis" else (
        "code", "name", "name_en", "domain", "description", "description_en", "cost_min", "cost_max",
        "results", "results_en")
    values = {n: "" if getattr(entry, n) is None else str(getattr(entry, n)) for n in names}
    if kind == "kpis":
        values["standards"] = entry.standard_list()
    else:
        values["kpis"] = [k.code for k in entry.kpis]
    return values


def _kpi_choices(chosen: list[str]):
    """Active KPIs, plus retired ones the entry already links (so saving does not drop them silently)."""
    return [k for k in catalog.list_kpis(include_retired=True) if not k.retired or k.code in chosen]


def _render_form(kind: str, entry, values: dict, errors: dict, status: int = 200):
    template = "catalog/admin/solution_form.html" if kind == "solutions" else "catalog/admin/kpi_form.html"
    return render_template(
        template, kind=kind, entry=entry, form=values, errors=errors,
        domains=DOMAINS, themes=THEMES, directions=DIRECTIONS, standards=STANDARDS,
        kpi_choices=_kpi_choices(values.get("kpis", [])) if kind == "solutions" else [],
    ), status


def _save(kind: str, entry):
    values = _form_values(kind)
    if entry is not None:
        values["code"] = entry.code  # the code is the entry's identity; it is not edited
    try:
        if kind == "solutions":
            data = load(SolutionIn(known_kpis=catalog.kpi_codes()), values)
            saved = (catalog.update_solution(current_user, entry.code, data) if entry
                     else catalog.create_solution(current_user, data))
        else:
            data = load(KpiIn(), values)
            saved = (catalog.update_kpi(current_user, entry.code, data) if entry
                     else catalog.create_kpi(current_user, data))
    except ValidationFailed as err:
        return _render_form(kind, entry, values, err.fields, 422)
    flash(_("Saved: %(name)s", name=saved.display_name(current_language())), "success")
    return redirect(url_for("catalog.admin_list", kind=kind))


def _get(kind: str, code: str):
    return catalog.get_solution(code) if kind == "solutions" else catalog.get_kpi(code)


@bp.get("/admin/<kind>")
@login_required
def admin_list(kind: str):
    require(current_user, "catalog.manage")
    entries = (catalog.list_solutions(include_retired=True) if _kind(kind) == "solutions"
               else catalog.list_kpis(include_retired=True))
    return render_template("catalog/admin/list.html", kind=kind, entries=entries)


@bp.route("/admin/<kind>/new", methods=["GET", "POST"])
@login_required
@write_limit
def admin_new(kind: str):
    require(current_user, "catalog.manage")
    if request.method == "POST":
        return _save(_kind(kind), None)
    return _render_form(_kind(kind), None, _entry_values(kind, None), {})


@bp.route("/admin/<kind>/<code>/edit", methods=["GET", "POST"])
@login_required
@write_limit
def admin_edit(kind: str, code: str):
    require(current_user, "catalog.manage")
    entry = _get(_kind(kind), code)
    if request.method == "POST":
        return _save(kind, entry)
    return _render_form(kind, entry, _entry_values(kind, entry), {})


@bp.post("/admin/<kind>/<code>/<action>")
@login_required
@write_limit
def admin_action(kind: str, code: str, action: str):
    operation = ACTIONS.get((_kind(kind), action))
    if operation is None:
        abort(404)
    try:
        operation(current_user, code)
    except Conflict as err:
        flash(str(err.message), "error")
    else:
        if action == "retire":
            flash(_("Retired: %(code)s", code=code), "success")
        elif action == "unretire":
            flash(_("Offered again: %(code)s", code=code), "success")
        else:
            flash(_("Deleted: %(code)s", code=code), "success")
    return redirect(url_for("catalog.admin_list", kind=kind))
