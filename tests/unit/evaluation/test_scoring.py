"""Known answers of the scoring arithmetic, each worked out by hand in the comment beside it."""
from datetime import datetime, timezone
from decimal import Decimal as D

import pytest

from webapp.evaluation.rubric import CallRule, CriterionRule, Gate, InvalidPoints, StageRule, point_problems
from webapp.evaluation.scoring import aggregate, evaluator_total, rank, shown

# Two criteria of 50 points each, weighted as their maxima: a stage total is the plain sum of the points.
PLAIN = (CriterionRule("innov", D(50), D(50)), CriterionRule("feas", D(50), D(50)))


def sheet(innov, feas):
    return {"innov": D(innov), "feas": D(feas)}


def totals_as_sheets(totals):
    """Sheets of the PLAIN criteria whose totals are the given ones (all points on `innov` up to 50)."""
    return {e: sheet(min(t, 50), t - min(t, 50)) for e, t in totals.items()}


def one_stage(aggregation="mean", **kw):
    return CallRule(stages=(StageRule("doc", PLAIN),), aggregation=aggregation, **kw)


def two_stages(doc_gate=None, **kw):
    return CallRule(stages=(StageRule("doc", PLAIN, gate=doc_gate), StageRule("pres", PLAIN)), **kw)


def at(hour, minute=0):
    return datetime(2026, 4, 30, hour, minute, tzinfo=timezone.utc)


# Trimmed mean --------------------------------------------------------------------------------------------------

def test_trimmed_mean_of_five_drops_one_copy_of_a_tied_highest():
    # [70, 90, 90, 80, 60]: one 90 (evaluator 2, the lower id) and the 60 go; (70 + 90 + 80) / 3 = 80.
    assert aggregate({1: D(70), 2: D(90), 3: D(90), 4: D(80), 5: D(60)}, "trimmed") == (D(80), (2, 5))


def test_trimmed_mean_of_six_drops_exactly_two():
    # Drop 91 (evaluator 4) and 65 (evaluator 3); (72 + 88 + 79 + 84) / 4 = 323 / 4 = 80.75.
    totals = {1: D(72), 2: D(88), 3: D(65), 4: D(91), 5: D(79), 6: D(84)}
    assert aggregate(totals, "trimmed") == (D("80.75"), (4, 3))


def test_four_scores_are_a_plain_mean_even_when_trimmed():
    # Below five totals nothing is dropped: (70 + 90 + 85 + 60) / 4 = 76.25.
    assert aggregate({1: D(70), 2: D(90), 3: D(85), 4: D(60)}, "trimmed") == (D("76.25"), ())


def test_mean_never_drops():
    # (70 + 90 + 90 + 80 + 60) / 5 = 78.
    assert aggregate({1: D(70), 2: D(90), 3: D(90), 4: D(80), 5: D(60)}, "mean") == (D(78), ())


def test_ties_at_top_and_bottom_drop_the_lowest_evaluator_id_whatever_the_order_given():
    # 95 twice (evaluators 2, 4) and 60 twice (3, 5): evaluators 2 and 3 go; (80 + 95 + 60 + 75) / 4 = 77.5.
    totals = {4: D(95), 5: D(60), 2: D(95), 3: D(60), 1: D(80), 6: D(75)}
    assert aggregate(totals, "trimmed") == (D("77.5"), (2, 3))


def test_all_equal_totals_drop_the_two_lowest_ids():
    assert aggregate({3: D(80), 1: D(80), 2: D(80), 5: D(80), 4: D(80)}, "trimmed") == (D(80), (1, 2))


def test_no_totals_have_no_aggregate():
    assert aggregate({}, "trimmed") == (None, ())


def test_a_ranked_stage_shows_every_total_the_dropped_ones_and_criterion_means():
    totals = {1: 70, 2: 90, 3: 90, 4: 80, 5: 60}
    result = rank(one_stage("trimmed"), {"doc": {7: totals_as_sheets(totals)}}).plan(7).stage("doc")
    assert result.totals == {1: D(70), 2: D(90), 3: D(90), 4: D(80), 5: D(60)}
    assert result.dropped == (2, 5)
    assert result.aggregate == D(80)
    # Kept evaluators 1, 3, 4: innov (50 + 50 + 50) / 3 = 50, feas (20 + 40 + 30) / 3 = 30; 50 + 30 = 80.
    assert result.criterion_means == {"innov": D(50), "feas": D(30)}
    assert result.passed is True


# Weights -------------------------------------------------------------------------------------------------------

WEIGHTED = (CriterionRule("innov", D(30), D(20)), CriterionRule("feas", D(10), D(30)),
            CriterionRule("gov", D(50), D(50)))


def test_criteria_contribute_points_over_maximum_times_weight():
    # 21/30*20 = 14, 7/10*30 = 21, 35/50*50 = 35: 70.
    assert evaluator_total(WEIGHTED, {"innov": D(21), "feas": D(7), "gov": D(35)}) == D(70)
    # 7.5/30*20 = 5, 10/10*30 = 30, 0: 35.
    assert evaluator_total(WEIGHTED, {"innov": D("7.5"), "feas": D(10), "gov": D(0)}) == D(35)


def test_weights_equal_to_maxima_give_the_plain_sum_exactly():
    # 7/30*30 would be 6.99...9 in 28-digit decimals; the arithmetic is exact.
    rule = (CriterionRule("a", D(30), D(30)), CriterionRule("b", D(70), D(70)))
    assert evaluator_total(rule, {"a": D(7), "b": D(61)}) == D(68)


def test_a_total_without_an_end_is_given_to_28_digits():
    # 25/30*20 = 50/3.
    total = evaluator_total(WEIGHTED, {"innov": D(25), "feas": D(0), "gov": D(0)})
    assert total == D("16.66666666666666666666666667")
    assert shown(total) == D("16.67")


def test_equal_exact_aggregates_tie_even_when_their_decimals_would_not():
    # Plan 1: totals 50/3 and 40/3, mean 15; plan 2: 15 and 15. Equal, so the tie-break decides.
    rule = CallRule(stages=(StageRule("doc", WEIGHTED),), tie_break=("gov",))
    scores = {"doc": {1: {1: {"innov": D(25), "feas": D(0), "gov": D(0)},
                          2: {"innov": D(20), "feas": D(0), "gov": D(0)}},
                      2: {1: {"innov": D("22.5"), "feas": D(0), "gov": D(0)},
                          2: {"innov": D("22.5"), "feas": D(0), "gov": D(0)}}}}
    ranking = rank(rule, scores)
    assert [p.final for p in ranking.plans] == [D(15), D(15)]
    assert [(p.plan_id, p.ahead_by) for p in ranking.plans] == [(1, "id"), (2, None)]


# Gates and combination -----------------------------------------------------------------------------------------

# Document aggregates 80, 74.5, 90, 75; presentation 60, 50, 75, 70 (plan 2's presentation is never counted).
DOC = {1: {1: sheet(40, 40)}, 2: {1: sheet(40, "34.5")}, 3: {1: sheet(45, 45)}, 4: {1: sheet(40, 35)}}
PRES = {1: {1: sheet(30, 30)}, 2: {1: sheet(25, 25)}, 3: {1: sheet(40, 35)}, 4: {1: sheet(35, 35)}}


def test_top_n_gate_stops_the_others_at_the_document_stage():
    ranking = rank(two_stages(Gate(top=2)), {"doc": DOC, "pres": PRES})
    # Plans 3 (90) and 1 (80) go on; finals 75 and 60; 4 (75) and 2 (74.5) stop in that order.
    assert [(p.plan_id, p.rank, p.final, p.eligible) for p in ranking.plans] == [
        (3, 1, D(75), True), (1, 2, D(60), True), (4, 3, None, False), (2, 4, None, False)]
    stopped = ranking.plan(2)
    assert [s.code for s in stopped.stages] == ["doc"] and stopped.stage("pres") is None
    assert stopped.stage("doc").aggregate == D("74.5") and stopped.stage("doc").passed is False
    assert [p.ahead_by for p in ranking.plans] == [None, None, None, None]


def test_minimum_gate_lets_an_aggregate_equal_to_it_through():
    ranking = rank(two_stages(Gate(minimum=D(75))), {"doc": DOC, "pres": PRES})
    # 90, 80 and 75 go on (finals 75, 60, 70); 74.5 stops.
    assert [(p.plan_id, p.final) for p in ranking.plans] == [(3, D(75)), (4, D(70)), (1, D(60)), (2, None)]
    assert ranking.plan(2).eligible is False and ranking.plan(4).eligible is True


def test_gate_with_top_and_minimum_needs_both():
    ranking = rank(two_stages(Gate(top=2, minimum=D(85))), {"doc": DOC, "pres": PRES})
    # Plan 1 is second (top 2) but below 85; only plan 3 goes on.
    assert [(p.plan_id, p.final, p.eligible) for p in ranking.plans] == [
        (3, D(75), True), (1, None, False), (4, None, False), (2, None, False)]
    assert ranking.plan(1).stage("doc").passed is False


def test_a_tie_at_the_top_n_boundary_is_settled_by_the_tie_break():
    # Plans 5 and 6 both have 80 in the document stage; 6 scores higher on feasibility and takes the last place.
    doc = {5: {1: sheet(45, 35)}, 6: {1: sheet(35, 45)}, 7: {1: sheet(45, 45)}}
    pres = {5: {1: sheet(40, 40)}, 6: {1: sheet(30, 30)}, 7: {1: sheet(20, 20)}}
    ranking = rank(two_stages(Gate(top=2), tie_break=("feas",)), {"doc": doc, "pres": pres})
    assert [(p.plan_id, p.final) for p in ranking.plans] == [(6, D(60)), (7, D(40)), (5, None)]


def test_weighted_sum_divides_by_the_sum_of_stage_weights():
    doc, pres = {1: {1: sheet(40, 40)}, 2: {1: sheet(45, 45)}}, {1: {1: sheet(35, 35)}, 2: {1: sheet(33, 33)}}
    stages = (StageRule("doc", PLAIN, weight=D(30)), StageRule("pres", PLAIN, weight=D(70)))
    weighted = rank(CallRule(stages=stages, combination="weighted"), {"doc": doc, "pres": pres})
    # Plan 1: (30*80 + 70*70) / 100 = 73; plan 2: (30*90 + 70*66) / 100 = 73.2.
    assert [(p.plan_id, p.final) for p in weighted.plans] == [(2, D("73.2")), (1, D(73))]
    # The same sheets with the gates combination rank by the presentation only: 70 before 66.
    gates = rank(CallRule(stages=stages, combination="gates"), {"doc": doc, "pres": pres})
    assert [(p.plan_id, p.final) for p in gates.plans] == [(1, D(70)), (2, D(66))]


def test_weighted_sum_with_weights_not_adding_up_to_one():
    stages = (StageRule("doc", PLAIN, weight=D(1)), StageRule("pres", PLAIN, weight=D(2)))
    ranking = rank(CallRule(stages=stages, combination="weighted"),
                   {"doc": {1: {1: sheet(40, 40)}}, "pres": {1: {1: sheet(35, 35)}}})
    # (1*80 + 2*70) / 3 = 220/3.
    assert ranking.plan(1).final == D("73.33333333333333333333333333")


def test_a_plan_without_sheets_stops_and_ranks_last():
    ranking = rank(one_stage(), {"doc": {1: {1: sheet(10, 10)}}}, {1: at(9), 2: at(8)})
    assert [(p.plan_id, p.final, p.eligible) for p in ranking.plans] == [(1, D(20), True), (2, None, False)]
    assert ranking.plan(2).stage("doc").aggregate is None


# Tie-break -----------------------------------------------------------------------------------------------------

def test_tie_break_on_a_criterion_then_submission_time_then_id():
    scores = {"doc": {
        15: {1: sheet(45, 40)},                      # 85: first on the total
        11: {1: sheet(36, 44), 2: sheet(34, 46)},    # 80, feasibility mean 45
        10: {1: sheet(40, 40)},                      # 80, feasibility 40, submitted 10:00
        13: {1: sheet(40, 40)},                      # 80, feasibility 40, submitted 10:00
        14: {1: sheet(40, 40)},                      # 80, feasibility 40, submitted 09:00
        12: {1: sheet(45, 35)},                      # 80, feasibility 35
    }}
    submitted = {10: at(10), 11: at(11), 12: at(8), 13: at(10), 14: at(9), 15: at(12)}
    ranking = rank(one_stage(tie_break=("feas", "submitted_at")), scores, submitted)
    assert [(p.rank, p.plan_id, p.ahead_by) for p in ranking.plans] == [
        (1, 15, None), (2, 11, "feas"), (3, 14, "submitted_at"), (4, 10, "id"), (5, 13, "feas"), (6, 12, None)]
    assert ranking.plan(11).stage("doc").criterion_means == {"innov": D(35), "feas": D(45)}


def test_a_criterion_tie_break_reads_the_last_stage_that_has_the_criterion():
    # Equal presentation totals (60); plan 1 had more feasibility on paper, plan 2 in the presentation.
    scores = {"doc": {1: {1: sheet(30, 50)}, 2: {1: sheet(40, 10)}},
              "pres": {1: {1: sheet(40, 20)}, 2: {1: sheet(30, 30)}}}
    ranking = rank(two_stages(tie_break=("feas",)), scores)
    assert [(p.plan_id, p.ahead_by) for p in ranking.plans] == [(2, "feas"), (1, None)]


def test_a_missing_submission_time_comes_after_a_known_one():
    ranking = rank(one_stage(tie_break=("submitted_at",)), {"doc": {1: {1: sheet(10, 10)}, 2: {1: sheet(10, 10)}}},
                   {2: at(9)})
    assert [(p.plan_id, p.ahead_by) for p in ranking.plans] == [(2, "submitted_at"), (1, None)]


# Minimum total and display -------------------------------------------------------------------------------------

def test_a_plan_below_the_minimum_total_is_ranked_but_not_eligible():
    scores = {"doc": {1: {1: sheet(40, "29.99")}, 2: {1: sheet(40, 30)}, 3: {1: sheet(50, 40)}}}
    ranking = rank(one_stage(min_total=D(70)), scores)
    assert [(p.rank, p.plan_id, p.final, p.eligible) for p in ranking.plans] == [
        (1, 3, D(90), True), (2, 2, D(70), True), (3, 1, D("69.99"), False)]


def test_ranking_uses_unrounded_values():
    # 80.004 and 80.001 both show as 80.00, yet the score (not a tie-break) orders them.
    scores = {"doc": {1: {1: sheet(40, "40.001")}, 2: {1: sheet(40, "40.004")}}}
    ranking = rank(one_stage(tie_break=("submitted_at",)), scores, {1: at(8), 2: at(9)})
    assert [(p.plan_id, shown(p.final), p.ahead_by) for p in ranking.plans] == [(2, D("80.00"), None),
                                                                              (1, D("80.00"), None)]


def test_shown_rounds_half_up_to_two_decimals():
    assert [shown(D(v)) for v in ("80.125", "80.124999", "-0.005", "7")] == [
        D("80.13"), D("80.12"), D("-0.01"), D("7.00")]


# Invalid points and rules --------------------------------------------------------------------------------------

def test_point_problems_name_the_wrong_criterion():
    assert point_problems(PLAIN, {"innov": D(51), "feas": D(-1), "extra": D(3)}) == {
        "innov": "above_max", "feas": "negative", "extra": "unknown"}
    assert point_problems(PLAIN, {"innov": D(10)}) == {"feas": "missing"}
    assert point_problems(PLAIN, {"innov": D(10)}, complete=False) == {}
    assert point_problems(PLAIN, {"innov": 10.0, "feas": D("NaN")}) == {"innov": "not_a_number", "feas": "not_a_number"}
    assert point_problems(PLAIN, {"innov": D(0), "feas": D(50)}) == {}


def test_rank_refuses_a_sheet_with_invalid_points_and_says_whose():
    with pytest.raises(InvalidPoints) as caught:
        rank(one_stage(), {"doc": {4: {1: sheet(10, 10), 9: sheet(10, "50.5")}}})
    assert (caught.value.stage, caught.value.plan_id, caught.value.evaluator_id) == ("doc", 4, 9)
    assert caught.value.problems == {"feas": "above_max"}
    with pytest.raises(InvalidPoints):
        evaluator_total(PLAIN, {"innov": D(10)})


@pytest.mark.parametrize("build", [
    lambda: Gate(),
    lambda: Gate(top=0),
    lambda: CriterionRule("submitted_at", D(10), D(10)),
    lambda: CriterionRule("a", D(0), D(10)),
    lambda: StageRule("doc", ()),
    lambda: CallRule(stages=(StageRule("doc", PLAIN),), tie_break=("nothing",)),
    lambda: CallRule(stages=(StageRule("doc", PLAIN),), aggregation="median"),
    lambda: CallRule(stages=(StageRule("doc", PLAIN, weight=D(0)),), combination="weighted"),
    lambda: rank(one_stage(), {"final": {}}),
])
def test_inconsistent_rules_are_refused(build):
    with pytest.raises(ValueError):
        build()
