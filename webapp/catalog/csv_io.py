"""CSV export and import of the catalogue and the KPI library; the project's seed uses the same importer."""
import csv
import io
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.catalog import service as catalog
from webapp.catalog.schemas import KpiIn, SolutionIn
from webapp.core.fields import load
from webapp.errors import ValidationFailed
from webapp.extensions import db
from webapp.models import Kpi, Solution

KINDS = ("solutions", "kpis")
COLUMNS = {
    "kpis": ("code", "name", "name_en", "unit", "unit_en", "direction", "theme", "standards", "retired"),
    "solutions": (
        "code", "name", "name_en", "domain", "description", "description_en",
        "cost_min", "cost_max", "kpis", "results", "results_en", "retired",
    ),
}
SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"


class ImportFailed(ValidationFailed):
    """Some rows are bad; `errors` lists them as (line number, field, message) and nothing was changed."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        super().__init__(_l("Some rows are not valid; nothing was imported."))
        self.errors = errors


def _kpi_row(kpi: Kpi) -> list[str]:
    return [kpi.code, kpi.name, kpi.name_en, kpi.unit, kpi.unit_en, kpi.direction, kpi.theme,
            ";".join(kpi.standard_list()), _flag(kpi.retired)]


def _solution_row(s: Solution) -> list[str]:
    return [s.code, s.name, s.name_en, s.domain, s.description, s.description_en,
            _amount(s.cost_min), _amount(s.cost_max), ";".join(k.code for k in s.kpis),
            s.results, s.results_en, _flag(s.retired)]


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _amount(value: int | None) -> str:
    return "" if value is None else str(value)


def export_csv(kind: str, out) -> int:
    """Write every entry of `kind` (retired ones too) as CSV to the text stream `out`, by code; returns the count."""
    model, row = (Kpi, _kpi_row) if kind == "kpis" else (Solution, _solution_row)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS[kind])
    count = 0
    # Sorted here, not in SQL: database collations order "_" differently, and the file must not.
    for entry in sorted(db.session.scalars(select(model)), key=lambda e: e.code):
        writer.writerow(row(entry))
        count += 1
    return count


def _records(text: str, kind: str, errors: list):
    """(line number, row dict) for every non-blank row; header problems go into `errors`."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        errors.append((1, "file", str(_l("The file is empty."))))
        return []
    except csv.Error as err:
        errors.append((1, "file", str(err)))
        return []
    missing = [c for c in COLUMNS[kind] if c not in header]
    unknown = [c for c in header if c not in COLUMNS[kind]]
    for name in missing:
        errors.append((1, name, str(_l("This column is missing."))))
    for name in unknown:
        errors.append((1, name, str(_l("Unknown column."))))
    if missing or unknown:
        return []
    records = []
    while True:
        line = reader.line_num + 1  # a quoted field may span lines: report where the row starts
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            errors.append((line, "file", str(err)))
            break
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append((line, "row", str(_l("Expected %(n)d values, found %(m)d.", n=len(header), m=len(values)))))
            continue
        records.append((line, dict(zip(header, values))))
    return records


def parse(kind: str, text: str) -> list[tuple[int, dict]]:
    """Validate every row of a CSV export of `kind`; raise ImportFailed listing all bad rows."""
    if kind not in KINDS:
        raise ValueError(kind)
    errors: list[tuple[int, str, str]] = []
    records = _records(text, kind, errors)
    schema = KpiIn() if kind == "kpis" else SolutionIn(known_kpis=catalog.kpi_codes())
    rows, first_line = [], {}
    for line, record in records:
        try:
            data = load(schema, record)
        except ValidationFailed as err:
            errors.extend((line, field, str(m)) for field, messages in err.fields.items() for m in _flat(messages))
            continue
        if data["code"] in first_line:
            errors.append((line, "code", str(_l("Code repeated from line %(n)d.", n=first_line[data["code"]]))))
            continue
        first_line[data["code"]] = line
        rows.append((line, data))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e[0]))
    return rows


def _flat(messages):
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return messages if isinstance(messages, list) else [messages]


def _upsert(kind: str, rows: list[tuple[int, dict]], only_missing: bool) -> dict:
    model = Kpi if kind == "kpis" else Solution
    existing = {e.code: e for e in db.session.scalars(select(model))}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for _line, data in rows:
        entry = existing.get(data["code"])
        if entry is not None and only_missing:
            counts["unchanged"] += 1
            continue
        # Look the linked KPIs up before adding the half-filled entry (a query autoflushes).
        kpis = catalog.kpis_by_code(data["kpis"]) if kind == "solutions" else None
        counts["updated" if entry else "added"] += 1
        if entry is None:
            entry = model(code=data["code"])
        if kind == "kpis":
            catalog.apply_kpi(entry, data)
        else:
            catalog.apply_solution(entry, data, kpis)
        entry.retired = data["retired"]
        db.session.add(entry)
    db.session.flush()
    return counts


def import_csv(kind: str, text: str) -> dict:
    """Validate every row, then add or update entries by code (solution KPI links too) in one transaction.

    Nothing changes when any row is bad (ImportFailed). Returns counts of added and updated entries.
    """
    rows = parse(kind, text)
    try:
        counts = _upsert(kind, rows, only_missing=False)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def read_text(path) -> str:
    """A CSV file's text (UTF-8, with or without a byte-order mark)."""
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportFailed([(1, "file", str(_l("The file is not UTF-8 text.")))]) from err


def ensure_catalog(directory: Path = SEED_DIR) -> int:
    """Load the project's catalogue and KPI fixture: adds entries whose code is missing, never changes existing
    ones; returns how many were added."""
    try:
        kpi_rows = parse("kpis", read_text(directory / "kpis.csv"))
        added = _upsert("kpis", kpi_rows, only_missing=True)["added"]
        solution_rows = parse("solutions", read_text(directory / "solutions.csv"))
        added += _upsert("solutions", solution_rows, only_missing=True)["added"]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return added
