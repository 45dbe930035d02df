"""Geodesic distances and the metre-sized search box around a point."""
import math

import pytest
from pyproj import Geod

from geo.distance import bbox_around, metres_between

GEOD = Geod(ellps="WGS84")


def test_distance_to_itself_is_zero():
    assert metres_between(127.05, 37.05, 127.05, 37.05) == 0


def test_one_degree_of_latitude_at_the_equator():
    assert metres_between(0, 0, 0, 1) == pytest.approx(110_574, abs=2)


def test_one_degree_of_longitude_at_the_equator():
    assert metres_between(0, 0, 1, 0) == pytest.approx(111_319.5, abs=1)


def test_distance_is_symmetric_and_positive():
    there = metres_between(127.0, 37.0, 127.1, 37.05)
    back = metres_between(127.1, 37.05, 127.0, 37.0)
    assert there > 0
    assert there == pytest.approx(back, rel=1e-9)


def test_distance_matches_a_point_placed_at_a_known_distance():
    lon, lat, _ = GEOD.fwd(127.05, 37.05, 33, 90.0)
    assert metres_between(127.05, 37.05, lon, lat) == pytest.approx(90.0, abs=1e-6)


def test_seoul_to_busan_is_about_325_km():
    assert metres_between(126.978, 37.5665, 129.0756, 35.1796) == pytest.approx(325_000, rel=0.01)


@pytest.mark.parametrize("lat", [0.0, 33.1, 37.05, 38.6, 60.0])
@pytest.mark.parametrize("metres", [1.0, 100.0, 5_000.0])
def test_box_contains_the_whole_circle(lat, metres):
    lon = 127.05
    minx, miny, maxx, maxy = bbox_around(lon, lat, metres)
    for azimuth in range(0, 360, 5):
        x, y, _ = GEOD.fwd(lon, lat, azimuth, metres)
        assert minx <= x <= maxx and miny <= y <= maxy, (azimuth, x, y)


def test_box_is_centred_and_not_much_larger_than_needed():
    minx, miny, maxx, maxy = bbox_around(127.05, 37.05, 100)
    assert (minx + maxx) / 2 == pytest.approx(127.05)
    assert (miny + maxy) / 2 == pytest.approx(37.05)
    # Half-height in metres close to the radius (a few per cent slack at most).
    assert metres_between(127.05, 37.05, 127.05, maxy) == pytest.approx(100, rel=0.03)
    assert metres_between(127.05, 37.05, maxx, 37.05) == pytest.approx(100, rel=0.03)


def test_box_grows_in_longitude_towards_the_pole():
    south = bbox_around(127.0, 10.0, 100)
    north = bbox_around(127.0, 60.0, 100)
    assert (north[2] - north[0]) > (south[2] - south[0]) * 1.5
    assert math.isclose(north[3] - north[1], south[3] - south[1])
