"""A call's evaluation rubric: read it, replace it as a whole (admins), install the programme's example."""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from webapp.core import audit
from webapp.core.db import first_or_404, get_or_404
from webapp.core.time import utcnow
from webapp.errors import Conflict
from webapp.evaluation.rubric import SUBMITTED_AT, CallRule, CriterionRule, Gate, StageRule
from webapp.extensions import db
from webapp.models import Call, EvaluationCriterion, EvaluationSettings, EvaluationStage
from webapp.permissions import require

# What a call without stored settings has: trimmed means, pass gates, no minimum, a 7-day objection period.
DEFAULT_SETTINGS = {"aggregation": "trimmed", "combination": "gates", "min_total": None, "tie_break": [],
                    "show_evaluator_names": False, "objection_days": 7}
SETTINGS = tuple(DEFAULT_SETTINGS)
STAGE_FIELDS = ("code", "name", "name_en", "guidance", "guidance_en", "weight", "gate_top", "gate_min")
CRITERION_FIELDS = ("code", "name", "name_en", "guidance", "guidance_en", "max_score", "weight")


@dataclass(frozen=True)
class Rubric:
    """A call's rubric as stored: its settings (defaults when none are stored) and its stages in order."""

    call_id: int
    settings: EvaluationSettings
    stages: list[EvaluationStage]
    locked: bool


def rubric_locked(call: Call) -> bool:
    """Whether the call's rubric can no longer be replaced.

    Once any plan of the call is being scored, its sheets refer to these stages and criteria, so scoring will
    lock the rubric; no plan is scored yet, so a rubric is never locked for now.
    """
    return False


def _stages(call_id: int) -> list[EvaluationStage]:
    return list(db.session.scalars(
        select(EvaluationStage).where(EvaluationStage.call_id == call_id).order_by(EvaluationStage.position)))


def _settings(call_id: int) -> EvaluationSettings:
    stored = db.session.get(EvaluationSettings, call_id)
    # Not added to the session: a call without a stored row simply has the defaults.
    return stored or EvaluationSettings(call_id=call_id, **{**DEFAULT_SETTINGS, "tie_break": []})


def _rubric(call: Call) -> Rubric:
    return Rubric(call.id, _settings(call.id), _stages(call.id), rubric_locked(call))


def get_rubric(user, call_id: int) -> Rubric:
    """The call's rubric and settings (admins)."""
    require(user, "evaluation.manage")
    return _rubric(get_or_404(Call, call_id))


def replace_rubric(user, call_id: int, data: dict) -> Rubric:
    """Replace the call's whole rubric, settings included, with `data` (RubricIn's shape), all or nothing (admins).

    A Conflict once the rubric is locked (scoring has begun), or when another replacement of it ran at once.
    """
    require(user, "evaluation.manage")
    # Locks the call's row on PostgreSQL, so replacements of one call's rubric run one after the other.
    call = first_or_404(select(Call).where(Call.id == call_id).with_for_update())
    if rubric_locked(call):
        db.session.rollback()
        raise Conflict(_l("Plans of this call are being scored: its rubric can no longer be replaced."))
    try:
        _write(call, data)
        audit.record(user, "evaluation.rubric_replace", call,
                     stages=[s["code"] for s in data["stages"]],
                     criteria=sum(len(s["criteria"]) for s in data["stages"]),
                     aggregation=data.get("aggregation"), combination=data.get("combination"))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("The rubric was changed at the same time. Reload it and try again.")) from None
    except Exception:
        db.session.rollback()
        raise
    return _rubric(call)


def _write(call: Call, data: dict) -> None:
    stage_ids = select(EvaluationStage.id).where(EvaluationStage.call_id == call.id)
    db.session.execute(delete(EvaluationCriterion).where(EvaluationCriterion.stage_id.in_(stage_ids)))
    db.session.execute(delete(EvaluationStage).where(EvaluationStage.call_id == call.id))
    settings = db.session.get(EvaluationSettings, call.id)
    if settings is None:
        settings = EvaluationSettings(call_id=call.id)
        db.session.add(settings)
    for name in SETTINGS:
        setattr(settings, name, data.get(name, DEFAULT_SETTINGS[name]))
    settings.tie_break = list(settings.tie_break)
    settings.updated_at = utcnow()
    for i, stage in enumerate(data["stages"]):
        db.session.add(EvaluationStage(
            call_id=call.id, position=i, **{name: stage[name] for name in STAGE_FIELDS if name in stage},
            criteria=[EvaluationCriterion(position=j, **{name: c[name] for name in CRITERION_FIELDS if name in c})
                      for j, c in enumerate(stage["criteria"])]))
    db.session.flush()


def call_rule(rubric: Rubric) -> CallRule:
    """The rubric as the scoring arithmetic's rule (stages in order, their criteria, gates and settings)."""
    stages = tuple(
        StageRule(
            code=stage.code,
            criteria=tuple(CriterionRule(c.code, Decimal(c.max_score), Decimal(c.weight))
                           for c in stage.criteria),
            weight=Decimal(stage.weight),
            gate=(Gate(top=stage.gate_top, minimum=stage.gate_min)
                  if stage.gate_top is not None or stage.gate_min is not None else None),
        )
        for stage in rubric.stages
    )
    settings = rubric.settings
    return CallRule(stages=stages, aggregation=settings.aggregation, min_total=settings.min_total,
                    tie_break=tuple(settings.tie_break), combination=settings.combination)


# The programme's published criteria; their points were not published in a form we could confirm, so these
# 20 points each are an example for the administrator to adjust per call (the guidance says so).
EXAMPLE_CRITERIA = (
    ("innovation", "혁신성", "Innovation",
     "새로운 기술과 서비스로 도시 문제를 얼마나 새롭게 해결하는가",
     "How new the solutions' way of solving the city's problems is"),
    ("felt_results", "체감성과", "Results residents feel",
     "주민이 일상에서 체감할 성과와 그 측정 지표",
     "Results residents will feel in daily life, and the indicators measuring them"),
    ("governance", "거버넌스", "Governance (resident participation)",
     "주민이 문제 발굴, 해결책 선정과 목표 설정에 참여한 정도",
     "How residents took part in finding problems, choosing solutions and setting targets"),
    ("feasibility", "실현가능성", "Feasibility",
     "예산, 일정, 추진체계와 운영계획의 실현 가능성",
     "Whether the budget, schedule, organisation and operation plan can be carried out"),
    ("spread", "확산가능성", "Potential to spread",
     "다른 도시로 확산할 수 있는 정도",
     "How well the solutions can spread to other cities"),
)
EXAMPLE_NOTE = ("[예시] 공모에 맞게 기준과 배점을 정하세요. ", "[Example] Set the criteria and points for this call. ")


def example_rubric(selections: int) -> dict:
    """The example rubric (RubricIn's loaded shape): document review, then presentation, with the five criteria.

    20 points each, weight 20 (stage totals out of 100); the top 2 x `selections` plans of the document review go on
    to the presentations, whose score decides; ties go to the higher feasibility score, then the earlier submission.
    """
    criteria = [{"code": code, "name": name, "name_en": name_en, "guidance": EXAMPLE_NOTE[0] + guidance,
                 "guidance_en": EXAMPLE_NOTE[1] + guidance_en, "max_score": Decimal(20), "weight": Decimal(20)}
                for code, name, name_en, guidance, guidance_en in EXAMPLE_CRITERIA]
    top = 2 * selections
    stages = [
        {"code": "document", "name": "서면평가", "name_en": "Document review", "weight": Decimal(1),
         "guidance": f"{EXAMPLE_NOTE[0]}서면평가 상위 {top}개 계획(선정 수의 2배)이 발표평가에 오릅니다.",
         "guidance_en": f"{EXAMPLE_NOTE[1]}The top {top} plans (twice the number of selections) go on to the "
                        "presentations.",
         "gate_top": top, "gate_min": None, "criteria": criteria},
        {"code": "presentation", "name": "발표평가", "name_en": "Presentation", "weight": Decimal(1),
         "guidance": f"{EXAMPLE_NOTE[0]}발표평가 점수로 순위를 정합니다.",
         "guidance_en": f"{EXAMPLE_NOTE[1]}The presentation scores decide the ranking.",
         "gate_top": None, "gate_min": None, "criteria": [dict(c) for c in criteria]},
    ]
    return {**DEFAULT_SETTINGS, "aggregation": "trimmed", "combination": "gates",
            "tie_break": ["feasibility", SUBMITTED_AT], "stages": stages}


def install_example_rubric(user, call_id: int) -> Rubric:
    """Replace the call's rubric with the programme's example (admins), sized to the call's number of selections."""
    require(user, "evaluation.manage")
    call = get_or_404(Call, call_id)
    return replace_rubric(user, call_id, example_rubric(call.selections))
