"""Call pages. Routes stay thin: schema, service, template."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.calls import service as calls
from webapp.calls.programmes import PROGRAMMES, programme_name
from webapp.calls.schemas import CallIn
from webapp.core.fields import load
from webapp.core.money import limit_text
from webapp.core.ratelimit import write_limit
from webapp.core.time import seoul, utcnow
from webapp.errors import ValidationFailed
from webapp.permissions import require

bp = Blueprint("calls", __name__, url_prefix="/calls")


@bp.get("/")
def index():
    now = utcnow()
    rows = [(c, calls.is_open(c, now), calls.build_period(c)) for c in calls.list_calls()]
    return render_template("calls/index.html", rows=rows, seoul=seoul, programme_name=programme_name)


def _form_of(call) -> dict:
    """A stored call as the form shows it: Seoul times, amounts with separators, share in percent.

    A new call's limits start empty: those left empty take the chosen programme's defaults.
    """
    if call is None:
        return {"programme": calls.DEFAULTS["programme"], "year": utcnow().year}
    values = {name: getattr(call, name) for name in calls.FIELDS}
    values["title_en"] = values["title_en"] or ""
    for name in ("opens_at", "closes_at"):
        values[name] = seoul(values[name]).strftime("%Y-%m-%dT%H:%M")
    for name in ("cap_total", "max_national_amount"):
        values[name] = f"{int(values[name]):,}"
    values["max_national_share_percent"] = limit_text(values.pop("max_national_share_bp"))
    return values


def _save(call):
    require(current_user, "call.manage")
    errors, form = {}, (_form_of(call) if request.method == "GET" else request.form.to_dict())
    if request.method == "POST":
        try:
            data = load(CallIn(), form)
            if call is not None and "title_en" in form and not form["title_en"].strip():
                data["title_en"] = None  # an emptied English title field removes the English title
            saved = calls.create(current_user, data) if call is None else calls.update(current_user, call.id, data)
        except ValidationFailed as err:
            errors = err.fields
        else:
            flash(_("The call was saved."), "success")
            return redirect(url_for("calls.index", _anchor=f"call-{saved.id}"))
    return render_template("calls/form.html", call=call, form=form, errors=errors,
                           programmes=PROGRAMMES.values()), 422 if errors else 200


@bp.route("/new", methods=["GET", "POST"])
@login_required
@write_limit
def new():
    return _save(None)


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@login_required
@write_limit
def edit(call_id: int):
    return _save(calls.get(call_id))
