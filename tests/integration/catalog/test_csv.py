"""Catalogue CSV: the seed fixture, export/import round trips, and bad rows reported by line with nothing changed."""
import csv
import io

import pytest
from sqlalchemy import func, select

from webapp.catalog import csv_io as catalog_csv, service as catalog
from webapp.extensions import db
from webapp.models import DOMAINS, STANDARDS, THEMES, Kpi, Solution, solution_kpis

SEED = catalog_csv.SEED_DIR


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _export(kind: str) -> str:
    """What `flask catalog export --kind KIND -` writes."""
    out = io.StringIO()
    catalog_csv.export_csv(kind, out)
    return out.getvalue()


def _snapshot() -> tuple[str, str]:
    return _export("kpis"), _export("solutions")


def _seed_text(kind: str) -> str:
    return (SEED / f"{kind}.csv").read_text(encoding="utf-8")


@pytest.fixture
def seeded(ctx):
    catalog_csv.ensure_catalog()


def test_seed_loads_the_whole_catalogue_with_kpis_for_every_solution(seeded):
    assert _count(Solution) >= 25 and _count(Kpi) >= 35
    # Every reference entry is covered.
    assert _count(Solution) == 28 and _count(Kpi) == 40
    for solution in db.session.scalars(select(Solution)):
        assert solution.kpis, solution.code
        assert solution.domain in DOMAINS
        assert solution.name and solution.name_en and solution.description and solution.description_en
        # The Korean text is Korean, not the English copied over.
        assert solution.description != solution.description_en
        assert any("\uac00" <= ch <= "\ud7a3" for ch in solution.description), solution.code
    for kpi in db.session.scalars(select(Kpi)):
        assert kpi.theme in THEMES and kpi.direction in ("higher", "lower")
        assert kpi.standard_list() and set(kpi.standard_list()) <= set(STANDARDS)
    crosswalk = catalog.get_solution("SMART_CROSSWALK")
    assert crosswalk.domain == "transport_safety"
    assert [k.code for k in crosswalk.kpis] == ["PEDESTRIAN_CASUALTIES", "STOPLINE_VIOLATIONS"]
    assert "19" in crosswalk.results and "9" in crosswalk.results_en
    assert catalog.get_kpi("TRAFFIC_FATALITIES").standard_list() == ["ISO 37120", "U4SSC"]
    assert catalog.get_kpi("TRAFFIC_FATALITIES").direction == "lower"


def test_seed_fixture_is_exactly_what_export_writes(seeded):
    assert _export("kpis") == _seed_text("kpis")
    assert _export("solutions") == _seed_text("solutions")


def test_seed_twice_adds_nothing_and_keeps_an_admins_edit(ctx, admin):
    assert catalog_csv.ensure_catalog() == 68
    data = catalog_csv.parse("solutions", _seed_text("solutions"))
    crosswalk = next(d for _line, d in data if d["code"] == "SMART_CROSSWALK")
    catalog.update_solution(admin, "SMART_CROSSWALK",
                            {**crosswalk, "name": "관리자가 고친 이름", "kpis": ["TRAFFIC_FATALITIES"]})
    catalog.retire_kpi(admin, "NOISE_EXPOSURE")
    before = _snapshot()
    assert catalog_csv.ensure_catalog() == 0
    assert _snapshot() == before
    edited = catalog.get_solution("SMART_CROSSWALK")
    assert edited.name == "관리자가 고친 이름" and [k.code for k in edited.kpis] == ["TRAFFIC_FATALITIES"]
    assert catalog.get_kpi("NOISE_EXPOSURE").retired is True


def test_seed_adds_back_only_missing_entries(ctx, admin):
    catalog_csv.ensure_catalog()
    catalog.delete_solution(admin, "DIGITAL_TWIN")
    assert catalog_csv.ensure_catalog() == 1
    assert [k.code for k in catalog.get_solution("DIGITAL_TWIN").kpis] == ["ONLINE_SERVICES"]


def test_cli_seed_reports_what_it_added(app, ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["catalog", "seed"])
    assert first.exit_code == 0, first.output
    assert "68" in first.output
    assert "added: 0" in runner.invoke(args=["catalog", "seed"]).output


def test_round_trip_into_an_empty_database_gives_the_same_csv(app, ctx, admin, tmp_path):
    catalog_csv.ensure_catalog()
    # Some admin changes, so the round trip covers more than the fixture: costs, retired, new links.
    data = dict(catalog_csv.parse("solutions", _seed_text("solutions"))[0][1])
    catalog.update_solution(admin, data["code"], {**data, "cost_min": 100_000_000, "cost_max": 300_000_000,
                                                  "results": "쉼표, \"따옴표\"와\n줄바꿈"})
    catalog.retire_solution(admin, "TOURISM_KIOSK")
    catalog.retire_kpi(admin, "BUILDING_ENERGY")
    runner = app.test_cli_runner()
    for kind in ("kpis", "solutions"):
        result = runner.invoke(args=["catalog", "export", "--kind", kind, str(tmp_path / f"{kind}.csv")])
        assert result.exit_code == 0, result.output
    first = {kind: (tmp_path / f"{kind}.csv").read_text(encoding="utf-8") for kind in ("kpis", "solutions")}

    db.session.execute(solution_kpis.delete())
    db.session.query(Solution).delete()
    db.session.query(Kpi).delete()
    db.session.commit()
    assert _count(Solution) == 0 and _count(Kpi) == 0

    for kind in ("kpis", "solutions"):
        result = runner.invoke(args=["catalog", "import", "--kind", kind, str(tmp_path / f"{kind}.csv")])
        assert result.exit_code == 0, result.output
        assert "added" in result.output
    db.session.expire_all()
    for kind in ("kpis", "solutions"):
        out = runner.invoke(args=["catalog", "export", "--kind", kind, "-"])
        assert out.exit_code == 0
        assert out.stdout == first[kind]
    assert catalog.get_solution("TOURISM_KIOSK").retired is True
    assert catalog.get_solution(data["code"]).cost_max == 300_000_000


def test_import_updates_by_code_including_links(ctx):
    catalog_csv.ensure_catalog()
    text = _export("solutions")
    rows = list(csv.DictReader(io.StringIO(text)))
    target = next(r for r in rows if r["code"] == "DRT")
    target["name_en"] = "Demand-responsive bus"
    target["kpis"] = "DRT_WAIT_TIME;RESIDENT_SATISFACTION"
    rows.append({**target, "code": "NEW_SOLUTION", "name": "새 솔루션", "kpis": "RECYCLING_RATE"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=catalog_csv.COLUMNS["solutions"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    counts = catalog_csv.import_csv("solutions", out.getvalue())
    assert counts["added"] == 1 and counts["updated"] == 28
    db.session.expire_all()
    drt = catalog.get_solution("DRT")
    assert drt.name_en == "Demand-responsive bus"
    assert [k.code for k in drt.kpis] == ["DRT_WAIT_TIME", "RESIDENT_SATISFACTION"]
    assert [k.code for k in catalog.get_solution("NEW_SOLUTION").kpis] == ["RECYCLING_RATE"]


BAD_SOLUTIONS = (
    "code,name,name_en,domain,description,description_en,cost_min,cost_max,kpis,results,results_en,retired\n"
    "GOOD_ONE,좋은 것,Good one,transport,설명,Description,,,TRAFFIC_FATALITIES,,,false\n"        # line 2: fine
    "bad code,이름,Name,transport,설명,Description,,,TRAFFIC_FATALITIES,,,false\n"               # line 3: code
    "NO_NAME,,Name,transport,설명,Description,,,TRAFFIC_FATALITIES,,,false\n"                    # line 4: name
    "BAD_DOMAIN,이름,Name,space,\"여러 줄\n설명\",Description,,,TRAFFIC_FATALITIES,,,false\n"   # line 5-6: domain
    "BAD_COST,이름,Name,energy,설명,Description,300,100,TRAFFIC_FATALITIES,,,false\n"            # line 7: cost order
    "NEG_COST,이름,Name,energy,설명,Description,-5,x,NO_SUCH_KPI,,,false\n"                     # line 8: three
    "GOOD_ONE,같은 코드,Same code,energy,설명,Description,,,,,,false\n"                          # line 9: repeat
)


def test_bad_rows_are_reported_by_line_and_nothing_changes(ctx):
    catalog_csv.ensure_catalog()
    before = _snapshot()
    with pytest.raises(catalog_csv.ImportFailed) as caught:
        catalog_csv.import_csv("solutions", BAD_SOLUTIONS)
    found = {(line, field) for line, field, _message in caught.value.errors}
    assert found == {
        (3, "code"), (4, "name"), (5, "domain"), (7, "cost_max"),
        (8, "cost_min"), (8, "cost_max"), (8, "kpis"), (9, "code"),
    }
    assert all(line != 2 for line, _f, _m in caught.value.errors)
    assert _snapshot() == before
    assert db.session.scalars(select(Solution).where(Solution.code == "GOOD_ONE")).first() is None


def test_cli_import_prints_bad_rows_and_exits_non_zero(app, ctx, tmp_path):
    catalog_csv.ensure_catalog()
    before = _snapshot()
    path = tmp_path / "bad.csv"
    path.write_text(BAD_SOLUTIONS, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalog", "import", "--kind", "solutions", str(path)])
    assert result.exit_code != 0
    assert "line 3: code:" in result.output
    assert "line 8: kpis:" in result.output and "NO_SUCH_KPI" in result.output
    assert "nothing was imported" in result.output
    db.session.expire_all()
    assert _snapshot() == before


def test_bad_kpi_rows_and_bad_header(ctx):
    text = (
        "code,name,name_en,unit,unit_en,direction,theme,standards,retired\n"
        "OK_KPI,좋음,Good,%,%,higher,energy,ISO 37120,false\n"
        "UP_KPI,방향,Direction,%,%,up,energy,ISO 37120,false\n"
        "STD_KPI,표준,Standard,%,%,lower,energy,U4SSC / ISO 37120,false\n"
        "THEME_KPI,주제,Theme,%,%,lower,space,local,maybe\n"
        "SHORT_ROW,짧음\n"
    )
    with pytest.raises(catalog_csv.ImportFailed) as caught:
        catalog_csv.import_csv("kpis", text)
    found = {(line, field) for line, field, _m in caught.value.errors}
    assert found == {(3, "direction"), (4, "standards"), (5, "theme"), (5, "retired"), (6, "row")}
    assert _count(Kpi) == 0
    with pytest.raises(catalog_csv.ImportFailed) as caught:
        catalog_csv.import_csv("kpis", "code,name,colour\nX,y,z\n")
    assert {(line, field) for line, field, _m in caught.value.errors} >= {(1, "name_en"), (1, "colour")}
    with pytest.raises(catalog_csv.ImportFailed):
        catalog_csv.import_csv("kpis", "")


def test_import_accepts_a_byte_order_mark(ctx, tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_bytes(_seed_text("kpis").encode("utf-8-sig"))
    catalog_csv.import_csv("kpis", catalog_csv.read_text(path))
    assert _count(Kpi) == 40
    path.write_bytes("code,name\n\xff".encode("latin-1"))
    with pytest.raises(catalog_csv.ImportFailed):
        catalog_csv.read_text(path)
