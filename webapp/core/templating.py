"""Template globals and filters: labels, money, Seoul-time dates, point coordinates."""
from flask_babel import format_datetime
from geoalchemy2.shape import to_shape

from webapp.core import money
from webapp.core.i18n import current_language
from webapp.core.labels import (
    DIRECTION_LABELS,
    STANDARD_LABELS,
    THEME_LABELS,
    close_reason_label,
    domain_label,
    label,
    proposal_status_label,
    status_label,
)
from webapp.permissions import can


def _lat(geom) -> float:
    return to_shape(geom).y


def _lon(geom) -> float:
    return to_shape(geom).x


def init_templating(app) -> None:
    app.jinja_env.globals.update(
        can=can,
        status_label=status_label,
        close_reason_label=close_reason_label,
        proposal_status_label=proposal_status_label,
        proposal_name=lambda proposal: proposal.display_title(current_language()),
        domain_label=domain_label,
        theme_label=lambda code: label(THEME_LABELS, code),
        direction_label=lambda code: label(DIRECTION_LABELS, code),
        standard_label=lambda code: label(STANDARD_LABELS, code),
        # Money as webapp.core.money writes it everywhere (pages, print/PDF): one rounding, one format.
        krw_range=money.krw_range,
        percent=money.limit_text,
        money=money,
    )
    # format_datetime converts to BABEL_DEFAULT_TIMEZONE (Asia/Seoul) before formatting.
    app.jinja_env.filters.update(datetime=lambda value: format_datetime(value, "yyyy-MM-dd HH:mm"), lat=_lat, lon=_lon)
