"""Reading and repairing boundary files (geo.boundaries), without a database."""
import json
from pathlib import Path

import pytest
import shapefile
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon, box, shape

from geo.boundaries import BoundaryError, BoundaryFile, Fields, clean_geometry

SHARED = Path(__file__).resolve().parents[3].parent / "shared/data/kr-municipalities-2018.geojson"

SQUARE = [(127.0, 37.0), (127.1, 37.0), (127.1, 37.1), (127.0, 37.1), (127.0, 37.0)]
BOW_TIE = [(127.0, 37.0), (127.1, 37.1), (127.1, 37.0), (127.0, 37.1), (127.0, 37.0)]


def _feature(code, name, coordinates, kind="Polygon", **props):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "name_eng": f"{name} en", **props},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def _geojson(tmp_path, features, name="b.geojson", encoding="utf-8"):
    path = tmp_path / name
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    path.write_bytes(text.encode(encoding))
    return path


def _shapefile(tmp_path, rows, epsg=5179, encoding="cp949", prj=True, cpg=None):
    """A polygon Shapefile from (code, name, WGS84 rings) rows, coordinates projected to `epsg`."""
    to_target = Transformer.from_crs(4326, epsg, always_xy=True)
    base = tmp_path / "bnd"
    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding=encoding) as writer:
        writer.field("SIG_CD", "C", 10)
        writer.field("SIG_KOR_NM", "C", 40)
        for code, name, rings in rows:
            writer.poly([[to_target.transform(x, y) for x, y in ring] for ring in rings])
            writer.record(code, name)
    if prj:
        (tmp_path / "bnd.prj").write_text(CRS.from_epsg(epsg).to_wkt(version="WKT1_ESRI"))
    if cpg:
        (tmp_path / "bnd.cpg").write_text(cpg)
    return tmp_path / "bnd.shp"


def _clockwise(ring):
    return ring if not shapely.LinearRing(ring).is_ccw else ring[::-1]


# --- repair ---------------------------------------------------------------


def test_valid_polygon_is_kept_as_is():
    geometry, repairs = clean_geometry([[SQUARE]])
    assert repairs == ()
    assert isinstance(geometry, MultiPolygon)
    assert geometry.equals(MultiPolygon([Polygon(SQUARE)]))


def test_bow_tie_becomes_two_valid_triangles():
    assert not Polygon(BOW_TIE).is_valid
    geometry, repairs = clean_geometry([[BOW_TIE]])
    assert geometry.is_valid and isinstance(geometry, MultiPolygon)
    assert len(geometry.geoms) == 2
    assert geometry.area == pytest.approx(0.005)  # each triangle is a quarter of the 0.1 x 0.1 box
    assert any("Self-intersection" in note for note in repairs)


def test_hole_with_too_few_points_is_dropped():
    sliver = [(127.05, 37.05), (127.06, 37.06), (127.05, 37.05)]
    geometry, repairs = clean_geometry([[SQUARE, sliver]])
    assert geometry.is_valid
    assert geometry.equals(MultiPolygon([Polygon(SQUARE)]))
    assert repairs == ("dropped 1 degenerate ring",)


def test_part_made_of_one_repeated_point_is_dropped():
    # The shape simplification leaves exactly this in the shared KOSTAT file.
    point_ring = [(126.8, 37.5)] * 4
    geometry, repairs = clean_geometry([[point_ring], [SQUARE]])
    assert geometry.is_valid
    assert len(geometry.geoms) == 1 and geometry.area == pytest.approx(0.01)
    assert repairs == ("dropped 1 degenerate ring",)


def test_collinear_part_with_zero_area_is_dropped():
    line_ring = [(127.2, 37.0), (127.3, 37.1), (127.4, 37.2), (127.2, 37.0)]
    geometry, repairs = clean_geometry([[SQUARE], [line_ring]])
    assert geometry.equals(MultiPolygon([Polygon(SQUARE)]))
    assert repairs == ("dropped 1 degenerate ring",)


def test_overlapping_parts_are_merged_into_a_valid_multipolygon():
    other = list(box(127.05, 37.05, 127.15, 37.15).exterior.coords)
    geometry, repairs = clean_geometry([[SQUARE], [other]])
    assert geometry.is_valid and isinstance(geometry, MultiPolygon)
    assert geometry.area == pytest.approx(0.0175)
    assert repairs and repairs[0].startswith("made valid")


def test_nothing_left_after_repair_is_an_error():
    with pytest.raises(BoundaryError, match="no polygon"):
        clean_geometry([[[(127.0, 37.0), (127.1, 37.1), (127.0, 37.0)]]])


# --- GeoJSON ----------------------------------------------------------------


def test_shared_kostat_file_reads_250_valid_records_with_49_repaired():
    source = BoundaryFile(SHARED)
    records = list(source)
    assert len(source) == len(records) == 250
    assert len({r.code for r in records}) == 250
    assert all(r.geometry.is_valid and not r.geometry.is_empty for r in records)
    assert all(isinstance(r.geometry, MultiPolygon) for r in records)
    assert all(r.province == "" for r in records)  # the file has no province; we invent none

    features = json.loads(SHARED.read_text())["features"]
    originals = {f["properties"]["code"]: shape(f["geometry"]) for f in features}
    invalid = {code for code, geometry in originals.items() if not geometry.is_valid}
    repaired = {r.code: r for r in records if r.repaired}
    assert len(invalid) == 49 and set(repaired) == invalid
    for code, record in repaired.items():
        original_area = abs(originals[code].area)
        assert original_area > 0
        assert record.geometry.area == pytest.approx(original_area, rel=0.05), code


def test_names_repeat_across_provinces_but_codes_do_not():
    names = [r.name for r in BoundaryFile(SHARED)]
    assert names.count("남구") > 1 and names.count("동구") > 1


def test_geojson_in_cp949_falls_back_from_utf8(tmp_path):
    path = _geojson(tmp_path, [_feature("11010", "종로구", [SQUARE])], encoding="cp949")
    (record,) = BoundaryFile(path)
    assert (record.code, record.name, record.name_en) == ("11010", "종로구", "종로구 en")


def test_custom_fields_and_province(tmp_path):
    feature = _feature("x", "y", [SQUARE], SIG_CD=11010, SIG_KOR_NM="종로구", CTPRVN="서울특별시")
    path = _geojson(tmp_path, [feature])
    fields = Fields(code="SIG_CD", name="SIG_KOR_NM", name_en=None, province="CTPRVN")
    (record,) = BoundaryFile(path, fields)
    assert (record.code, record.name, record.name_en, record.province) == ("11010", "종로구", "", "서울특별시")


def test_missing_field_is_named(tmp_path):
    path = _geojson(tmp_path, [_feature("11010", "종로구", [SQUARE])])
    with pytest.raises(BoundaryError, match="'SIG_CD' not found; available fields: code, name, name_eng"):
        BoundaryFile(path, Fields(code="SIG_CD"))


def test_missing_english_name_field_suggests_doing_without(tmp_path):
    feature = _feature("11010", "종로구", [SQUARE])
    del feature["properties"]["name_eng"]
    path = _geojson(tmp_path, [feature])
    with pytest.raises(BoundaryError, match='--name-en-field "" imports without English names'):
        BoundaryFile(path)
    (record,) = BoundaryFile(path, Fields(name_en=None))
    assert record.name_en == ""


def test_field_missing_in_one_feature_names_that_feature(tmp_path):
    second = _feature("11020", "중구", [SQUARE])
    del second["properties"]["name"]
    path = _geojson(tmp_path, [_feature("11010", "종로구", [SQUARE]), second])
    with pytest.raises(BoundaryError, match="feature 2: field 'name' is missing"):
        list(BoundaryFile(path))


def test_duplicate_code_names_both_features(tmp_path):
    path = _geojson(tmp_path, [_feature("11010", "종로구", [SQUARE]), _feature("11010", "중구", [SQUARE])])
    with pytest.raises(BoundaryError, match="feature 2: duplicate code '11010' .*feature 1"):
        list(BoundaryFile(path))


def test_point_geometry_is_refused(tmp_path):
    path = _geojson(tmp_path, [_feature("11010", "종로구", [127.0, 37.0], kind="Point")])
    with pytest.raises(BoundaryError, match="feature 1 .*'11010'.*Point, not a Polygon"):
        list(BoundaryFile(path))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("b.geojson", b"{not json", "not valid JSON"),
        ("b.geojson", b"\x00\xff\xfe binary", "cannot read it as UTF-8 or CP949 text"),
        ("b.geojson", b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ("b.shp", b"\x00" * 50, "cannot read the Shapefile"),
        ("b.kml", b"<kml/>", "unsupported format '.kml'"),
    ],
)
def test_unreadable_or_unsupported_files_are_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    if name.endswith(".shp"):
        (tmp_path / "b.prj").write_text(CRS.from_epsg(5179).to_wkt(version="WKT1_ESRI"))
    with pytest.raises(BoundaryError, match=message):
        list(BoundaryFile(path))


# --- Shapefile ----------------------------------------------------------------

JONGNO = [(126.96, 37.57), (126.96, 37.60), (127.00, 37.60), (127.00, 37.57), (126.96, 37.57)]
COURTYARD = [(126.97, 37.58), (126.99, 37.58), (126.99, 37.59), (126.97, 37.59), (126.97, 37.58)]


def test_shapefile_in_epsg5179_with_cp949_attributes(tmp_path):
    path = _shapefile(tmp_path, [("11010", "종로구", [_clockwise(JONGNO), _clockwise(COURTYARD)[::-1]])])
    (record,) = BoundaryFile(path, Fields(code="SIG_CD", name="SIG_KOR_NM", name_en=None))
    assert (record.code, record.name) == ("11010", "종로구")
    expected = Polygon(JONGNO, [COURTYARD])
    assert record.geometry.is_valid and len(record.geometry.geoms) == 1
    assert len(record.geometry.geoms[0].interiors) == 1  # the ccw ring came back as a hole
    assert record.geometry.symmetric_difference(expected).area < 1e-10
    assert shapely.hausdorff_distance(record.geometry, expected) < 1e-5  # about a metre


def test_cpg_file_sets_the_encoding(tmp_path):
    # EUC-KR and CP949 agree on these Hangul, and neither is valid UTF-8.
    path = _shapefile(tmp_path, [("11010", "종로구", [_clockwise(JONGNO)])], cpg="949")
    (record,) = BoundaryFile(path, Fields(code="SIG_CD", name="SIG_KOR_NM", name_en=None))
    assert record.name == "종로구"


def test_encoding_option_overrides_autodetection(tmp_path):
    path = _shapefile(tmp_path, [("11010", "종로구", [_clockwise(JONGNO)])], encoding="utf-8")
    fields = Fields(code="SIG_CD", name="SIG_KOR_NM", name_en=None)
    assert next(iter(BoundaryFile(path, fields))).name == "종로구"
    assert next(iter(BoundaryFile(path, fields, encoding="latin-1"))).name != "종로구"
    with pytest.raises(BoundaryError, match="cannot read its attributes as CP949 text"):
        BoundaryFile(path, fields, encoding="cp949")


def test_shapefile_without_prj_needs_srid(tmp_path):
    path = _shapefile(tmp_path, [("11010", "종로구", [_clockwise(JONGNO)])], prj=False)
    fields = Fields(code="SIG_CD", name="SIG_KOR_NM", name_en=None)
    with pytest.raises(BoundaryError, match=r"no \.prj file.*--srid"):
        BoundaryFile(path, fields)
    (record,) = BoundaryFile(path, fields, srid=5179)
    assert shapely.hausdorff_distance(record.geometry, Polygon(JONGNO)) < 1e-5


def test_wrong_srid_is_caught_by_the_coordinate_range(tmp_path):
    path = _shapefile(tmp_path, [("11010", "종로구", [_clockwise(JONGNO)])])
    fields = Fields(code="SIG_CD", name="SIG_KOR_NM", name_en=None)
    with pytest.raises(BoundaryError, match="feature 1 .*outside WGS84"):
        list(BoundaryFile(path, fields, srid=4326))
