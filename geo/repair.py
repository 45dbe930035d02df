"""Repairing boundary polygons: degenerate rings dropped, invalid shapes made valid, land kept as land."""
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon


class BoundaryError(Exception):
    """A boundary file that cannot be imported as it is; the message names the problem and the feature."""


def clean_geometry(polygons) -> tuple[MultiPolygon, tuple[str, ...]]:
    """A valid MultiPolygon and repair notes from a list of polygons, each a list of coordinate rings."""
    repairs = []
    parts, dropped = [], 0
    for rings in polygons:
        cleaned = [_clean_ring(ring) for ring in rings]
        if not cleaned or cleaned[0] is None:
            # Holes mean nothing without their exterior, so the whole part goes.
            dropped += len(rings) or 1
            continue
        holes = [ring for ring in cleaned[1:] if ring is not None]
        dropped += len(cleaned) - 1 - len(holes)
        parts.append(Polygon(cleaned[0], holes))
    if dropped:
        repairs.append(f"dropped {dropped} degenerate ring{'s' if dropped > 1 else ''}")
    geometry = MultiPolygon(parts)
    if not geometry.is_empty and not geometry.is_valid:
        # GEOS names the spot in brackets, which helps operators check the repair.
        repairs.append(f"made valid ({shapely.is_valid_reason(geometry)})")
        geometry = _make_valid(geometry)
    if geometry.is_empty:
        raise BoundaryError("the geometry has no polygon with an area (nothing left after repair)")
    return geometry, tuple(repairs)


def _clean_ring(ring) -> np.ndarray | None:
    """The ring as an (n, 2) closed array without repeated points, or None when it is degenerate."""
    points = np.asarray([p[:2] for p in ring], dtype=float).reshape(-1, 2)
    if len(points):
        keep = np.ones(len(points), dtype=bool)
        keep[1:] = np.any(points[1:] != points[:-1], axis=1)
        points = points[keep]
    if len(points) and np.any(points[0] != points[-1]):
        points = np.vstack([points, points[:1]])
    if len(points) < 4:
        return None
    # "Zero area" means every point lies on one line; the signed area would also be zero for a
    # bow-tie, which make_valid turns into two real triangles, so it cannot be the test.
    offsets = points - points[0]
    lengths = np.hypot(offsets[:, 0], offsets[:, 1])
    far = offsets[np.argmax(lengths)]
    spread = np.abs(far[0] * offsets[:, 1] - far[1] * offsets[:, 0])  # |far| x distance from the line
    if lengths.max() == 0 or spread.max() <= 1e-9 * lengths.max() ** 2:
        return None
    return points


def _make_valid(geometry) -> MultiPolygon:
    try:
        # The structure method unions overlapping parts (land stays land); the linework method would
        # XOR them and punch holes where two parts of one municipality overlap.
        fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    except shapely.errors.GEOSException:
        fixed = shapely.make_valid(geometry)
    parts = [p for p in _polygonal_parts(fixed) if p.area > 0]
    result = MultiPolygon(parts)
    if not result.is_valid:
        # Polygonal pieces of a collection may still touch along lines; dissolving them fixes that.
        result = MultiPolygon(_polygonal_parts(shapely.unary_union(parts)))
    if not result.is_empty and not result.is_valid:
        raise BoundaryError(f"the geometry could not be repaired ({shapely.is_valid_reason(result)})")
    return result


def _polygonal_parts(geometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    return [p for part in getattr(geometry, "geoms", ()) for p in _polygonal_parts(part)]
