"""Plan output: one plan and one item shape for the API and the stored snapshot, the rule check, versions."""
from typing import NamedTuple

from geoalchemy2.shape import to_shape
from marshmallow import Schema, fields
from shapely.geometry import mapping

from webapp.core import money
from webapp.core.output import MunicipalityOut, OutSchema, Part, UtcTime, Viewer
from webapp.plans.schemas.input import DecimalText

# Output. A plan and its items have one shape, the snapshot's: the API dumps the live plan with it, and a
# submission stores it (PlanVersion.snapshot, read back by the public, print and comparison pages and the
# documents). Stored snapshots never change, so the shape only ever gains keys; snapshots stored before
# the ids of solutions and KPIs were added lack those two.
SNAPSHOT_FORMAT = 1


class Votes(NamedTuple):
    """Support counted by a query: report id -> votes, proposal id -> votes (absent means none)."""

    reports: dict
    proposals: dict


class CallTermsOut(Schema):
    """The terms of the call a plan answers: its window (UTC) and its limits (whole KRW, basis points)."""

    id = fields.Integer()
    title = fields.String()
    year = fields.Integer()
    opens_at = UtcTime()
    closes_at = UtcTime()
    cap_total = fields.Integer()
    max_national_share_bp = fields.Integer()
    max_national_amount = fields.Integer()
    build_months = fields.Integer()


class ItemSolutionOut(Schema):
    """The catalogue solution an item deploys, named in both languages."""

    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    domain = fields.String()


class TargetKpiOut(Schema):
    """The library KPI a target measures, named in both languages."""

    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    unit = fields.String()
    unit_en = fields.String()
    direction = fields.String()


class LinkedReportOut(Schema):
    """A resident's report an item answers: its title, status, support, category and place."""

    id = fields.Integer()
    title = fields.String()
    status = fields.String()
    votes = fields.Method("_votes")
    category = fields.Function(lambda report: report.category.code)
    lon = fields.Function(lambda report: to_shape(report.geom).x)
    lat = fields.Function(lambda report: to_shape(report.geom).y)

    def __init__(self, votes: dict, **kw):
        super().__init__(**kw)
        self.votes = votes

    def _votes(self, report) -> int:
        return self.votes.get(report.id, 0)


class LinkedProposalOut(Schema):
    """A resident's proposal an item answers: what it proposes in both languages, and its support."""

    id = fields.Integer()
    title = fields.Function(lambda proposal: proposal.display_title("ko"))
    title_en = fields.Function(lambda proposal: proposal.display_title("en"))
    votes = fields.Method("_votes")

    def __init__(self, votes: dict, **kw):
        super().__init__(**kw)
        self.votes = votes

    def _votes(self, proposal) -> int:
        return self.votes.get(proposal.id, 0)


class SiteOut(Schema):
    """Where an item is built, as a GeoJSON geometry."""

    id = fields.Integer()
    name = fields.String()
    geometry = fields.Function(lambda site: mapping(to_shape(site.geom)))


class BudgetLineOut(Schema):
    source = fields.String()
    amount = fields.Integer()
    year = fields.Integer()
    description = fields.String()


class KpiTargetOut(Schema):
    kpi = fields.Nested(TargetKpiOut)
    baseline_value = DecimalText()
    baseline_on = fields.Date()
    target_value = DecimalText()
    target_on = fields.Date()
    method = fields.String()


class MilestoneOut(Schema):
    title = fields.String()
    due_on = fields.Date()


class PlanItemOut(OutSchema):
    """A plan item: its solution, the reports and proposals it answers (with `votes` counted for them),
    its sites, budget lines ("budget"), KPI targets and milestones."""

    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    solution = fields.Nested(ItemSolutionOut, allow_none=True)
    reports = fields.Method("_reports")
    proposals = fields.Method("_proposals")
    sites = fields.List(fields.Nested(SiteOut))
    budget = fields.List(fields.Nested(BudgetLineOut), attribute="budget_lines")
    kpi_targets = fields.List(fields.Nested(KpiTargetOut))
    milestones = fields.List(fields.Nested(MilestoneOut))

    def __init__(self, viewer: Viewer, votes: Votes, **kw):
        super().__init__(viewer, **kw)
        self._linked_reports = LinkedReportOut(votes.reports, many=True)
        self._linked_proposals = LinkedProposalOut(votes.proposals, many=True)

    def _reports(self, item) -> list:
        return self._linked_reports.dump(item.reports)

    def _proposals(self, item) -> list:
        return self._linked_proposals.dump(item.proposals)


class PlanOut(OutSchema):
    """A plan's own fields as a snapshot keeps them: the municipality named in both languages (a stored
    snapshot is the same in every language), and the terms of its call."""

    id = fields.Integer()
    title = fields.String()
    summary = fields.String()
    goals = fields.String()
    municipality = Part(MunicipalityOut, only=("code", "name", "name_en"))
    call = fields.Nested(CallTermsOut)


class PlanStateOut(PlanOut):
    """A live plan as listed: its fields, status, submitted version numbers and budget totals by source."""

    municipality = Part(MunicipalityOut)  # with its name in the viewer's language
    status = fields.String()
    versions = fields.Function(lambda plan: [v.number for v in plan.versions])
    totals = fields.Function(lambda plan: money.totals(plan.items))


class PlanListOut(OutSchema):
    """The plans the viewer may see, dumped from the list of them."""

    plans = fields.Method("_plans")

    def _plans(self, plans) -> list:
        return PlanStateOut(self.viewer).dump(plans, many=True)


class PlanDetailOut(PlanStateOut):
    """A live plan with its items (`votes` counted for the reports and proposals they answer)."""

    items = fields.Method("_items")

    def __init__(self, viewer: Viewer, votes: Votes, **kw):
        super().__init__(viewer, **kw)
        self._item_out = PlanItemOut(viewer, votes, many=True)

    def _items(self, plan) -> list:
        return self._item_out.dump(plan.items)


class SnapshotOut(OutSchema):
    """The whole plan as stored on submission: format, the plan's fields, its items and its totals."""

    format = fields.Constant(SNAPSHOT_FORMAT)
    plan = fields.Method("_plan")
    items = fields.Method("_items")
    totals = fields.Function(lambda plan: money.totals(plan.items))

    def __init__(self, viewer: Viewer, votes: Votes, **kw):
        super().__init__(viewer, **kw)
        self._item_out = PlanItemOut(viewer, votes, many=True)

    def _plan(self, plan) -> dict:
        return PlanOut(self.viewer).dump(plan)

    def _items(self, plan) -> list:
        return self._item_out.dump(plan.items)


class ViolationOut(Schema):
    """A broken rule as shown: its code, numbers, the item at fault and the message in the viewer's language."""

    code = fields.String()
    params = fields.Dict()
    item_id = fields.Integer(allow_none=True)
    message = fields.String()


class CheckOut(OutSchema):
    """The rule check of a plan (a `webapp.plans.rules.Outcome`): violations, the totals checked, the share,
    both as the pages write them, and whether the plan may be submitted as saved."""

    violations = fields.List(fields.Nested(ViolationOut))
    totals = fields.Dict()
    national_share_bp = fields.Method("_share")
    # As the pages write them, so the editor shows the server's numbers (JSON numbers lose digits in JS).
    shown = fields.Method("_shown")
    # Unsaved amounts are only a preview: what is submitted is what is saved.
    can_submit = fields.Function(lambda outcome: not outcome.violations and not outcome.preview)
    preview = fields.Boolean()

    def _share(self, outcome) -> int:
        return money.share_bp(outcome.totals["national"], outcome.totals["total"])

    def _shown(self, outcome) -> dict:
        return {**{key: money.grouped(value) for key, value in outcome.totals.items()},
                "national_share": money.percent(self._share(outcome))}


class SubmittedOut(OutSchema):
    """The answer to a submission: the plan, the number of the version it became, and its new status."""

    plan = fields.Integer(attribute="plan_id")
    version = fields.Integer(attribute="number")
    status = fields.Constant("submitted")


class VersionOut(Schema):
    """A submitted version as listed in the history (no snapshot body)."""

    number = fields.Integer()
    submitted_at = UtcTime()
    submitted_by = fields.Function(lambda version: version.submitted_by.display_name)
    title = fields.Function(lambda version: version.snapshot.get("plan", {}).get("title"))
    items = fields.Function(lambda version: len(version.snapshot.get("items", [])))
    totals = fields.Function(lambda version: version.snapshot.get("totals", {}))


class VersionListOut(OutSchema):
    """A plan's versions, dumped from {"plan": plan, "versions": [PlanVersion, ...]}."""

    plan = fields.Function(lambda listing: listing["plan"].id)
    versions = fields.List(fields.Nested(VersionOut))


class ItemComparisonOut(Schema):
    """One item of a comparison: same/changed/added/removed, the item in each snapshot, and what changed."""

    status = fields.String()
    a = fields.Raw(allow_none=True)
    b = fields.Raw(allow_none=True)
    changes = fields.Dict()


class CompareOut(OutSchema):
    """The comparison of two snapshots (webapp.plans.versions.compare) and the references compared
    (a version number or "draft"). Items and entries are the snapshots' own, as stored."""

    a = fields.Raw()
    b = fields.Raw()
    plan = fields.Dict()
    totals = fields.Dict()
    items = fields.List(fields.Nested(ItemComparisonOut))
    changed = fields.Boolean()
