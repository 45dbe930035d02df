"""SQLAlchemy models, one module per area; importing this package registers them all."""
from webapp.models.audit import AuditEvent
from webapp.models.catalog import DIRECTIONS, DOMAINS, STANDARDS, THEMES, Kpi, Solution, solution_kpis
from webapp.models.evaluation import (
    AGGREGATIONS,
    COMBINATIONS,
    EvaluationCriterion,
    EvaluationSettings,
    EvaluationStage,
)
from webapp.models.geo import Municipality
from webapp.models.moderation import FLAG_REASONS, FLAGGABLE, Flag
from webapp.models.plans import (
    BASIS_POINTS,
    FUNDING_SOURCES,
    PLAN_STATUSES,
    BudgetLine,
    Call,
    KpiTarget,
    Milestone,
    Plan,
    PlanComment,
    PlanItem,
    PlanSite,
    PlanVersion,
    plan_item_proposals,
    plan_item_reports,
)
from webapp.models.proposals import (
    ANSWERS,
    PROPOSAL_STATUSES,
    Proposal,
    ProposalComment,
    ProposalVote,
    proposal_reports,
)
from webapp.models.reports import (
    CLOSE_REASONS,
    OPEN_STATUSES,
    STATUSES,
    Category,
    Comment,
    Report,
    ReportPhoto,
    StatusChange,
    Vote,
)
from webapp.models.users import ROLES, SCOPED_ROLES, RoleGrant, User

__all__ = [
    "BASIS_POINTS", "BudgetLine", "Call", "FUNDING_SOURCES", "KpiTarget", "Milestone", "PLAN_STATUSES", "Plan",
    "PlanComment", "PlanItem", "PlanSite", "PlanVersion", "plan_item_proposals", "plan_item_reports",
    "ANSWERS", "DIRECTIONS", "DOMAINS", "Kpi", "PROPOSAL_STATUSES", "Proposal", "ProposalComment", "ProposalVote",
    "STANDARDS", "Solution", "THEMES", "proposal_reports", "solution_kpis",
    "FLAG_REASONS", "FLAGGABLE", "Flag",
    "AGGREGATIONS", "COMBINATIONS", "EvaluationCriterion", "EvaluationSettings", "EvaluationStage",
    "AuditEvent", "Category", "CLOSE_REASONS", "Comment", "Municipality", "OPEN_STATUSES",
    "Report", "ReportPhoto", "ROLES", "RoleGrant", "SCOPED_ROLES", "STATUSES", "StatusChange", "User", "Vote",
]
