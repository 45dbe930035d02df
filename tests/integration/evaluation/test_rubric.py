"""A call's rubric: admins read it and replace it whole (validated row by row, all or nothing); the example one."""
import copy
from decimal import Decimal

import pytest

from tests.fixtures.people import login
from webapp.extensions import db
from webapp.models import AuditEvent, EvaluationCriterion, EvaluationSettings, EvaluationStage


def _criterion(code, name, max_score="20", weight="20", **kw):
    return {"code": code, "name": name, "name_en": "", "guidance": "", "guidance_en": "", "max_score": max_score,
            "weight": weight, **kw}


RUBRIC = {
    "aggregation": "mean", "combination": "weighted", "min_total": "60.5",
    "tie_break": ["feasibility", "submitted_at"], "show_evaluator_names": True, "objection_days": 14,
    "stages": [
        {"code": "document", "name": "서면평가", "name_en": "Document review", "guidance": "계획서를 읽고 평가합니다.",
         "guidance_en": "Read and score the plan.", "weight": "0.4", "gate_top": 6, "gate_min": "50",
         "criteria": [_criterion("innovation", "혁신성", "30", "25", name_en="Innovation"),
                      _criterion("feasibility", "실현가능성", "10", "12.5", guidance="예산과 일정")]},
        {"code": "presentation", "name": "발표평가", "name_en": "", "guidance": "", "guidance_en": "", "weight": "0.6",
         "gate_top": None, "gate_min": None,
         "criteria": [_criterion("feasibility", "실현가능성", "100", "100", name_en="Feasibility")]},
    ],
}
EXTRA = ("id", "display_name", "display_guidance", "max_total")


def _as_sent(rubric: dict) -> dict:
    """The rubric an API answer describes, without what the answer adds (ids, names in the viewer's language)."""
    body = {k: v for k, v in rubric.items() if k not in ("call", "locked")}
    body["stages"] = [{**{k: v for k, v in s.items() if k not in EXTRA},
                       "criteria": [{k: v for k, v in c.items() if k not in EXTRA} for c in s["criteria"]]}
                      for s in rubric["stages"]]
    return body


def _put(client, call, body):
    return client.put(f"/api/v1/calls/{call.id}/rubric", json=body)


def test_a_call_without_a_rubric_has_none_and_the_default_settings(client, admin, call):
    login(client, admin)
    response = client.get(f"/api/v1/calls/{call.id}/rubric")
    assert response.status_code == 200
    assert response.get_json() == {"call": call.id, "locked": False, "aggregation": "trimmed", "combination": "gates",
                                   "min_total": None, "tie_break": [], "show_evaluator_names": False,
                                   "objection_days": 7, "stages": []}


def test_put_then_get_gives_the_same_rubric(client, admin, call):
    login(client, admin)
    put = _put(client, call, RUBRIC)
    assert put.status_code == 200, put.get_json()
    got = client.get(f"/api/v1/calls/{call.id}/rubric")
    assert got.get_json() == put.get_json()
    assert _as_sent(got.get_json()) == RUBRIC
    document = got.get_json()["stages"][0]
    assert document["max_total"] == "37.5" and document["criteria"][1]["weight"] == "12.5"
    stored = db.session.query(EvaluationCriterion).filter_by(code="feasibility").order_by(EvaluationCriterion.id)
    assert [(c.max_score, c.weight) for c in stored] == [(Decimal("10"), Decimal("12.5")), (Decimal(100), Decimal(100))]
    assert db.session.get(EvaluationSettings, call.id).min_total == Decimal("60.5")


def test_names_and_guidance_follow_the_viewers_language_falling_back_to_korean(client, admin, call):
    login(client, admin)
    _put(client, call, RUBRIC)
    english = client.get(f"/api/v1/calls/{call.id}/rubric?lang=en").get_json()["stages"]
    assert [s["display_name"] for s in english] == ["Document review", "발표평가"]
    assert [c["display_name"] for c in english[0]["criteria"]] == ["Innovation", "실현가능성"]
    assert english[0]["display_guidance"] == "Read and score the plan."
    assert english[0]["criteria"][1]["display_guidance"] == "예산과 일정"
    korean = client.get(f"/api/v1/calls/{call.id}/rubric?lang=ko").get_json()["stages"]
    assert [s["display_name"] for s in korean] == ["서면평가", "발표평가"]


def test_replacing_replaces_everything_and_is_audited(client, admin, call):
    login(client, admin)
    _put(client, call, RUBRIC)
    smaller = {"stages": [{"code": "only", "name": "단일 평가", "criteria": [_criterion("impact", "효과", 5, 5)]}]}
    response = _put(client, call, smaller)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    # Settings not sent go back to their defaults: the rubric is replaced as a whole.
    assert (body["aggregation"], body["combination"], body["min_total"], body["tie_break"]) == (
        "trimmed", "gates", None, [])
    assert [(s["code"], s["weight"], [(c["code"], c["max_score"]) for c in s["criteria"]]) for s in body["stages"]] == [
        ("only", "1", [("impact", "5")])]
    assert db.session.query(EvaluationStage).count() == 1 and db.session.query(EvaluationCriterion).count() == 1
    events = db.session.query(AuditEvent).filter_by(action="evaluation.rubric_replace").order_by(AuditEvent.id).all()
    assert [(e.target_type, e.target_id, e.data["stages"], e.data["criteria"]) for e in events] == [
        ("Call", call.id, ["document", "presentation"], 3), ("Call", call.id, ["only"], 1)]


def _bad(**changes):
    """RUBRIC with the changes applied: keys are paths such as "stages.0.criteria.1.max_score"."""
    body = copy.deepcopy(RUBRIC)
    for path, value in changes.items():
        *parents, last = path.split(".")
        target = body
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return body


def _remove(body: dict, path: str) -> dict:
    *parents, last = path.split(".")
    target = body
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    del target[last]
    return body


CASES = {
    "no stages": (_bad(stages=[]), ("stages",)),
    "stages missing": (_remove(copy.deepcopy(RUBRIC), "stages"), ("stages",)),
    "a stage without criteria": (_bad(**{"stages.1.criteria": []}), ("stages", "1", "criteria")),
    "a stage code twice": (_bad(**{"stages.1.code": "document"}), ("stages", "1", "code")),
    "a criterion code twice in a stage": (_bad(**{"stages.0.criteria.1.code": "innovation"}),
                                          ("stages", "0", "criteria", "1", "code")),
    "a code that is no code": (_bad(**{"stages.0.code": "Document review"}), ("stages", "0", "code")),
    "a criterion named like a tie-break key": (_bad(**{"stages.0.criteria.0.code": "submitted_at"}),
                                               ("stages", "0", "criteria", "0", "code")),
    "a maximum of 0": (_bad(**{"stages.0.criteria.1.max_score": "0"}), ("stages", "0", "criteria", "1", "max_score")),
    "a negative maximum": (_bad(**{"stages.0.criteria.1.max_score": "-5"}),
                           ("stages", "0", "criteria", "1", "max_score")),
    "a maximum with three decimals": (_bad(**{"stages.0.criteria.1.max_score": "12.345"}),
                                      ("stages", "0", "criteria", "1", "max_score")),
    "a maximum as a float": (_bad(**{"stages.0.criteria.1.max_score": 12.5}),
                             ("stages", "0", "criteria", "1", "max_score")),
    "a maximum that is no number": (_bad(**{"stages.0.criteria.1.max_score": "NaN"}),
                                    ("stages", "0", "criteria", "1", "max_score")),
    "a weight of 0": (_bad(**{"stages.1.criteria.0.weight": "0"}), ("stages", "1", "criteria", "0", "weight")),
    "a weight with three decimals": (_bad(**{"stages.1.criteria.0.weight": "0.125"}),
                                     ("stages", "1", "criteria", "0", "weight")),
    "a criterion without a maximum": (_remove(copy.deepcopy(RUBRIC), "stages.0.criteria.0.max_score"),
                                      ("stages", "0", "criteria", "0", "max_score")),
    "a tie-break key naming no criterion": (_bad(tie_break=["feasibility", "charm"]), ("tie_break", "1")),
    "a tie-break key twice": (_bad(tie_break=["submitted_at", "submitted_at"]), ("tie_break", "1")),
    "a top-N gate on the last stage": (_bad(**{"stages.1.gate_top": 3}), ("stages", "1", "gate_top")),
    "a minimum gate on the last stage": (_bad(**{"stages.1.gate_min": "70"}), ("stages", "1", "gate_min")),
    "a gate on the only stage": (_bad(stages=[RUBRIC["stages"][0]]), ("stages", "0", "gate_top")),
    "a gate of no plans": (_bad(**{"stages.0.gate_top": 0}), ("stages", "0", "gate_top")),
    "a weighted sum with a stage weighing 0": (_bad(**{"stages.1.weight": "0"}), ("stages", "1", "weight")),
    "an unknown aggregation": (_bad(aggregation="median"), ("aggregation",)),
    "an unknown combination": (_bad(combination="product"), ("combination",)),
    "a negative minimum total": (_bad(min_total="-1"), ("min_total",)),
    "no objection period": (_bad(objection_days=0), ("objection_days",)),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_rubric_is_refused_with_the_field_named(client, admin, call, case):
    body, path = CASES[case]
    login(client, admin)
    response = _put(client, call, body)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    messages = error["fields"]
    for part in path:
        assert part in messages, (case, error["fields"])
        messages = messages[part]
    assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages)
    assert db.session.query(EvaluationStage).count() == 0


def test_the_same_criterion_code_may_return_in_another_stage_and_gates_with_either_combination(client, admin, call):
    login(client, admin)
    assert _put(client, call, {**RUBRIC, "combination": "gates"}).status_code == 200
    unweighted = _bad(**{"stages.0.weight": "0"}, combination="gates")  # stage weights count only when weighted
    assert _put(client, call, unweighted).status_code == 200


def test_messages_are_in_the_viewers_language(client, admin, call):
    login(client, admin)
    response = client.put(f"/api/v1/calls/{call.id}/rubric?lang=en", json=_bad(**{"stages.1.gate_top": 3}))
    assert response.get_json()["error"]["fields"]["stages"]["1"]["gate_top"] == [
        "Only a stage followed by another stage can have a pass gate."]


def test_a_bad_second_stage_leaves_the_rubric_as_it_was(client, admin, call):
    login(client, admin)
    first = _put(client, call, RUBRIC).get_json()
    bad = {"stages": [RUBRIC["stages"][0], {**RUBRIC["stages"][1], "criteria": [
        _criterion("feasibility", "실현가능성", "0", "100")]}]}
    refused = _put(client, call, bad)
    assert refused.status_code == 422
    assert list(refused.get_json()["error"]["fields"]["stages"]) == ["1"]
    assert client.get(f"/api/v1/calls/{call.id}/rubric").get_json() == first


def test_a_write_the_database_refuses_half_way_changes_nothing(ctx, admin, call):
    """Past validation (a caller that skipped it): the second stage breaks a CHECK, the first is not kept either."""
    from webapp.errors import Conflict
    from webapp.evaluation import service as evaluation

    def stored():
        stages = evaluation.get_rubric(admin, call.id).stages
        return [(s.code, [(c.code, c.max_score) for c in s.criteria]) for s in stages]

    evaluation.install_example_rubric(admin, call.id)

    before = stored()
    data = evaluation.example_rubric(2)
    data["stages"][0]["code"] = "written"
    data["stages"][1]["criteria"][0]["max_score"] = Decimal(0)
    with pytest.raises(Conflict):
        evaluation.replace_rubric(admin, call.id, data)
    db.session.expire_all()
    after = stored()
    assert after == before and after[0][0] == "document"
    assert db.session.query(AuditEvent).filter_by(action="evaluation.rubric_replace").count() == 1


def test_only_admins_read_and_replace_rubrics(client, call, planner, resident, admin):
    assert client.get(f"/api/v1/calls/{call.id}/rubric").status_code == 401
    assert _put(client, call, RUBRIC).status_code == 401
    for user in (planner, resident):
        login(client, user)
        assert client.get(f"/api/v1/calls/{call.id}/rubric").status_code == 403
        assert _put(client, call, RUBRIC).status_code == 403
        client.post("/auth/logout")
    assert db.session.query(EvaluationStage).count() == 0
    login(client, admin)
    assert client.get("/api/v1/calls/999999/rubric").status_code == 404
    assert client.put("/api/v1/calls/999999/rubric", json=RUBRIC).status_code == 404


def test_the_example_rubric_has_the_programmes_five_criteria_labelled_as_an_example(client, ctx, admin, call):
    from webapp.evaluation import service as evaluation
    from webapp.evaluation.rubric import Gate

    rubric = evaluation.install_example_rubric(admin, call.id)
    assert [s.code for s in rubric.stages] == ["document", "presentation"]
    for stage in rubric.stages:
        assert [c.name for c in stage.criteria] == ["혁신성", "체감성과", "거버넌스", "실현가능성", "확산가능성"]
        assert all((c.max_score, c.weight) == (Decimal(20), Decimal(20)) for c in stage.criteria)
        assert all(c.guidance.startswith("[예시]") and c.guidance_en.startswith("[Example]") for c in stage.criteria)
        assert stage.guidance.startswith("[예시]") and stage.guidance_en.startswith("[Example]")
    assert (rubric.stages[0].gate_top, rubric.stages[1].gate_top) == (6, None)  # twice the call's 3 selections
    assert (rubric.settings.combination, rubric.settings.aggregation) == ("gates", "trimmed")
    # The scoring arithmetic takes it as it is.
    rule = evaluation.call_rule(evaluation.get_rubric(admin, call.id))
    assert rule.stages[0].gate == Gate(top=6) and rule.combination == "gates"
    assert [c.code for c in rule.stages[1].criteria] == ["innovation", "felt_results", "governance", "feasibility",
                                                         "spread"]
    # And it passes the API's own validation: what GET shows can be PUT back unchanged.
    login(client, admin)
    shown = client.get(f"/api/v1/calls/{call.id}/rubric").get_json()
    again = _put(client, call, _as_sent(shown))
    assert again.status_code == 200, again.get_json()
    assert _as_sent(again.get_json()) == _as_sent(shown)


def test_the_example_rubric_is_for_admins_only(ctx, planner, call):
    from webapp.errors import Forbidden
    from webapp.evaluation import service as evaluation

    with pytest.raises(Forbidden):
        evaluation.install_example_rubric(planner, call.id)
    assert db.session.query(EvaluationStage).count() == 0
