"""Hot spots: density-based clusters (DBSCAN) of WGS84 points, with distances in metres."""
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPoint, Polygon

# Two points exactly eps apart are neighbours; projected distances carry float noise far below this.
TOLERANCE_M = 0.001
OUTLINE_BUFFER_M = 15.0


@dataclass(frozen=True)
class Cluster:
    """One hot spot: its members and core members (ids ascending) and an outline polygon in WGS84."""

    members: tuple
    core: tuple
    outline: Polygon

    @property
    def id(self):
        """A stable identity: the smallest member id."""
        return self.members[0]


@dataclass(frozen=True)
class Clustering:
    """The clusters (ordered by their smallest member id) and the ids of noise points (ascending)."""

    clusters: list = field(default_factory=list)
    noise: tuple = ()


def local_projection(points) -> tuple[Transformer, Transformer]:
    """Forward and inverse transformers to an azimuthal equidistant plane centred on the points' box."""
    lons = [p[1] for p in points]
    lats = [p[2] for p in points]
    # The box centre, not the mean: it does not depend on the order of the points.
    lon0 = (min(lons) + max(lons)) / 2 if lons else 0.0
    lat0 = (min(lats) + max(lats)) / 2 if lats else 0.0
    crs = f"+proj=aeqd +lat_0={lat0!r} +lon_0={lon0!r} +datum=WGS84 +units=m +no_defs"
    return (
        Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
    )


def project(points, forward: Transformer) -> list[tuple[float, float]]:
    """Projected (x, y) metres for (id, lon, lat) points, in the same order."""
    if not points:
        return []
    xs, ys = forward.transform([p[1] for p in points], [p[2] for p in points])
    return list(zip((float(x) for x in xs), (float(y) for y in ys)))


class GridIndex:
    """Points bucketed in square cells of side `size`: a neighbour search looks at 3 x 3 cells only."""

    def __init__(self, xy, size: float):
        self.xy, self.size, self.cells = xy, size, {}
        for i, (x, y) in enumerate(xy):
            self.cells.setdefault(self.key(x, y), []).append(i)

    def key(self, x: float, y: float) -> tuple[int, int]:
        return math.floor(x / self.size), math.floor(y / self.size)

    def within(self, i: int, radius: float) -> list[tuple[int, float]]:
        """(index, distance) of every point within `radius` of point i, itself included."""
        x, y = self.xy[i]
        cx, cy = self.key(x, y)
        found = []
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for j in self.cells.get((gx, gy), ()):
                    d = math.hypot(self.xy[j][0] - x, self.xy[j][1] - y)
                    if d <= radius:
                        found.append((j, d))
        return found


def dbscan(points, eps_m: float, min_points: int, buffer_m: float = OUTLINE_BUFFER_M) -> Clustering:
    """DBSCAN over (id, lon, lat) points; a point with >= min_points neighbours (itself included) is core."""
    if eps_m <= 0 or min_points < 1:
        raise ValueError("eps_m must be positive and min_points at least 1")
    # Sorting by id makes every step below independent of the order the points came in.
    pts = sorted(points, key=lambda p: p[0])
    forward, inverse = local_projection(pts)
    xy = project(pts, forward)
    grid = GridIndex(xy, eps_m + TOLERANCE_M)
    neighbours = [grid.within(i, eps_m + TOLERANCE_M) for i in range(len(pts))]
    is_core = [len(n) >= min_points for n in neighbours]

    # Core points reachable from each other form one cluster (connected components, by flood fill).
    label = [None] * len(pts)
    count = 0
    for i in range(len(pts)):
        if not is_core[i] or label[i] is not None:
            continue
        label[i], stack = count, [i]
        while stack:
            for j, _d in neighbours[stack.pop()]:
                if is_core[j] and label[j] is None:
                    label[j] = count
                    stack.append(j)
        count += 1
    # A border point joins the cluster of its nearest core neighbour (ties: the smaller id).
    for i in range(len(pts)):
        if is_core[i]:
            continue
        cores = [(d, j) for j, d in neighbours[i] if is_core[j]]
        if cores:
            label[i] = label[min(cores)[1]]

    groups = {}
    for i, lab in enumerate(label):
        if lab is not None:
            groups.setdefault(lab, []).append(i)
    clusters = [
        Cluster(
            members=tuple(pts[i][0] for i in idx),
            core=tuple(pts[i][0] for i in idx if is_core[i]),
            outline=outline([xy[i] for i in idx], inverse, buffer_m),
        )
        for idx in groups.values()
    ]
    clusters.sort(key=lambda c: c.id)
    noise = tuple(pts[i][0] for i in range(len(pts)) if label[i] is None)
    return Clustering(clusters=clusters, noise=noise)


def to_wgs84(shape, inverse: Transformer):
    """A projected shapely geometry back in lon/lat."""
    return shapely.transform(shape, lambda c: np.column_stack(inverse.transform(c[:, 0], c[:, 1])))


def outline(xy, inverse: Transformer, buffer_m: float = OUTLINE_BUFFER_M) -> Polygon:
    """The convex hull of projected points, buffered by `buffer_m` (1, 2 or collinear points give an area), in WGS84."""
    shape = MultiPoint(xy).convex_hull.buffer(max(buffer_m, 0.5), quad_segs=8)
    back = to_wgs84(shape, inverse)
    return back if back.is_valid else back.buffer(0)
