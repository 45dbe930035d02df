"""Hostile values in every field and row of a rubric: a 422 with the error envelope (or a 200), never a 500."""
import copy

from tests.fixtures.people import login
from tests.integration.evaluation.test_rubric import RUBRIC
from tests.property.test_hostile_api import HOSTILE_VALUES
from webapp.extensions import db
from webapp.models import EvaluationStage

PATHS = [("aggregation",), ("combination",), ("min_total",), ("tie_break",), ("tie_break", 0),
         ("show_evaluator_names",), ("objection_days",), ("stages",), ("stages", 0), ("stages", 0, "code"),
         ("stages", 0, "name"), ("stages", 1, "name_en"), ("stages", 0, "weight"), ("stages", 0, "gate_top"),
         ("stages", 0, "gate_min"), ("stages", 0, "criteria"), ("stages", 0, "criteria", 0),
         ("stages", 0, "criteria", 0, "code"), ("stages", 0, "criteria", 0, "max_score"),
         ("stages", 0, "criteria", 0, "weight"), ("stages", 0, "criteria", 0, "guidance")]
VALUES = HOSTILE_VALUES + [[{}], [None], [[]], {"a": [1]}]


def test_hostile_values_anywhere_in_a_rubric_never_break_the_server(client, admin, call):
    login(client, admin)
    unexpected = []
    for path in PATHS:
        for value in VALUES:
            body = copy.deepcopy(RUBRIC)
            target = body
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
            response = client.put(f"/api/v1/calls/{call.id}/rubric", json=body)
            error = (response.get_json(silent=True) or {}).get("error", {})
            if response.status_code not in (200, 422) or response.status_code == 422 and "fields" not in error:
                unexpected.append((path, repr(value)[:40], response.status_code, response.get_data(as_text=True)[:200]))
    assert not unexpected
    # What was accepted is a whole rubric: two stages, as sent or with a harmless value in place.
    assert db.session.query(EvaluationStage).count() == 2
