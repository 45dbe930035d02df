"""The editor's item forms as plain strings: from a stored item, from a posted form, or blank."""
import json

from flask_babel import gettext
from geoalchemy2.shape import to_shape
from shapely.geometry import mapping

from webapp.core import money
from webapp.core.fields import as_id, ascii_digits
from webapp.plans.schemas.input import ROW_FIELDS

BLANK_ROWS = {"budget_lines": 3, "kpi_targets": 1, "milestones": 2}


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "normalize"):  # Decimal: plain notation, no exponent
        return format(value.normalize(), "f")
    return str(value)


def _pad(rows: list[dict], group: str) -> list[dict]:
    return rows + [{n: "" for n in ROW_FIELDS[group]} for _ in range(BLANK_ROWS[group])]


def blank_item() -> dict:
    """An empty item form."""
    data = {"id": None, "title": "", "description": "", "solution": "", "reports": set(), "proposals": set(),
            "sites": ""}
    for group in ROW_FIELDS:
        data[group] = _pad([], group)
    return data


def item_form(item) -> dict:
    """A stored item as form values (amounts with thousands separators)."""
    features = [{"type": "Feature", "properties": {"name": s.name}, "geometry": mapping(to_shape(s.geom))}
                for s in item.sites]
    return {
        "id": item.id, "title": item.title, "description": item.description,
        "solution": _text(item.solution_id), "reports": {r.id for r in item.reports},
        "proposals": {p.id for p in item.proposals},
        "sites": json.dumps({"type": "FeatureCollection", "features": features}) if features else "",
        "budget_lines": _pad([{"source": b.source, "amount": money.grouped(b.amount), "year": _text(b.year),
                               "description": b.description} for b in item.budget_lines], "budget_lines"),
        "kpi_targets": _pad([{n: _text(getattr(t, n if n != "kpi" else "kpi_id")) for n in ROW_FIELDS["kpi_targets"]}
                             for t in item.kpi_targets], "kpi_targets"),
        "milestones": _pad([{"title": m.title, "due_on": _text(m.due_on)} for m in item.milestones], "milestones"),
    }


def posted_item(form, item_id) -> dict:
    """What the user typed into an item form, to show it again next to the error messages."""
    data = {"id": item_id, "title": form.get("title", ""), "description": form.get("description", ""),
            "solution": form.get("solution", ""), "sites": form.get("sites", ""),
            "reports": {n for n in map(as_id, form.getlist("reports")) if n is not None},
            "proposals": {n for n in map(as_id, form.getlist("proposals")) if n is not None}}
    for group, names in ROW_FIELDS.items():
        rows, index = [], 0
        while any(f"{group}-{index}-{n}" in form for n in names):
            rows.append({n: form.get(f"{group}-{index}-{n}", "") for n in names})
            index += 1
        data[group] = rows
    return data


def row_errors(value) -> list[str]:
    """Nested row errors ({0: {"amount": [...]}}) as readable lines: "Row 1: ..."."""
    if isinstance(value, dict):
        lines = []
        for index, fields in sorted(value.items(), key=lambda kv: str(kv[0])):
            messages = [str(m) for msgs in (fields.values() if isinstance(fields, dict) else [fields]) for m in msgs]
            label = gettext("Row %(n)d", n=int(index) + 1) if ascii_digits(str(index)) else str(index)
            lines.append(f"{label}: {' '.join(messages)}")
        return lines
    return [str(m) for m in value]
