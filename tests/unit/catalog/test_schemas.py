"""Catalogue output schemas dumped outside any app or request: names in the language of the viewer given."""
import flask
import pytest

from webapp.catalog.schemas import KpiOut, KpisOut, SolutionOut, SolutionsOut
from webapp.core.output import Viewer
from webapp.models import Kpi, Solution


def _refuse(action, target=None):
    pytest.fail(f"catalogue output asks no permission ({action})")


def viewer(lang):
    return Viewer(lang=lang, may=_refuse, url=lambda e, **v: f"/{e}/{v}")


def kpi(code="NON_REVENUE_WATER", retired=False):
    return Kpi(code=code, name="상수도 누수율", name_en="Water supply loss", unit="%", unit_en="percent",
               direction="lower", theme="water", standards="ISO 37120;U4SSC", retired=retired)


def solution():
    return Solution(code="SMART_METER", name="스마트 수도 계량기", name_en="Smart water meter", domain="water",
                    description="설명", description_en="About", cost_min=None, cost_max=20_000_000,
                    results="", results_en="Less loss", retired=True,
                    kpis=[kpi("A_KPI"), kpi("B_KPI")])


@pytest.fixture(autouse=True)
def no_app():
    assert not flask.has_app_context() and not flask.has_request_context()


def test_kpi_in_both_languages_and_the_viewers():
    english = KpiOut(viewer("en")).dump(kpi())
    assert english == {
        "code": "NON_REVENUE_WATER", "name": "상수도 누수율", "name_en": "Water supply loss",
        "display_name": "Water supply loss", "unit": "%", "unit_en": "percent", "display_unit": "percent",
        "direction": "lower", "theme": "water", "standards": ["ISO 37120", "U4SSC"], "retired": False,
    }
    korean = KpiOut(viewer("ko")).dump(kpi())
    assert (korean["display_name"], korean["display_unit"]) == ("상수도 누수율", "%")


def test_solution_with_kpi_codes_and_unknown_costs():
    english = SolutionOut(viewer("en")).dump(solution())
    assert english == {
        "code": "SMART_METER", "name": "스마트 수도 계량기", "name_en": "Smart water meter",
        "display_name": "Smart water meter", "domain": "water", "description": "설명", "description_en": "About",
        "cost_min": None, "cost_max": 20_000_000, "results": "", "results_en": "Less loss",
        "kpis": ["A_KPI", "B_KPI"], "retired": True,
    }
    assert SolutionOut(viewer("ko")).dump(solution())["display_name"] == "스마트 수도 계량기"


def test_lists_under_their_names():
    assert SolutionsOut(viewer("en")).dump([solution()]) == {"solutions": [SolutionOut(viewer("en")).dump(solution())]}
    body = KpisOut(viewer("ko")).dump([kpi("A"), kpi("B", retired=True)])
    assert [(k["code"], k["retired"], k["display_name"]) for k in body["kpis"]] == [
        ("A", False, "상수도 누수율"), ("B", True, "상수도 누수율")]
    assert SolutionsOut(viewer("en")).dump([]) == {"solutions": []}
