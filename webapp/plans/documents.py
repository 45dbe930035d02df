"""Documents of a plan snapshot: budget and KPI-target tables as CSV, sites and linked reports as GeoJSON."""
import csv
import io

from webapp.core.output import feature_collection

BUDGET_COLUMNS = ("item_id", "item_title", "solution_code", "source", "year", "amount_krw", "description")
KPI_COLUMNS = (
    "item_id", "item_title", "kpi_code", "kpi_name", "kpi_name_en", "unit", "unit_en", "direction",
    "baseline_value", "baseline_on", "target_value", "target_on", "method",
)
# Excel reads a CSV file as the local code page unless it starts with a byte order mark.
BOM = "\ufeff"


def _csv(header, rows) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _code(item: dict) -> str:
    return item["solution"]["code"] if item.get("solution") else ""


def budget_csv(snap: dict) -> str:
    """One row per budget line; amounts as plain whole KRW."""
    rows = [
        (item["id"], item["title"], _code(item), line["source"], line["year"], int(line["amount"]),
         line.get("description", ""))
        for item in snap["items"] for line in item["budget"]
    ]
    return _csv(BUDGET_COLUMNS, rows)


def _blank(value) -> str:
    return "" if value is None else value


def kpi_csv(snap: dict) -> str:
    """One row per KPI target; values exactly as stored (decimal strings), dates ISO."""
    rows = [
        (item["id"], item["title"], t["kpi"]["code"], t["kpi"]["name"], t["kpi"]["name_en"], t["kpi"]["unit"],
         t["kpi"]["unit_en"], t["kpi"]["direction"], _blank(t["baseline_value"]), _blank(t["baseline_on"]),
         _blank(t["target_value"]), _blank(t["target_on"]), t.get("method", ""))
        for item in snap["items"] for t in item["kpi_targets"]
    ]
    return _csv(KPI_COLUMNS, rows)


def geojson(snap: dict) -> dict:
    """Every item's sites (kind "site") and the residents' reports it answers (kind "report") as one collection.

    Like the CSV tables, a document made from the snapshot (its own format), not a serialisation of models.
    """
    features, seen = [], set()
    for item in snap["items"]:
        for site in item["sites"]:
            features.append({
                "type": "Feature", "geometry": site["geometry"],
                "properties": {"kind": "site", "item": item["id"], "item_title": item["title"],
                               "name": site.get("name", "")},
            })
        for report in item["reports"]:
            key = (item["id"], report["id"])
            if key in seen:
                continue
            seen.add(key)
            features.append({
                "type": "Feature", "geometry": {"type": "Point", "coordinates": [report["lon"], report["lat"]]},
                "properties": {"kind": "report", "item": item["id"], "report": report["id"],
                               "title": report["title"], "status": report["status"], "votes": report["votes"]},
            })
    return feature_collection(features)
