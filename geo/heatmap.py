"""A heat map as a grid of square cells in metres: each point spreads a smooth bump over nearby cells."""
import math

from shapely.geometry import box

from geo.hotspots import local_projection, project, to_wgs84


def density_grid(points, cell_m: float, radius_m: float) -> list[dict]:
    """Cells (row, col, polygon in WGS84, weight, intensity 0..1) for weighted (id, lon, lat[, weight]) points.

    Each point adds weight * (1 - (d / radius)^2)^2 (a quartic kernel) to every cell whose centre lies
    within `radius_m` of it; cells are aligned to a local plane centred on the points' box.
    """
    if cell_m <= 0 or radius_m <= 0:
        raise ValueError("cell_m and radius_m must be positive")
    pts = sorted(points, key=lambda p: p[0])
    if not pts:
        return []
    forward, inverse = local_projection(pts)
    xy = project(pts, forward)
    reach = math.ceil(radius_m / cell_m)
    weights = {}
    for p, (x, y) in zip(pts, xy):
        w = float(p[3]) if len(p) > 3 else 1.0
        col, row = math.floor(x / cell_m), math.floor(y / cell_m)
        for c in range(col - reach, col + reach + 1):
            for r in range(row - reach, row + reach + 1):
                d = math.hypot((c + 0.5) * cell_m - x, (r + 0.5) * cell_m - y)
                if d < radius_m:
                    weights[(r, c)] = weights.get((r, c), 0.0) + w * (1 - (d / radius_m) ** 2) ** 2
    top = max(weights.values(), default=0.0)
    cells = []
    for (r, c), w in sorted(weights.items()):
        square = box(c * cell_m, r * cell_m, (c + 1) * cell_m, (r + 1) * cell_m)
        cells.append({
            "row": r, "col": c, "weight": round(w, 4),
            "intensity": round(w / top, 4) if top else 0.0,
            "polygon": to_wgs84(square, inverse),
        })
    return cells
