"""Catalogue solutions likely to fit a report: by its category's domains, by what similar reports got,
and by the report naming the solution's subject (e.g. a "횡단보도" in the title)."""
import re
from dataclasses import dataclass, field

from flask_babel import gettext, ngettext
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Proposal, Report, Solution, proposal_reports

# Which solution domains answer each report category, the most direct first.
CATEGORY_DOMAINS = {
    "traffic": ("transport", "transport_safety", "infrastructure"),
    "safety": ("safety", "transport_safety", "disaster"),
    "environment": ("environment", "energy"),
    "energy": ("energy", "environment"),
    "water_disaster": ("disaster", "water", "safety"),
    "waste": ("waste", "environment"),
    "welfare": ("welfare", "safety"),
    "living": ("infrastructure", "governance", "economy"),
}
# The most direct domain fits best; a history of proposals adds to (and can outweigh) the fit.
FIT_WEIGHTS = (3, 2, 1)
# An accepted proposal says more than an open one; "not feasible" says nothing in favour.
STATUS_WEIGHTS = {"accepted": 2, "open": 1, "not_now": 1, "not_feasible": 0}
# A report that names what a solution is about ("횡단보도", "streetlight") says more than its category.
MENTION_WEIGHT = 3
# Words too general to say anything about which solution fits.
GENERIC_WORDS = {"스마트", "smart", "ai", "iot", "교통", "system", "시스템", "and", "for", "the"}
LIMIT = 5


@dataclass
class Suggestion:
    solution: Solution
    score: int
    fit: int = 0
    proposals: int = 0
    accepted: int = 0
    mentioned: str = ""
    reports: set = field(default_factory=set)

    @property
    def reasons(self) -> list[str]:
        """Short translated explanations of why this solution is suggested."""
        out = []
        if self.mentioned:
            out.append(gettext("the report mentions “%(word)s”", word=self.mentioned))
        if self.fit:
            out.append(gettext("fits the category"))
        if self.reports:
            out.append(ngettext("proposed for %(num)d similar report", "proposed for %(num)d similar reports",
                                len(self.reports)))
        if self.accepted:
            out.append(ngettext("accepted for planning %(num)d time", "accepted for planning %(num)d times",
                                self.accepted))
        return out


def _fit(category_code: str) -> dict[str, int]:
    return {domain: FIT_WEIGHTS[min(i, len(FIT_WEIGHTS) - 1)]
            for i, domain in enumerate(CATEGORY_DOMAINS.get(category_code, ()))}


def _subject_words(solution: Solution) -> list[str]:
    words = re.findall(r"\w+", f"{solution.name} {solution.name_en}".lower())
    return [w for w in words if len(w) >= 2 and w not in GENERIC_WORDS]


def _mention(solution: Solution, text: str) -> str:
    """The first subject word of the solution that the report's text contains, or ""."""
    return next((w for w in _subject_words(solution) if w in text), "")


def _history(report: Report):
    """(solution id, proposal id, status, report id) for proposals naming a solution for similar reports."""
    stmt = (
        select(Proposal.solution_id, Proposal.id, Proposal.status, proposal_reports.c.report_id)
        .join(proposal_reports, proposal_reports.c.proposal_id == Proposal.id)
        .join(Report, Report.id == proposal_reports.c.report_id)
        .where(Report.category_id == report.category_id, Report.id != report.id)
        .where(Proposal.solution_id.isnot(None), Proposal.status != "not_feasible")
        .where(Proposal.hidden_at.is_(None), Report.hidden_at.is_(None))
        # Proposals that already address this report are not "what similar reports got".
        .where(Proposal.id.not_in(
            select(proposal_reports.c.proposal_id).where(proposal_reports.c.report_id == report.id)
        ))
    )
    return db.session.execute(stmt).all()


def for_report(report: Report, limit: int = LIMIT) -> list[Suggestion]:
    """Active catalogue solutions for the report, best first (at most `limit`)."""
    if report.hidden:
        return []  # a reason such as "the report mentions ..." would quote the hidden text
    fit = _fit(report.category.code)
    solutions = {s.id: s for s in db.session.scalars(select(Solution).where(Solution.retired.is_(False)))}
    text = f"{report.title} {report.description}".lower()
    found: dict[int, Suggestion] = {}
    for solution in solutions.values():
        points = fit.get(solution.domain, 0)
        mentioned = _mention(solution, text)
        if points or mentioned:
            found[solution.id] = Suggestion(solution, points + (MENTION_WEIGHT if mentioned else 0),
                                            fit=points, mentioned=mentioned)
    counted = set()
    for solution_id, proposal_id, status, report_id in _history(report):
        if solution_id not in solutions:
            continue  # retired since
        entry = found.setdefault(solution_id, Suggestion(solutions[solution_id], 0))
        entry.reports.add(report_id)
        if (solution_id, proposal_id) in counted:
            continue  # a proposal for several similar reports counts once
        counted.add((solution_id, proposal_id))
        entry.proposals += 1
        entry.accepted += status == "accepted"
        entry.score += STATUS_WEIGHTS.get(status, 0)
    ranked = sorted(found.values(), key=lambda s: (-s.score, -len(s.reports), -s.fit, s.solution.code))
    return ranked[:limit]
