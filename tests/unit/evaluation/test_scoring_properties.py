"""Properties of the scoring arithmetic that hold for any totals and sheets."""
from decimal import Decimal as D

from hypothesis import given, settings, strategies as st

from webapp.evaluation.rubric import TRIM_FROM, CallRule, CriterionRule, Gate, StageRule
from webapp.evaluation.scoring import aggregate, rank

points = st.decimals(min_value=0, max_value=100, places=2)
totals = st.dictionaries(st.integers(min_value=1, max_value=60), points, max_size=9)


@settings(max_examples=200, deadline=None)
@given(totals)
def test_trimmed_mean_drops_two_from_five_on_and_stays_within_the_kept_totals(values):
    value, dropped = aggregate(values, "trimmed")
    assert len(dropped) == (2 if len(values) >= TRIM_FROM else 0)
    assert set(dropped) <= set(values) and len(set(dropped)) == len(dropped)
    kept = [t for e, t in values.items() if e not in dropped]
    if not kept:
        assert value is None
        return
    assert min(kept) <= value <= max(kept)
    if dropped:
        high, low = dropped
        assert values[high] == max(values.values()) and values[low] == min(kept + [values[low]])


CRITERIA = (CriterionRule("a", D(30), D(40)), CriterionRule("b", D(20), D(60)))
sheets = st.fixed_dictionaries({"a": st.decimals(min_value=0, max_value=30, places=1),
                                "b": st.decimals(min_value=0, max_value=20, places=1)})
plans = st.dictionaries(st.integers(min_value=1, max_value=30),
                        st.dictionaries(st.integers(min_value=1, max_value=9), sheets, min_size=1, max_size=7),
                        min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(plans, st.sampled_from(["mean", "trimmed"]), st.integers(min_value=1, max_value=8))
def test_a_ranking_orders_every_plan_once_by_score_and_its_criterion_means_add_up(scores, aggregation, top):
    rule = CallRule(stages=(StageRule("doc", CRITERIA, gate=Gate(top=top)), StageRule("pres", CRITERIA)),
                    aggregation=aggregation, tie_break=("b",))
    ranking = rank(rule, {"doc": scores, "pres": scores})
    assert sorted(p.plan_id for p in ranking.plans) == sorted(scores)
    assert [p.rank for p in ranking.plans] == list(range(1, len(scores) + 1))
    finalists = [p for p in ranking.plans if p.final is not None]
    assert len(finalists) == min(top, len(scores)) and ranking.plans[: len(finalists)] == tuple(finalists)
    assert [p.final for p in finalists] == sorted((p.final for p in finalists), reverse=True)
    for plan in ranking.plans:
        for stage in plan.stages:
            assert abs(sum(stage.criterion_means.values()) - stage.aggregate) < D("1e-20")
