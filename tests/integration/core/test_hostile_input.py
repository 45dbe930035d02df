"""Hostile input gets a 4xx in the error envelope: huge numbers, odd digits, deep JSON, control characters."""
from datetime import timedelta

import pytest
from werkzeug.exceptions import NotFound

from tests.fixtures.plans import make_plan, submit
from webapp.calls import service as calls
from webapp.core.time import utcnow
from webapp.extensions import db


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()["error"]


@pytest.fixture
def call(admin):
    now = utcnow()
    return calls.create(admin, {"title": "2026 공모", "year": 2026, "opens_at": now - timedelta(days=1),
                                "closes_at": now + timedelta(days=30)})


@pytest.fixture
def planner_client(client, planner, sign_in):
    return sign_in(client, planner)


@pytest.fixture
def plan(planner, places, resident, add_report):
    plan = make_plan(places["east"], planner, reports=[add_report(resident)])
    submit(plan, planner)
    return plan


# Integers beyond the columns, floats and non-ASCII digits.

def arabic(number: int) -> str:
    """The number in Arabic-Indic digits, which str.isdigit() and int() accept."""
    return "".join(chr(0x0660 + int(d)) for d in str(number))


@pytest.mark.parametrize("value", [2147483648, 2**64, 1e308])
def test_plan_call_id_out_of_range_is_refused(planner_client, call, value):
    error = error_of(planner_client.post("/api/v1/plans", json={"call": value, "title": "계획"}), 422)
    assert "call" in error["fields"]


def test_plan_call_id_must_be_an_integer_in_ascii_digits(planner_client, call):
    for value in (float(call.id), arabic(call.id)):
        error = error_of(planner_client.post("/api/v1/plans", json={"call": value, "title": "계획"}), 422)
        assert "call" in error["fields"], value
    assert planner_client.post("/api/v1/plans", json={"call": str(call.id), "title": "계획"}).status_code == 201


def test_ids_are_bounded_exactly_at_the_integer_column_limit(ctx):
    from webapp.core.fields import load
    from webapp.errors import ValidationFailed
    from webapp.plans.schemas.input import PlanIn

    assert load(PlanIn(), {"call": "2147483647", "title": "계획"})["call"] == 2**31 - 1
    with pytest.raises(ValidationFailed) as refused:
        load(PlanIn(), {"call": "2147483648", "title": "계획"})
    assert "call" in refused.value.fields


@pytest.mark.parametrize("value", ["2147483648", "99999999999999999999", "٣"])
def test_query_string_ids_out_of_range_are_refused(client, places, value):
    error = error_of(client.get("/api/v1/proposals", query_string={"report": value}), 422)
    assert "report" in error["fields"]


@pytest.mark.parametrize("value", ["2147483648", "²", "٣", "9" * 5000])
def test_version_numbers_out_of_range_or_not_ascii_are_refused(client, plan, value):
    error = error_of(client.get(f"/api/v1/plans/{plan.id}/budget.csv", query_string={"version": value}), 422)
    assert "version" in error["fields"]


@pytest.mark.parametrize("path_id", ["2147483648", "18446744073709551616"])
def test_path_ids_out_of_range_are_a_plain_not_found(client, places, path_id):
    error = error_of(client.get(f"/api/v1/reports/{path_id}"), 404)
    assert error["code"] == "not_found"


def test_path_ids_accept_only_ascii_digits(app, client, resident, add_report):
    report = add_report(resident)
    assert client.get(f"/api/v1/reports/{report.id}").status_code == 200
    assert error_of(client.get(f"/api/v1/reports/{arabic(report.id)}"), 404)["code"] == "not_found"
    with pytest.raises(NotFound):
        app.url_map.bind("localhost").match(f"/api/v1/reports/{2**31}")


def test_plan_item_report_ids_must_be_ascii_and_in_range(planner_client, plan):
    for value in (["²"], ["٣"], [2**31], ["2147483648"], [1e308], [True]):
        error = error_of(planner_client.post(f"/api/v1/plans/{plan.id}/items",
                                             json={"title": "항목", "reports": value}), 422)
        assert "reports" in error["fields"], value


def test_proposal_report_ids_must_be_ascii_and_in_range(client, resident, sign_in, add_report):
    report = add_report(resident)
    sign_in(client, resident)
    for value in (["٣"], ["²"], [str(2**31)], ["+1"], ["1_0"]):
        body = {"reports": value, "idea": "가로등", "reason": "어둡다"}
        error = error_of(client.post("/api/v1/proposals", json=body), 422)
        assert "reports" in error["fields"], value
    assert client.post("/api/v1/proposals", json={"reports": [str(report.id)], "idea": "가로등",
                                                  "reason": "어둡다"}).status_code == 201


@pytest.mark.parametrize("field, value", [("cap_total", "²"), ("cap_total", "٣٠٠"), ("max_national_amount", "١٠"),
                                          ("opens_at", "0001-01-01T00:00")])
def test_call_numbers_and_dates_are_bounded(client, admin, sign_in, field, value):
    sign_in(client, admin)
    body = {"title": "공모", "year": 2026, "opens_at": "2026-03-01T09:00", "closes_at": "2026-04-01T18:00",
            field: value}
    error = error_of(client.post("/api/v1/calls", json=body), 422)
    assert field in error["fields"]


def test_proposal_cost_refuses_non_ascii_digits_and_floats(client, resident, sign_in, add_report):
    report = add_report(resident)
    sign_in(client, resident)
    for value in ("²", "٣", 1e308, 1000.0):
        body = {"reports": [report.id], "idea": "가로등", "reason": "어둡다", "cost_estimate": value}
        assert "cost_estimate" in error_of(client.post("/api/v1/proposals", json=body), 422)["fields"], value


def test_hotspot_parameters_take_ascii_digits_only(planner_client):
    error = error_of(planner_client.get("/api/v1/municipalities/90001/hotspots", query_string={"min_points": "٣"}), 422)
    assert "min_points" in error["fields"]


# JSON size and depth, form size.

@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_is_refused_before_parsing(planner_client, call, depth):
    body = '{"call": ' + "[" * depth + "]" * depth + ', "title": "계획"}'
    error = error_of(planner_client.post("/api/v1/plans", data=body, content_type="application/json"), 400)
    assert error["code"] == "too_deeply_nested"
    # Brackets inside strings are text, not nesting.
    title = "[" * 100 + '\\"{' * 50
    response = planner_client.post("/api/v1/plans", data='{"call": %d, "title": "%s"}' % (call.id, title),
                                   content_type="application/json")
    assert response.status_code == 201, response.get_data(as_text=True)


def test_json_body_larger_than_the_limit_is_refused(planner_client, call, app):
    body = '{"call": 1, "title": "%s"}' % ("x" * app.config["JSON_MAX_BYTES"])
    assert error_of(planner_client.post("/api/v1/plans", data=body, content_type="application/json"), 413)


def test_url_encoded_form_larger_than_the_limit_is_refused(client, resident, sign_in, app):
    sign_in(client, resident)
    body = "title=" + "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)
    response = client.post("/api/v1/reports", data=body, content_type="application/x-www-form-urlencoded")
    assert error_of(response, 413)


# Control characters and lone surrogates.

@pytest.mark.parametrize("title", ["\u0000", "a\u0000b", "\u001b[31m", "tab\there", "two\nlines", "\ud800"])
def test_control_characters_and_lone_surrogates_in_text_are_refused(planner_client, call, title):
    error = error_of(planner_client.post("/api/v1/plans", json={"call": call.id, "title": title}), 422)
    assert "title" in error["fields"]


def test_multi_line_text_keeps_line_breaks_and_tabs_but_not_nul(planner_client, call):
    ok = planner_client.post("/api/v1/plans", json={"call": call.id, "title": "계획", "summary": "하나\n\t둘\r\n셋"})
    assert ok.status_code == 201 and ok.get_json()["summary"] == "하나\n\t둘\r\n셋"
    error = error_of(planner_client.post("/api/v1/plans", json={"call": call.id, "title": "계획", "summary": "a\x00"}),
                     422)
    assert "summary" in error["fields"]


@pytest.mark.parametrize("path", ["/api/v1/reports?category=%00", "/api/v1/reports?municipality=%1b",
                                  "/api/v1/proposals?municipality=a%00",
                                  "/api/v1/reports/nearby?lat=37&lon=127&category=%00"])
def test_control_characters_in_the_query_string_name_the_field(client, places, path):
    name = path.split("?")[1].split("&")[-1].split("=")[0]
    assert name in error_of(client.get(path), 422)["fields"]


def test_control_characters_in_a_path_code_are_not_found(client, places):
    assert error_of(client.get("/api/v1/solutions/a%00b"), 404)["code"] == "not_found"
    assert error_of(client.get("/api/v1/municipalities/%00/analytics"), 404)["code"] == "not_found"


def test_report_text_fields_refuse_nul_from_a_form(client, resident, sign_in):
    sign_in(client, resident)
    response = client.post("/api/v1/reports", data={"lat": "37.05", "lon": "127.05", "category": "traffic",
                                                    "title": "가로등\x00", "description": "어둡다"},
                           content_type="multipart/form-data")
    assert "title" in error_of(response, 422)["fields"]
    assert db.session.execute(db.text("select count(*) from reports")).scalar() == 0


def test_proposal_form_ignores_report_ids_beyond_the_column(client, resident, sign_in, add_report):
    report = add_report(resident)
    sign_in(client, resident)
    response = client.get("/proposals/new", query_string=[("report", str(2**63)), ("report", str(report.id))])
    assert response.status_code == 200
