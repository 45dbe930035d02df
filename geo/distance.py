"""Distances on the WGS84 ellipsoid and metre-sized boxes around a point."""
import math

from pyproj import Geod

_GEOD = Geod(ellps="WGS84")
_METRES_PER_DEGREE_LAT = 110_574.0


def metres_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres between two WGS84 points."""
    return abs(_GEOD.inv(lon1, lat1, lon2, lat2)[2])


def bbox_around(lon: float, lat: float, metres: float) -> tuple[float, float, float, float]:
    """A lon/lat box that surely contains every point within `metres` of (lon, lat)."""
    margin = 1.01  # a little slack so the box never cuts the circle
    dlat = metres * margin / _METRES_PER_DEGREE_LAT
    dlon = metres * margin / (111_320.0 * max(math.cos(math.radians(lat)), 1e-6))
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
