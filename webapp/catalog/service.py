"""The solution catalogue and KPI library: finding, editing, retiring, deleting and seeding entries."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from webapp.core import audit
from webapp.core.db import first_or_404
from webapp.errors import Conflict, ValidationFailed
from webapp.extensions import db
from webapp.models import Kpi, Solution, solution_kpis
from webapp.permissions import require

# Editable columns; `code` is the entry's identity and never changes after creation.
KPI_FIELDS = ("name", "name_en", "unit", "unit_en", "direction", "theme")
SOLUTION_FIELDS = (
    "name", "name_en", "domain", "description", "description_en",
    "cost_min", "cost_max", "results", "results_en",
)


def list_solutions(domain: str | None = None, include_retired: bool = False) -> list[Solution]:
    """Solutions by domain and code, optionally of one domain, active only unless asked."""
    stmt = select(Solution).order_by(Solution.domain, Solution.code)
    if domain:
        stmt = stmt.where(Solution.domain == domain)
    if not include_retired:
        stmt = stmt.where(Solution.retired.is_(False))
    return list(db.session.scalars(stmt))


def list_kpis(theme: str | None = None, include_retired: bool = False) -> list[Kpi]:
    """KPIs by theme and code, optionally of one theme, active only unless asked."""
    stmt = select(Kpi).order_by(Kpi.theme, Kpi.code)
    if theme:
        stmt = stmt.where(Kpi.theme == theme)
    if not include_retired:
        stmt = stmt.where(Kpi.retired.is_(False))
    return list(db.session.scalars(stmt))


def get_solution(code: str) -> Solution:
    """The solution with this code, or NotFound."""
    return first_or_404(select(Solution).where(Solution.code == code))


def active_solution(solution_id) -> Solution | None:
    """The catalogue solution an item or proposal names (None for none); retired or unknown ones are refused."""
    if solution_id is None:
        return None
    solution = db.session.get(Solution, solution_id)
    if solution is None or solution.retired:
        raise ValidationFailed(fields={"solution": [_l("Choose an active catalogue solution.")]})
    return solution


def get_kpi(code: str) -> Kpi:
    """The KPI with this code, or NotFound."""
    return first_or_404(select(Kpi).where(Kpi.code == code))


def kpi_codes() -> set[str]:
    """Codes of every KPI, retired ones included."""
    return set(db.session.scalars(select(Kpi.code)))


def kpis_by_code(codes: list[str]) -> list[Kpi]:
    """The KPIs with these codes; an unknown code is a validation error on `kpis`."""
    found = {k.code: k for k in db.session.scalars(select(Kpi).where(Kpi.code.in_(codes)))} if codes else {}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationFailed(fields={"kpis": [_l("Unknown KPI: %(codes)s.", codes=", ".join(unknown))]})
    return [found[c] for c in codes]


def apply_kpi(kpi: Kpi, data: dict) -> None:
    """Copy validated fields onto a KPI (no commit)."""
    for name in KPI_FIELDS:
        setattr(kpi, name, data[name])
    kpi.standards = ";".join(data["standards"])
    kpi.touch()


def apply_solution(solution: Solution, data: dict, kpis: list[Kpi]) -> None:
    """Copy validated fields and KPI links onto a solution (no commit)."""
    for name in SOLUTION_FIELDS:
        setattr(solution, name, data.get(name))
    solution.kpis = list(kpis)
    solution.touch()


def _code_free(model, code: str) -> None:
    if db.session.scalars(select(model.id).where(model.code == code)).first() is not None:
        raise ValidationFailed(fields={"code": [_l("This code is already used.")]})


def create_kpi(user, data: dict) -> Kpi:
    """Add a KPI to the library (admins)."""
    require(user, "catalog.manage")
    _code_free(Kpi, data["code"])
    kpi = Kpi(code=data["code"], retired=False)
    apply_kpi(kpi, data)
    db.session.add(kpi)
    db.session.flush()
    audit.record(user, "kpi.create", kpi, code=kpi.code)
    db.session.commit()
    return kpi


def update_kpi(user, code: str, data: dict) -> Kpi:
    """Change a KPI's names, unit, direction, theme and standards (admins)."""
    require(user, "catalog.manage")
    kpi = get_kpi(code)
    apply_kpi(kpi, data)
    audit.record(user, "kpi.update", kpi, code=kpi.code)
    db.session.commit()
    return kpi


def create_solution(user, data: dict) -> Solution:
    """Add a solution to the catalogue with its KPI links (admins)."""
    require(user, "catalog.manage")
    _code_free(Solution, data["code"])
    solution = Solution(code=data["code"], retired=False)
    apply_solution(solution, data, kpis_by_code(data.get("kpis", [])))
    db.session.add(solution)
    db.session.flush()
    audit.record(user, "solution.create", solution, code=solution.code)
    db.session.commit()
    return solution


def update_solution(user, code: str, data: dict) -> Solution:
    """Change a solution's texts, costs, domain and KPI links (admins)."""
    require(user, "catalog.manage")
    solution = get_solution(code)
    apply_solution(solution, data, kpis_by_code(data.get("kpis", [])))
    audit.record(user, "solution.update", solution, code=solution.code)
    db.session.commit()
    return solution


def _set_retired(user, entry, retired: bool):
    require(user, "catalog.manage")
    if entry.retired != retired:
        entry.retired = retired
        entry.touch()
        action = "retire" if retired else "unretire"
        audit.record(user, f"{type(entry).__name__.lower()}.{action}", entry, code=entry.code)
    db.session.commit()
    return entry


def retire_solution(user, code: str) -> Solution:
    """Take a solution out of the choices offered; it stays for whatever refers to it."""
    return _set_retired(user, get_solution(code), True)


def unretire_solution(user, code: str) -> Solution:
    """Offer a retired solution again."""
    return _set_retired(user, get_solution(code), False)


def retire_kpi(user, code: str) -> Kpi:
    """Take a KPI out of the choices offered; it stays for the plans that use it."""
    return _set_retired(user, get_kpi(code), True)


def unretire_kpi(user, code: str) -> Kpi:
    """Offer a retired KPI again."""
    return _set_retired(user, get_kpi(code), False)


def references(entry) -> int:
    """How many rows elsewhere point at this entry (links in solution_kpis do not count).

    Found through the foreign keys in the metadata, so tables added later (plans, KPI
    targets, ...) protect the entries they use without any change here.
    """
    target = type(entry).__table__
    total = 0
    for table in db.metadata.sorted_tables:
        if table is solution_kpis:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is target:
                total += db.session.scalar(
                    select(func.count()).select_from(table).where(fk.parent == getattr(entry, fk.column.key))
                )
    return total


def _delete(user, entry) -> None:
    require(user, "catalog.manage")
    if references(entry):
        raise Conflict(_l("This entry is in use and cannot be deleted; retire it instead."))
    audit.record(user, f"{type(entry).__name__.lower()}.delete", entry, code=entry.code)
    if isinstance(entry, Solution):
        entry.kpis = []  # the ORM removes the solution's own link rows
    else:
        # Kpi has no relationship back to solutions, and SQLite does not enforce ON DELETE CASCADE.
        db.session.execute(solution_kpis.delete().where(solution_kpis.c.kpi_id == entry.id))
    db.session.delete(entry)
    db.session.commit()


def delete_solution(user, code: str) -> None:
    """Delete a solution nothing refers to; otherwise Conflict (retire it instead)."""
    _delete(user, get_solution(code))


def delete_kpi(user, code: str) -> None:
    """Delete a KPI nothing refers to; otherwise Conflict (retire it instead)."""
    _delete(user, get_kpi(code))
