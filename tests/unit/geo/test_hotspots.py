"""DBSCAN hot spots in metres, on constructed points whose right answer is known."""
import random

import pytest
from pyproj import Geod
from shapely.geometry import Point

from geo.distance import metres_between
from geo.heatmap import density_grid
from geo.hotspots import dbscan, local_projection, project

GEOD = Geod(ellps="WGS84")
ORIGIN = (127.05, 37.05)


def at(ident, east_m=0.0, north_m=0.0, origin=ORIGIN):
    """Point `ident` that far east then north of `origin` along geodesics (exact metres)."""
    lon, lat = origin
    if east_m:
        lon, lat, _ = GEOD.fwd(lon, lat, 90 if east_m > 0 else 270, abs(east_m))
    if north_m:
        lon, lat, _ = GEOD.fwd(lon, lat, 0 if north_m > 0 else 180, abs(north_m))
    return (ident, lon, lat)


def summary(result):
    return [(c.members, c.core) for c in result.clusters], result.noise


def test_two_groups_and_noise():
    points = [at(1), at(2, 40), at(3, 0, 50), at(10, 2000), at(11, 2060), at(12, 2000, 30), at(20, 900, 900)]
    clusters, noise = summary(dbscan(points, eps_m=100, min_points=2))
    assert clusters == [((1, 2, 3), (1, 2, 3)), ((10, 11, 12), (10, 11, 12))]
    assert noise == (20,)


def test_min_points_counts_the_point_itself_and_makes_border_points():
    # 1 - 2 - 3 in a row 80 m apart: only 2 sees three points (itself, 1 and 3).
    points = [at(1), at(2, 80), at(3, 160)]
    clusters, noise = summary(dbscan(points, eps_m=100, min_points=3))
    assert clusters == [((1, 2, 3), (2,))]
    assert noise == ()
    assert summary(dbscan(points, eps_m=100, min_points=4)) == ([], (1, 2, 3))


def test_chain_effect_joins_a_line_of_close_points():
    # Each point is 90 m from the next: the ends are 900 m apart but one cluster.
    points = [at(i, 90 * i) for i in range(11)]
    result = dbscan(points, eps_m=100, min_points=2)
    assert [c.members for c in result.clusters] == [tuple(range(11))]
    assert metres_between(*points[0][1:], *points[-1][1:]) == pytest.approx(900, abs=0.01)


def test_exactly_eps_apart_are_neighbours_and_a_centimetre_more_is_not():
    points = [at(1), at(2, 0, 150)]
    assert metres_between(*points[0][1:], *points[1][1:]) == pytest.approx(150, abs=1e-6)
    assert summary(dbscan(points, eps_m=150, min_points=2))[0] == [((1, 2), (1, 2))]
    apart = [at(1), at(2, 0, 150.01)]
    assert summary(dbscan(apart, eps_m=150, min_points=2)) == ([], (1, 2))


def test_projected_distances_match_geodesic_metres():
    rng = random.Random(7)
    points = [(i, 127.0 + rng.random() * 0.1, 37.0 + rng.random() * 0.1) for i in range(30)]
    forward, _ = local_projection(points)
    xy = project(points, forward)
    for i in range(0, 30, 3):
        for j in range(1, 30, 4):
            geodesic = metres_between(*points[i][1:], *points[j][1:])
            planar = ((xy[i][0] - xy[j][0]) ** 2 + (xy[i][1] - xy[j][1]) ** 2) ** 0.5
            # Across a 10 km municipality the local plane is off by far less than a metre.
            assert planar == pytest.approx(geodesic, abs=0.5)


def test_border_point_goes_to_the_nearest_core():
    # Two tight groups of four; point 9 lies 90 m from group A's edge and 95 m from group B's,
    # so it sees only three points (itself included) and is a border point of both.
    a = [at(1), at(2, -15), at(3, -30), at(4, -45)]
    b = [at(5, 185), at(6, 200), at(7, 215), at(8, 230)]
    border = at(9, 90)
    result = dbscan(a + b + [border], eps_m=100, min_points=4)
    assert [c.members for c in result.clusters] == [(1, 2, 3, 4, 9), (5, 6, 7, 8)]
    assert 9 not in result.clusters[0].core
    # Moved to 94 m from A (91 m from B), it joins B instead.
    moved = dbscan(a + b + [at(9, 94)], eps_m=100, min_points=4)
    assert [c.members for c in moved.clusters] == [(1, 2, 3, 4), (5, 6, 7, 8, 9)]


def test_order_does_not_change_the_result():
    rng = random.Random(3)
    points = [at(i, rng.uniform(0, 1500), rng.uniform(0, 1500)) for i in range(1, 300)]
    first = dbscan(points, eps_m=120, min_points=3)
    for seed in range(3):
        shuffled = points[:]
        random.Random(seed).shuffle(shuffled)
        again = dbscan(shuffled, eps_m=120, min_points=3)
        assert summary(again) == summary(first)
        assert all(x.outline.equals_exact(y.outline, 1e-9) for x, y in zip(again.clusters, first.clusters))
    assert first.clusters, "the random field should hold at least one cluster"


def test_outline_is_a_valid_polygon_for_two_points_and_contains_members():
    points = [at(1), at(2, 60)]
    (cluster,) = dbscan(points, eps_m=100, min_points=2).clusters
    shape = cluster.outline
    assert shape.geom_type == "Polygon" and shape.is_valid and shape.area > 0
    assert all(shape.contains(Point(lon, lat)) for _, lon, lat in points)
    # Buffered by about 15 m: a point 10 m beyond the end is inside, 25 m beyond is not.
    assert shape.contains(Point(*at(0, 70)[1:]))
    assert not shape.contains(Point(*at(0, 85)[1:]))


def test_outline_of_collinear_members_is_a_valid_polygon():
    points = [at(i, 50 * i, 50 * i) for i in range(5)]
    (cluster,) = dbscan(points, eps_m=100, min_points=2).clusters
    assert cluster.outline.geom_type == "Polygon" and cluster.outline.is_valid
    assert all(cluster.outline.contains(Point(lon, lat)) for _, lon, lat in points)


def test_identical_points_form_a_cluster():
    points = [at(4), at(2), at(3)]
    result = dbscan(points, eps_m=10, min_points=3)
    assert summary(result) == ([((2, 3, 4), (2, 3, 4))], ())
    assert result.clusters[0].id == 2 and result.clusters[0].outline.is_valid


def test_no_points_no_clusters():
    assert summary(dbscan([], eps_m=100, min_points=2)) == ([], ())


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        dbscan([at(1)], eps_m=0, min_points=2)
    with pytest.raises(ValueError):
        dbscan([at(1)], eps_m=10, min_points=0)


def test_ten_thousand_points_stay_fast():
    import time

    rng = random.Random(11)
    points = [(i, 127.0 + rng.random() * 0.1, 37.0 + rng.random() * 0.1) for i in range(10_000)]
    started = time.perf_counter()
    result = dbscan(points, eps_m=150, min_points=5)
    assert time.perf_counter() - started < 5
    assert sum(len(c.members) for c in result.clusters) + len(result.noise) == 10_000


def test_heat_grid_peaks_at_the_dense_place():
    points = [at(1), at(2, 20), at(3, 0, 20), at(4, 1000)]
    cells = density_grid(points, cell_m=50, radius_m=150)
    top = max(cells, key=lambda c: c["weight"])
    assert top["intensity"] == 1.0
    assert top["polygon"].contains(Point(*at(0, 10, 10)[1:])) or top["polygon"].distance(Point(*ORIGIN)) < 0.001
    lonely = [c for c in cells if c["polygon"].contains(Point(*at(0, 1000)[1:]))]
    assert lonely and lonely[0]["intensity"] < 0.5
    assert all(0 < c["intensity"] <= 1 for c in cells)
    assert density_grid([], cell_m=50, radius_m=150) == []
