"""Reading municipal boundary files (GeoJSON, Shapefile) into clean WGS84 MultiPolygon records."""
import codecs
import json
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapefile
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon

from geo.repair import BoundaryError, clean_geometry

WGS84 = CRS.from_epsg(4326)
FORMATS = {".geojson": "geojson", ".json": "geojson", ".shp": "shapefile"}
# Korean public data is UTF-8 nowadays, but official Shapefiles are still often in CP949.
AUTO_ENCODINGS = ("utf-8", "cp949")
POLYGON_SHAPES = {shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM}


@dataclass(frozen=True)
class Fields:
    """Which attribute holds what; name_en and province are optional (None: not in the file)."""

    code: str = "code"
    name: str = "name"
    name_en: str | None = "name_eng"
    province: str | None = None

    def named(self) -> list[str]:
        """The attribute names that must exist in the file."""
        return [f for f in (self.code, self.name, self.name_en, self.province) if f]


@dataclass(frozen=True)
class BoundaryRecord:
    """One municipality read from a file: attributes, a valid WGS84 MultiPolygon, and what was repaired."""

    number: int
    code: str
    name: str
    name_en: str
    province: str
    geometry: MultiPolygon
    repairs: tuple[str, ...] = ()

    @property
    def repaired(self) -> bool:
        """True when the geometry had to be changed to become valid."""
        return bool(self.repairs)


class BoundaryFile:
    """A boundary file read into memory: its feature count, and its cleaned records in file order."""

    def __init__(self, path, fields: Fields = Fields(), encoding: str | None = None, srid: int | None = None):
        self.path = Path(path)
        self.fields = fields
        kind = FORMATS.get(self.path.suffix.lower())
        if kind is None:
            raise BoundaryError(
                f"{self.path.name}: unsupported format {self.path.suffix or '(no extension)'!r}; "
                "use GeoJSON (.geojson, .json) or a Shapefile (.shp)"
            )
        encoding = _codec(encoding, "--encoding") if encoding else None
        if kind == "geojson":
            self._features, crs, available = _read_geojson(self.path, encoding)
        else:
            self._features, crs, available = _read_shapefile(self.path, encoding)
        source = _source_crs(self.path, kind, crs, srid)
        self._transformer = None
        if not source.equals(WGS84, ignore_axis_order=True):
            self._transformer = Transformer.from_crs(source, WGS84, always_xy=True)
        missing = [f for f in fields.named() if f not in available]
        if missing:
            hint = '; --name-en-field "" imports without English names' if fields.name_en in missing else ""
            raise BoundaryError(
                f"{self.path.name}: field {', '.join(map(repr, missing))} not found; "
                f"available fields: {', '.join(sorted(available)) or '(none)'}{hint}"
            )

    def __len__(self) -> int:
        return len(self._features)

    def __iter__(self) -> Iterator[BoundaryRecord]:
        seen: dict[str, int] = {}
        for number, (props, geometry) in enumerate(self._features, start=1):
            record = self._record(number, props, geometry)
            first = seen.setdefault(record.code, number)
            if first != number:
                raise BoundaryError(
                    f"feature {number}: duplicate code {record.code!r} (already used by feature {first})"
                )
            yield record

    def _record(self, number: int, props: dict, geometry) -> BoundaryRecord:
        for field in (self.fields.code, self.fields.name):
            if field not in props:
                raise BoundaryError(f"feature {number}: field {field!r} is missing")
        code, name = _text(props[self.fields.code]), _text(props[self.fields.name])
        label = f"feature {number} (code {code!r}, name {name!r})"
        if not code:
            raise BoundaryError(f"{label}: the code is empty")
        if not name:
            raise BoundaryError(f"{label}: the name is empty")
        try:
            polygons = _polygon_coordinates(geometry)
            if self._transformer is not None:
                polygons = [[_reproject(self._transformer, ring) for ring in poly] for poly in polygons]
            _check_wgs84_range(polygons)
            multipolygon, repairs = clean_geometry(polygons)
        except BoundaryError as err:
            raise BoundaryError(f"{label}: {err}") from err
        return BoundaryRecord(
            number=number,
            code=code,
            name=name,
            # Optional values: some GeoJSON writers leave out a property instead of writing null.
            name_en=_text(props.get(self.fields.name_en)) if self.fields.name_en else "",
            province=_text(props.get(self.fields.province)) if self.fields.province else "",
            geometry=multipolygon,
            repairs=repairs,
        )


def _polygon_coordinates(geometry) -> list:
    """A GeoJSON-like Polygon/MultiPolygon mapping as a list of polygons, each a list of rings."""
    if not geometry:
        raise BoundaryError("it has no geometry")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon") or not isinstance(coordinates, list):
        raise BoundaryError(f"the geometry is {kind or 'malformed'}, not a Polygon or MultiPolygon")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    try:
        return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in polygons]
    except (TypeError, ValueError, IndexError) as err:
        raise BoundaryError(f"malformed coordinates ({err})") from err


def _reproject(transformer: Transformer, ring: list) -> list:
    if not ring:
        return ring
    xs, ys = transformer.transform(*np.asarray(ring, dtype=float).T)
    return list(zip(np.atleast_1d(xs).tolist(), np.atleast_1d(ys).tolist()))


def _check_wgs84_range(polygons) -> None:
    for poly in polygons:
        for ring in poly:
            if not ring:
                continue
            points = np.abs(np.asarray(ring, dtype=float))
            if not np.all(points[:, 0] <= 180) or not np.all(points[:, 1] <= 90):  # also catches NaN, inf
                raise BoundaryError("coordinates fall outside WGS84 longitude/latitude; is the CRS right?")


def _text(value) -> str:
    """An attribute value as clean text (numeric codes from DBF files come back as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _codec(name: str, where: str) -> str:
    """The Python codec for an encoding name, or BoundaryError naming where the name came from."""
    try:
        return codecs.lookup(name).name
    except LookupError as err:
        raise BoundaryError(f"{where}: unknown encoding {name!r}") from err


def _decode(data: bytes, encodings, what: str) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    names = " or ".join(e.replace("utf-8-sig", "UTF-8").upper() for e in encodings)
    raise BoundaryError(f"{what}: cannot read it as {names} text; give another encoding with --encoding")


def _read_geojson(path: Path, encoding: str | None):
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BoundaryError(f"{path.name}: cannot read the file ({err.strerror or err})") from err
    # utf-8-sig: files saved by some Windows tools start with a byte-order mark.
    text = _decode(data, [encoding] if encoding else ["utf-8-sig", "cp949"], path.name)
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as err:
        raise BoundaryError(f"{path.name}: not valid JSON ({err})") from err
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(collection.get("features"), list):
        raise BoundaryError(f"{path.name}: not a GeoJSON FeatureCollection")
    features, available = [], set()
    for number, feature in enumerate(collection["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise BoundaryError(f"{path.name}: feature {number} is not a GeoJSON Feature")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise BoundaryError(f"{path.name}: feature {number} has malformed properties")
        available.update(props)
        features.append((props, feature.get("geometry")))
    crs = (collection.get("crs") or {}).get("properties", {}).get("name")
    return features, crs, available


def _read_shapefile(path: Path, encoding: str | None):
    encoding = encoding or _cpg_encoding(path)
    candidates = [encoding] if encoding else AUTO_ENCODINGS
    failures = []
    for candidate in candidates:
        try:
            return _load_shapefile(path, candidate)
        except UnicodeError as err:
            failures.append(f"{candidate}: {err}")
    raise BoundaryError(
        f"{path.name}: cannot read its attributes as {' or '.join(c.upper() for c in candidates)} text; "
        f"give the right encoding with --encoding ({failures[-1][:120]})"
    )


def _load_shapefile(path: Path, encoding: str):
    """Rows of (attributes, GeoJSON-like geometry) and field names; UnicodeError for a wrong encoding."""
    pyshp_log = logging.getLogger("shapefile")
    level = pyshp_log.level
    # pyshp logs a paragraph per shape whose rings run the "wrong" way; it keeps them as exteriors,
    # which is right for boundaries, and anything still invalid shows up in our repair report.
    pyshp_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            # pyshp warns when our encoding differs from the .cpg; --encoding overrides it on purpose.
            warnings.simplefilter("ignore")
            with shapefile.Reader(str(path), encoding=encoding) as reader:
                if reader.shapeType not in POLYGON_SHAPES | {shapefile.NULL}:
                    raise BoundaryError(f"{path.name}: holds {reader.shapeTypeName} shapes, not polygons")
                available = {field.name for field in reader.fields[1:]}
                rows = [(sr.record.as_dict(), _shape_mapping(sr.shape)) for sr in reader.iterShapeRecords()]
    except (BoundaryError, UnicodeError):
        raise
    except Exception as err:  # pyshp raises many kinds: ShapefileException, struct.error, OSError ...
        if isinstance(err, shapefile.ShapefileException) and "decode" in str(err):
            raise UnicodeError(str(err)) from err
        raise BoundaryError(f"{path.name}: cannot read the Shapefile ({err})") from err
    finally:
        pyshp_log.setLevel(level)
    return rows, None, available


def _shape_mapping(shape):
    if shape is None or shape.shapeType == shapefile.NULL or not shape.points:
        return None
    return shape.__geo_interface__


def _sibling(path: Path, suffix: str) -> Path | None:
    """The file next to `path` with the same stem and this suffix (lower or upper case), if any."""
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return None


def _cpg_encoding(path: Path) -> str | None:
    cpg = _sibling(path, ".cpg")
    value = cpg.read_text(encoding="ascii", errors="replace").strip() if cpg else ""
    if not value:
        return None
    # ESRI writes code pages as bare numbers ("949", "65001") as well as names ("UTF-8", "CP949").
    if value.isdigit():
        value = "utf-8" if value == "65001" else f"cp{value}"
    return _codec(value, cpg.name)


def _source_crs(path: Path, kind: str, declared: str | None, srid: int | None) -> CRS:
    """The CRS of the file's coordinates: --srid first, then the .prj or the GeoJSON crs member."""
    try:
        if srid is not None:
            return CRS.from_epsg(srid)
        if kind == "geojson":
            # GeoJSON (RFC 7946) is WGS84; an old-style crs member may say otherwise.
            return CRS.from_user_input(declared) if declared else WGS84
        prj = _sibling(path, ".prj")
        if prj is None:
            raise BoundaryError(f"{path.name}: no .prj file next to it; give the EPSG code with --srid")
        return CRS.from_wkt(prj.read_text(encoding="utf-8", errors="replace"))
    except BoundaryError:
        raise
    except Exception as err:  # pyproj.exceptions.CRSError and friends
        raise BoundaryError(f"{path.name}: cannot understand its coordinate system ({err})") from err
