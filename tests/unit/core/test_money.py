"""The money module: totals by source, the one rounding of shares, KRW and percent text in Korean and English."""
import pytest
from flask_babel import force_locale

from webapp.core import money
from webapp.models import BudgetLine, PlanItem


def _item(*lines):
    return PlanItem(budget_lines=[BudgetLine(source=s, amount=a, year=2025) for s, a in lines])


def test_totals_by_source_and_overall_in_integers():
    items = [_item(("national", 2_000_000_001), ("local", 1)), _item(("local", 1_999_999_998), ("private", 0))]
    assert money.totals(items) == {"national": 2_000_000_001, "local": 1_999_999_999, "private": 0,
                                   "total": 4_000_000_000}
    assert money.totals([]) == {"national": 0, "local": 0, "private": 0, "total": 0}


def test_typed_sums_get_every_source_and_their_total():
    assert money.with_total({"national": 3, "local": 4}) == {"national": 3, "local": 4, "private": 0, "total": 7}


def test_snapshot_items_sum_the_same_way_overall_and_by_year():
    item = {"budget": [{"source": "national", "amount": 10, "year": 2026},
                       {"source": "local", "amount": 5, "year": 2025},
                       {"source": "national", "amount": 1, "year": 2025}]}
    assert money.item_totals(item) == {"national": 11, "local": 5, "private": 0, "total": 16}
    assert money.budget_by_year(item) == [
        {"year": 2025, "national": 1, "local": 5, "private": 0, "total": 6},
        {"year": 2026, "national": 10, "local": 0, "private": 0, "total": 10}]


@pytest.mark.parametrize("part,total,bp", [
    (2_000_000_001, 4_000_000_000, 5001),   # a hair over half reads over half
    (2_000_000_000, 4_000_000_000, 5000),   # exactly half stays half
    (1_999_999_999, 4_000_000_000, 5000),   # a hair under rounds up to the limit, never over it
    (5, 7, 7143),                           # 71.428...: one number, 71.43, in totals and in messages
    (1, 3, 3334),
    (0, 4_000_000_000, 0),
    (4_000_000_000, 4_000_000_000, 10_000),
    (1, 10**18, 1),                         # any national money at all is a visible share
    (10**15 * 50 - 1, 10**15 * 100, 5000),  # exact far beyond 2^53, where a float would blur it
])
def test_share_rounds_up_to_the_next_basis_point(part, total, bp):
    assert money.share_bp(part, total) == bp


def test_zero_total_has_a_share_of_zero():
    assert money.share_bp(0, 0) == 0
    assert money.share_percent(0, 0) == "0.00 %"
    assert not money.over_share(0, 0, 0)


@pytest.mark.parametrize("part,total", [(2_000_000_001, 4_000_000_000), (2_000_000_000, 4_000_000_000),
                                        (1_999_999_999, 4_000_000_000), (10, 10), (1, 3), (7, 10)])
@pytest.mark.parametrize("limit", [0, 3333, 5000, 7000, 10_000])
def test_the_shown_share_is_over_the_limit_exactly_when_the_exact_share_is(part, total, limit):
    exact_over = part * 10_000 > total * limit
    assert money.over_share(part, total, limit) is exact_over
    assert (money.share_bp(part, total) > limit) is exact_over


def test_percent_text_has_two_decimals_and_limits_read_as_typed():
    assert money.percent(5001) == "50.01 %" and money.percent(6000) == "60.00 %" and money.percent(5) == "0.05 %"
    assert money.percent_text(10_000) == "100.00"
    assert money.share_percent(2_000_000_001, 4_000_000_000) == "50.01 %"
    assert money.limit_text(5000) == "50" and money.limit_text(3750) == "37.5" and money.limit_text(5001) == "50.01"


def test_grouped_digits():
    assert money.grouped(2_000_000_001) == "2,000,000,001" and money.grouped(0) == "0"
    assert money.grouped(-1500) == "-1,500"  # a decrease between two versions


@pytest.mark.parametrize("lang,amount,text", [("en", 1_500_000, "1,500,000 KRW"), ("ko", 1_500_000, "1,500,000원")])
def test_krw_in_the_page_language(app, lang, amount, text):
    with app.test_request_context(), force_locale(lang):
        assert money.krw(amount) == text


def test_krw_range_in_korean_and_english(app):
    with app.test_request_context(), force_locale("en"):
        assert money.krw_range(100_000_000, 300_000_000, "en") == "100,000,000–300,000,000 KRW"
        assert money.krw_range(5, 5, "en") == "5 KRW"
        assert money.krw_range(1_000, None, "en") == "from 1,000 KRW"
        assert money.krw_range(None, 2_000, "en") == "up to 2,000 KRW"
        assert money.krw_range(None, None, "en") == ""
    with app.test_request_context(), force_locale("ko"):
        assert money.krw_range(100_000_000, 300_000_000, "ko") == "1억~3억 원"
        assert money.krw_range(150_000_000, None, "ko") == "1억 5,000만 원 이상"
        assert money.krw_range(None, 12_345, "ko") == "최대 1만 2,345 원"
