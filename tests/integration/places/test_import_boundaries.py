"""`flask geo import-boundaries` against the real database (SpatiaLite or PostGIS)."""
import json
import re
from pathlib import Path

import pytest
import shapefile
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon, box, shape
from sqlalchemy import text

from geo.boundaries import BoundaryError
from webapp.extensions import db

SHARED = Path(__file__).resolve().parents[3].parent / "shared/data/kr-municipalities-2018.geojson"
TO_5179 = Transformer.from_crs(4326, 5179, always_xy=True)

JONGNO = [(126.96, 37.60), (127.00, 37.60), (127.00, 37.57), (126.96, 37.57), (126.96, 37.60)]  # clockwise
COURTYARD = [(126.97, 37.58), (126.99, 37.58), (126.99, 37.59), (126.97, 37.59), (126.97, 37.58)]  # ccw
HAEUNDAE = [(129.10, 35.20), (129.20, 35.20), (129.20, 35.15), (129.10, 35.15), (129.10, 35.20)]
HAEUNDAE_ISLAND = [(129.25, 35.10), (129.26, 35.10), (129.26, 35.09), (129.25, 35.09), (129.25, 35.10)]


def run(app, *args):
    """Invoke the import command; the result carries exit_code and output."""
    return app.test_cli_runner().invoke(args=["geo", "import-boundaries", *map(str, args)])


def snapshot() -> dict:
    """Every municipality row as committed in the database, geometry as shapely."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, code, name, name_en, province, ST_AsBinary(geom) FROM municipalities")
        ).all()
    return {row[1]: (row[0], row[2], row[3], row[4], shapely.from_wkb(bytes(row[5]))) for row in rows}


def assert_same(before: dict, after: dict) -> None:
    assert after.keys() == before.keys()
    for code, (*attributes, geometry) in before.items():
        assert after[code][:-1] == tuple(attributes)
        assert after[code][-1].equals_exact(geometry, tolerance=1e-12)


def _feature(code, name, rings, name_eng="", kind="Polygon"):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "name_eng": name_eng},
        "geometry": {"type": kind, "coordinates": rings},
    }


def _geojson(path: Path, features) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return path


def _shapefile(directory: Path, rows, prj=True) -> Path:
    """A Shapefile in EPSG:5179 with CP949 attributes, from (code, name, name_en, province, WGS84 parts)."""
    base = directory / "sig"
    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding="cp949") as writer:
        for name, size in (("SIG_CD", 10), ("SIG_KOR_NM", 40), ("SIG_ENG_NM", 40), ("CTP_KOR_NM", 40)):
            writer.field(name, "C", size)
        for code, name, name_en, province, rings in rows:
            writer.poly([[TO_5179.transform(x, y) for x, y in ring] for ring in rings])
            writer.record(code, name, name_en, province)
    if prj:
        (directory / "sig.prj").write_text(CRS.from_epsg(5179).to_wkt(version="WKT1_ESRI"))
    return directory / "sig.shp"


SHP_FIELDS = ("--code-field", "SIG_CD", "--name-field", "SIG_KOR_NM", "--name-en-field", "SIG_ENG_NM",
              "--province-field", "CTP_KOR_NM")


def metres_apart(a, b) -> float:
    """Hausdorff distance in metres, measured in EPSG:5179."""
    return shapely.hausdorff_distance(shapely.transform(a, TO_5179.transform, interleaved=False),
                                      shapely.transform(b, TO_5179.transform, interleaved=False))


def test_shared_file_imports_250_valid_municipalities(app):
    result = run(app, SHARED)
    assert result.exit_code == 0, result.output
    assert "250 features: 250 inserted, 0 updated, 49 repaired, 0 skipped." in result.output

    with app.app_context():
        with db.engine.connect() as conn:
            valid = conn.execute(text("SELECT code, ST_IsValid(geom) FROM municipalities")).all()
            distinct = conn.execute(text("SELECT COUNT(DISTINCT code) FROM municipalities")).scalar()
            provinces = conn.execute(text("SELECT DISTINCT province FROM municipalities")).scalars().all()
        stored = snapshot()
    assert len(valid) == 250 and distinct == 250
    assert [code for code, ok in valid if ok != 1] == []
    assert provinces == [""]

    originals = {f["properties"]["code"]: f for f in json.loads(SHARED.read_text())["features"]}
    repaired = re.findall(r"^  (\d{5}): ", result.output, flags=re.M)
    assert len(repaired) == 49
    for code, (_id, name, name_en, _province, geometry) in stored.items():
        original = shape(originals[code]["geometry"])
        assert isinstance(geometry, MultiPolygon) and geometry.is_valid and not geometry.is_empty
        properties = originals[code]["properties"]
        assert (name, name_en) == (properties["name"], properties["name_eng"])
        assert original.is_valid == (code not in repaired), code
        assert geometry.area == pytest.approx(abs(original.area), rel=0.05), code


def test_reimport_updates_in_place(app, tmp_path):
    assert run(app, SHARED).exit_code == 0
    with app.app_context():
        before = snapshot()
    new_shape = box(129.0, 35.0, 129.1, 35.1)
    data = json.loads(SHARED.read_text())
    for feature in data["features"]:
        if feature["properties"]["code"] == "26010":  # 부산 중구
            feature["properties"]["name"] = "중구(개명)"
        if feature["properties"]["code"] == "26030":
            feature["geometry"] = {"type": "Polygon", "coordinates": [list(new_shape.exterior.coords)]}
    changed = tmp_path / "changed.geojson"
    changed.write_text(json.dumps(data, ensure_ascii=False))

    result = run(app, changed)
    assert result.exit_code == 0, result.output
    assert "250 features: 0 inserted, 2 updated, 48 repaired, 248 skipped." in result.output
    assert "Skipped (248, unchanged)" in result.output
    with app.app_context():
        after = snapshot()
    assert {code: row[0] for code, row in after.items()} == {code: row[0] for code, row in before.items()}
    assert after["26010"][1] == "중구(개명)"
    assert after["26030"][4].equals(MultiPolygon([new_shape]))
    untouched = {code: row for code, row in before.items() if code not in ("26010", "26030")}
    assert_same(untouched, {code: after[code] for code in untouched})


def test_shapefile_in_epsg5179_with_cp949_attributes(app, tmp_path):
    path = _shapefile(tmp_path, [
        ("11010", "종로구", "Jongno-gu", "서울특별시", [JONGNO, COURTYARD]),
        ("26350", "해운대구", "Haeundae-gu", "부산광역시", [HAEUNDAE, HAEUNDAE_ISLAND]),
    ])
    result = run(app, path, *SHP_FIELDS)
    assert result.exit_code == 0, result.output
    assert "2 features: 2 inserted, 0 updated, 0 repaired, 0 skipped." in result.output

    with app.app_context():
        stored = snapshot()
    assert {code: row[1:4] for code, row in stored.items()} == {
        "11010": ("종로구", "Jongno-gu", "서울특별시"),
        "26350": ("해운대구", "Haeundae-gu", "부산광역시"),
    }
    jongno, haeundae = stored["11010"][4], stored["26350"][4]
    assert jongno.is_valid and len(jongno.geoms) == 1 and len(jongno.geoms[0].interiors) == 1
    assert metres_apart(jongno, MultiPolygon([Polygon(JONGNO, [COURTYARD])])) < 1.0
    assert len(haeundae.geoms) == 2
    assert metres_apart(haeundae, MultiPolygon([Polygon(HAEUNDAE), Polygon(HAEUNDAE_ISLAND)])) < 1.0


@pytest.fixture
def existing(app, tmp_path):
    """Two municipalities already imported; returns the committed state."""
    path = _geojson(tmp_path / "seed.geojson", [
        _feature("11010", "종로구", [JONGNO], "Jongno-gu"),
        _feature("26350", "해운대구", [HAEUNDAE], "Haeundae-gu"),
    ])
    assert run(app, path).exit_code == 0
    with app.app_context():
        return snapshot()


RENAMED = _feature("11010", "종로구(개명)", [JONGNO])  # a valid change placed before each bad feature
NEW = _feature("11020", "중구", [COURTYARD])
ESRI_5179 = CRS.from_epsg(5179).to_wkt(version="WKT1_ESRI")


def _bad_file(case: str, tmp: Path) -> tuple[tuple, str]:
    """A file that must be refused, as (command arguments, text the error must contain)."""
    if case == "missing field":
        return (_geojson(tmp / "a.geojson", [RENAMED]), "--province-field", "sido"), "field 'sido' not found"
    if case == "unreadable geojson":
        (tmp / "bad.geojson").write_text("<html>this is not GeoJSON</html>")
        return (tmp / "bad.geojson",), "bad.geojson: not valid JSON"
    if case == "unreadable shapefile":
        (tmp / "bad.shp").write_bytes(b"\x00" * 40)
        (tmp / "bad.prj").write_text(ESRI_5179)
        return (tmp / "bad.shp",), "bad.shp: cannot read the Shapefile"
    if case == "duplicate code":
        features = [RENAMED, NEW, _feature("11020", "남구", [HAEUNDAE])]
        path = _geojson(tmp / "b.geojson", features)
        return (path,), "feature 3: duplicate code '11020' (already used by feature 2)"
    if case == "unrepairable geometry":
        features = [RENAMED, NEW, _feature("11030", "용산구", [[(127.0, 37.5), (127.1, 37.6), (127.0, 37.5)]])]
        path = _geojson(tmp / "c.geojson", features)
        return (path,), "feature 3 (code '11030', name '용산구'): the geometry has no polygon"
    if case == "not a polygon":
        features = [RENAMED, _feature("11030", "용산구", [127, 37], kind="Point")]
        path = _geojson(tmp / "d.geojson", features)
        return (path,), "feature 2 (code '11030', name '용산구'): the geometry is Point"
    if case == "code too long":
        features = [RENAMED, _feature("11030123456", "용산구", [JONGNO])]
        path = _geojson(tmp / "e.geojson", features)
        return (path,), "code '11030123456' is longer than 10 characters"
    if case == "shapefile without prj":
        path = _shapefile(tmp, [("11040", "성동구", "", "", [JONGNO])], prj=False)
        return (path, *SHP_FIELDS), "sig.shp: no .prj file next to it; give the EPSG code with --srid"
    assert case == "unsupported format"
    return (_geojson(tmp / "f.kml", [RENAMED]),), "unsupported format '.kml'"


@pytest.mark.parametrize("case", [
    "missing field", "unreadable geojson", "unreadable shapefile", "duplicate code", "unrepairable geometry",
    "not a polygon", "code too long", "shapefile without prj", "unsupported format",
])
def test_bad_file_is_refused_and_database_unchanged(app, tmp_path, existing, case):
    args, message = _bad_file(case, tmp_path)
    result = run(app, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert_same(existing, snapshot())


def test_failure_during_write_rolls_everything_back(app, tmp_path, existing, monkeypatch):
    from webapp.places import boundaries as service

    def broken_update(municipality, record):
        db.session.flush()  # the new row is really in the transaction now
        raise BoundaryError("simulated failure while writing")

    monkeypatch.setattr(service, "_update", broken_update)
    path = _geojson(tmp_path / "g.geojson", [
        _feature("11020", "중구", [COURTYARD]),
        _feature("11010", "종로구(개명)", [JONGNO]),
    ])
    result = run(app, path)
    assert result.exit_code != 0 and "simulated failure" in result.output
    with app.app_context():
        assert_same(existing, snapshot())
