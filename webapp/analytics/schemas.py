"""Analytics input (hot-spot parameters) and output: the summary, hot spots and heat map (GeoJSON), priorities."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, post_dump, validate
from shapely.geometry import mapping

from webapp.core.fields import MESSAGES, BaseSchema, integer
from webapp.core.labels import status_label
from webapp.core.output import MunicipalityOut, OutSchema, Part, UtcTime, feature_collection
from webapp.core.time import SEOUL

EPS_RANGE = (10, 2000)
MIN_POINTS_RANGE = (2, 50)
_RANGE = _l("Must be between {min} and {max}.")


class HotspotQuery(BaseSchema):
    """eps (metres) and min_points; missing ones are filled from the settings by the caller."""

    eps = fields.Float(
        load_default=None, allow_nan=False,
        validate=validate.Range(min=EPS_RANGE[0], max=EPS_RANGE[1], error=_RANGE),
        error_messages={**MESSAGES, "invalid": _l("Not a valid number.")},
    )
    min_points = integer(
        required=False, load_default=None,
        validate=validate.Range(min=MIN_POINTS_RANGE[0], max=MIN_POINTS_RANGE[1], error=_RANGE),
    )


# --- output building blocks ---------------------------------------------------------------------------

def plain_number(value: float) -> float | int:
    """A whole float as an int (150.0 -> 150), so echoed parameters read as they were given."""
    return int(value) if float(value).is_integer() else value


class PlainNumber(fields.Field):
    """A number as given, a whole float as an int (150.0 -> 150)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else plain_number(value)


class Polygon(fields.Field):
    """A shapely polygon as a GeoJSON geometry, coordinates rounded to 7 decimals (about 1 cm)."""

    def _serialize(self, value, attr, obj, **kwargs):
        geo = mapping(value)
        geo["coordinates"] = [[[round(x, 7), round(y, 7)] for x, y in ring] for ring in geo["coordinates"]]
        return geo


class CollectionOut(OutSchema):
    """A GeoJSON FeatureCollection: the `features` field and the other fields as its extra members."""

    @post_dump
    def _collection(self, data, **kwargs):
        return feature_collection(data.pop("features"), **data)


class ClusterParametersOut(Schema):
    """The hot-spot parameters in force (eps in metres), echoed as they were given."""

    eps = PlainNumber(attribute="eps_m")
    min_points = fields.Integer()
    status = fields.String()


# --- summary ------------------------------------------------------------------------------------------

class CategoryCountOut(OutSchema):
    """Reports of one category: all of them and the open ones."""

    code = fields.String()
    name = fields.Method("_name")
    count = fields.Integer()
    open = fields.Integer()

    def _name(self, row) -> str:
        return row["category"].display_name(self.viewer.lang)


class StatusCountOut(Schema):
    """Reports in one status, with the status's label."""

    status = fields.String()
    name = fields.Function(lambda row: status_label(row["status"]))
    count = fields.Integer()


class MonthOut(Schema):
    """One Seoul month ("YYYY-MM"): reports made and reports resolved."""

    month = fields.String()
    new = fields.Integer()
    resolved = fields.Integer()


class SummaryOut(OutSchema):
    """A municipality's counts (see analytics.service.summary), dumped with the `municipality` added."""

    municipality = Part(MunicipalityOut)
    total = fields.Integer()
    open = fields.Integer()
    by_category = Part(CategoryCountOut, many=True)
    by_status = Part(StatusCountOut, many=True)
    monthly = Part(MonthOut, many=True)
    timezone = fields.Constant(SEOUL.key)


# --- hot spots ----------------------------------------------------------------------------------------

class HotspotMemberOut(OutSchema):
    """A report in a hot spot, dumped from {id, title, core}: `core` when it has enough neighbours itself."""

    id = fields.Integer()
    title = fields.String()
    url = fields.Method("_url")
    core = fields.Boolean()

    def _url(self, member) -> str:
        return self.viewer.url("reports.show", report_id=member["id"])


class HotspotPropertiesOut(OutSchema):
    """A hot spot's figures: size, votes, top category, oldest report and members."""

    id = fields.Integer()
    size = fields.Integer()
    votes = fields.Integer()
    top_category = fields.Function(lambda spot: spot["top_category"].code)
    top_category_name = fields.Method("_top_category_name")
    top_category_count = fields.Integer()
    color = fields.Function(lambda spot: spot["top_category"].color)
    oldest_at = UtcTime()
    members = fields.Method("_members")

    def _top_category_name(self, spot) -> str:
        return spot["top_category"].display_name(self.viewer.lang)

    def _members(self, spot) -> list:
        members = [{"id": rid, "title": spot["titles"][rid], "core": rid in spot["core"]} for rid in spot["members"]]
        return HotspotMemberOut(self.viewer).dump(members, many=True)


class HotspotOut(OutSchema):
    """A hot spot (see analytics.service.clusters_of) as a GeoJSON Feature outlined by a polygon."""

    type = fields.Constant("Feature")
    id = fields.Integer()
    geometry = Polygon(attribute="outline")
    properties = Part(HotspotPropertiesOut, whole=True)


class HotspotsOut(CollectionOut):
    """The hot spots as a FeatureCollection with the parameters echoed, the reports looked at and the lone ones."""

    parameters = Part(ClusterParametersOut, whole=True)
    reports = fields.Integer()
    noise = fields.Function(lambda result: len(result["noise"]))
    features = Part(HotspotOut, many=True, attribute="hotspots")


# --- priorities ---------------------------------------------------------------------------------------

class ScorePartOut(Schema):
    """One part of a score: the figure it counts and the points it gives."""

    value = fields.Integer()
    points = fields.Float()


class ScorePartsOut(Schema):
    votes = fields.Nested(ScorePartOut)
    size = fields.Nested(ScorePartOut)
    age = fields.Nested(ScorePartOut)


class WeightsOut(Schema):
    """The weights of the score and the age cap in days."""

    votes = fields.Float()
    size = fields.Float()
    age = fields.Float()
    age_cap_days = fields.Integer()


class PriorityOut(OutSchema):
    """What every ranked item shows: its rank, kind, id, score and the score's parts."""

    rank = fields.Integer()
    kind = fields.String()
    id = fields.Integer()
    score = fields.Float()
    votes = fields.Integer()
    size = fields.Integer()
    age_days = fields.Integer()
    components = fields.Nested(ScorePartsOut)


class HotspotPriorityOut(PriorityOut):
    """A ranked hot spot, with its members' ids and its top category."""

    members = fields.Function(lambda item: item["hotspot"]["members"])
    top_category = fields.Function(lambda item: item["hotspot"]["top_category"].code)
    top_category_name = fields.Method("_top_category_name")

    def _top_category_name(self, item) -> str:
        return item["hotspot"]["top_category"].display_name(self.viewer.lang)


class ReportPriorityOut(PriorityOut):
    """A ranked lone report, with its title, link and category (`categories` by id)."""

    title = fields.String()
    url = fields.Method("_url")
    category = fields.Method("_category")
    category_name = fields.Method("_category_name")

    def __init__(self, viewer, categories: dict, **kw):
        super().__init__(viewer, **kw)
        self.categories = categories

    def _url(self, item) -> str:
        return self.viewer.url("reports.show", report_id=item["id"])

    def _category(self, item) -> str:
        return self.categories[item["category_id"]].code

    def _category_name(self, item) -> str:
        return self.categories[item["category_id"]].display_name(self.viewer.lang)


class PrioritiesOut(OutSchema):
    """The priority list (see analytics.priorities), dumped with the `municipality` and `formula` added.

    `categories` by id name the categories of lone reports.
    """

    municipality = Part(MunicipalityOut)
    parameters = Part(ClusterParametersOut, whole=True, only=("eps", "min_points"))
    weights = fields.Nested(WeightsOut)
    formula = fields.String()
    now = UtcTime()
    total = fields.Integer()
    items = fields.Method("_items")

    def __init__(self, viewer, categories: dict, **kw):
        super().__init__(viewer, **kw)
        self.categories = categories

    def _items(self, result) -> list:
        hotspot, report = HotspotPriorityOut(self.viewer), ReportPriorityOut(self.viewer, self.categories)
        return [(hotspot if item["kind"] == "hotspot" else report).dump(item) for item in result["items"]]


# --- heat map -----------------------------------------------------------------------------------------

class HeatParametersOut(Schema):
    """The grid's cell size and kernel radius in metres, and the reports it counts."""

    cell_m = PlainNumber()
    radius_m = PlainNumber()
    status = fields.String()


class HeatPropertiesOut(Schema):
    intensity = fields.Float()
    weight = fields.Float()


class HeatCellOut(OutSchema):
    """A cell of the heat-map grid as a GeoJSON Feature: its square and its intensity (0..1) and weight."""

    type = fields.Constant("Feature")
    geometry = Polygon(attribute="polygon")
    properties = Part(HeatPropertiesOut, whole=True)


class HeatmapOut(CollectionOut):
    """The heat-map grid (see analytics.service.heatmap) as a FeatureCollection of cells."""

    parameters = Part(HeatParametersOut, whole=True)
    features = Part(HeatCellOut, many=True, attribute="cells")
