"""Template globals and filters: labels, Seoul-time dates, point coordinates."""
from flask_babel import format_datetime
from geoalchemy2.shape import to_shape

from webapp.labels import close_reason_label, status_label


def _lat(geom) -> float:
    return to_shape(geom).y


def _lon(geom) -> float:
    return to_shape(geom).x


def init_templating(app) -> None:
    app.jinja_env.globals.update(status_label=status_label, close_reason_label=close_reason_label)
    # format_datetime converts to BABEL_DEFAULT_TIMEZONE (Asia/Seoul) before formatting.
    app.jinja_env.filters.update(datetime=lambda value: format_datetime(value, "yyyy-MM-dd HH:mm"), lat=_lat, lon=_lon)
