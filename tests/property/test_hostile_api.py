"""Every /api/v1 route, every method, fed hostile path ids, query strings and bodies: never a 500.

The routes are read from the app's URL map, so a new route is covered without touching this file.
Each role (visitor, planner, admin) gets a sweep of every route (each hostile value in each path
slot and in the query string, hostile bodies on writes), then hypothesis mixes plausible and hostile
values into path ids, query strings and bodies.
"""
import json
import os
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.fixtures.plans import make_plan, submit
from webapp.analytics import schemas as analytics
from webapp.calls import schemas as calls
from webapp.catalog import schemas as catalog
from webapp.core import fields as common
from webapp.extensions import db
from webapp.plans.schemas import input as plans
from webapp.proposals import schemas as proposals
from webapp.reports import schemas as reports

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ARG = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
TOTALS = {"requests": 0, "errors": 0}

HOSTILE_TEXT = [
    "2147483648", "9223372036854775808", "99999999999999999999999", "1e308", "-1e308", "-0", "+1", "0",
    "-1", "NaN", "Infinity", "-Infinity", "²", "٣", "١٢", "１２", "1_000", "0x10", " 7 ", "1.5", "",
    "\x00", "a\x00b", "\x1b[31m", "\x7f", "line\nbreak", "\ud800", "\udfff", "x" * 5000, "9" * 5000,
    "true", "null", "[]", "{}", "'; DROP TABLE reports; --", "%00", "../../etc/passwd", "<script>",
    "2026-02-30", "0001-01-01T00:00", "9999-12-31T23:59", "draft", "national",
]
HOSTILE_VALUES = HOSTILE_TEXT + [
    2**31, 2**31 - 1, -(2**31) - 1, 2**63, 2**64, 10**400, -1, 0, 1, 1e308, -1e308, -0.0, 0.5,
    float("nan"), float("inf"), True, False, None, [], {}, [1, "²"], {"a": 1}, [[[[1]]]],
]
PATH_VALUES = ["2147483648", "2147483647", "0", "-1", "²", "٣", "1e308", "99999999999999999999",
               "%00", "a%00b", "%1b", "%ED%A0%80", "%FF", "x" * 3000, "1.0", "NaN", " 1"]
PLAUSIBLE = ["traffic", "national", "local", "open", "submitted", "closed", "duplicate", "accept", "2026",
             "2026-01-01", "2026-03-01T09:00", "127.05", "37.05", "127.0,37.0,127.1,37.1", "90001",
             "Title", "A longer text\nwith lines", 2026, 37.05, 127.05, 1000, 50]


def _field_names() -> list[str]:
    """Every field name any input schema knows, so generated bodies reach past 'unknown field'."""
    names = set()
    for module in (analytics, calls, catalog, common, plans, proposals, reports):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, common.BaseSchema):
                names.update(value._declared_fields)
    return sorted(names | {"version", "a", "b", "bbox", "lat", "lon"})


FIELDS = _field_names()
QUERY_FIELDS = ("version", "a", "b", "report", "category", "status", "municipality", "limit", "eps", "min_points",
                "bbox", "lat", "lon", "domain", "theme", "include_retired")
scalars = st.one_of(
    st.sampled_from(HOSTILE_VALUES), st.sampled_from(PLAUSIBLE), st.integers(), st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=10),
    json_values,
    st.sampled_from(["deep-list", "deep-object", "huge", "not-json", "bad-utf8", "form"]),
)
queries = st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.sampled_from(HOSTILE_TEXT + PLAUSIBLE),
                                                            st.text(max_size=20)), max_size=5)


def api_routes(app) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(rule, method, [(converter, argument)]) for every /api/v1 route and method."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.rule, method, [_arg(m) for m in ARG.finditer(rule.rule)]))
    return sorted(found)


def _arg(match) -> tuple[str, str, tuple[str, ...]]:
    """(converter, name, choices): the choices of an `any(...)` converter, else none."""
    converter, options, name = match.group(1) or "default", match.group(2), match.group(3)
    choices = tuple(o.strip() for o in options.split(",")) if converter == "any" and options else ()
    return converter, name, choices


def build_path(rule: str, values: dict) -> str:
    return ARG.sub(lambda m: values[m.group(3)], rule)


def _qs(query: dict) -> str:
    # Encoded by hand so that lone surrogates travel as the invalid UTF-8 bytes an attacker would send.
    return "&".join(f"{quote(str(k))}={quote(str(v).encode('utf-8', 'surrogatepass'))}" for k, v in query.items())


def _body_kwargs(body) -> dict:
    if body == "deep-list":
        return {"data": "[" * 100_000 + "]" * 100_000, "content_type": "application/json"}
    if body == "deep-object":
        return {"data": '{"title":' * 5000 + "1" + "}" * 5000, "content_type": "application/json"}
    if body == "huge":
        return {"data": json.dumps({"title": "x" * (2 * 1024 * 1024)}), "content_type": "application/json"}
    if body == "not-json":
        return {"data": b"{\"title\": ", "content_type": "application/json"}
    if body == "bad-utf8":
        return {"data": b'{"title": "\xff\xfe\x00"}', "content_type": "application/json"}
    if body == "form":
        return {"data": {"title": "\x00", "lat": "1e308", "lon": "²", "category": "\x00x",
                         "description": "d", "reports": "2147483648"}}
    return {"data": json.dumps(body), "content_type": "application/json"}


def send(client, method: str, path: str, query: dict | None = None, body=None):
    """One request; counts it, and fails on a 500 or on an API 4xx that is not the error envelope."""
    url = path + ("?" + _qs(query) if query else "")
    kwargs = _body_kwargs(body) if method in WRITE_METHODS and body is not None else {}
    response = client.open(url, method=method, **kwargs)
    TOTALS["requests"] += 1
    if response.status_code >= 500:
        TOTALS["errors"] += 1
    sent = repr(kwargs.get("data", ""))[:300]
    assert response.status_code < 500, (method, url, sent, response.get_data(as_text=True)[:500])
    if 400 <= response.status_code < 500:
        payload = response.get_json(silent=True)
        assert isinstance(payload, dict) and {"code", "message"} <= set(payload.get("error", {})), (
            method, url, response.status_code, response.get_data(as_text=True)[:300])
    return response


@pytest.fixture
def world(client, resident, planner, admin, places, sign_in, request):
    """Real data (a report, a proposal, a call, a plan with a submitted version) and a client in a role."""
    from tests.fixtures.reports import new_report
    from webapp.proposals import service as proposal_service

    report = new_report(resident)
    proposal = proposal_service.create(resident, {"reports": [report.id], "solution": None, "idea": "스마트 가로등",
                                                  "reason": "어둡습니다", "sites": []})
    plan = make_plan(places["east"], planner, reports=[report], proposals=[proposal])
    submit(plan, planner)
    role = request.param
    if role != "visitor":
        sign_in(client, {"planner": planner, "admin": admin}[role])
    ids = {"report_id": report.id, "proposal_id": proposal.id, "plan_id": plan.id, "call_id": plan.call_id,
           "item_id": plan.items[0].id}
    codes = {"code": ["90001", "smart_crosswalk", "ped_accidents"]}
    db.session.commit()
    return client, ids, codes


def _real_value(conv, name, choices, ids, codes, pick=0) -> str:
    """A value naming real data: the id of the row the argument names (a report for unknown ones), a code."""
    if conv == "int":
        return str(ids.get(name, ids["report_id"]))
    options = choices or codes.get(name) or ["report"]
    return options[pick % len(options)]


def _real_values(args, ids, codes, pick=0) -> dict:
    return {name: _real_value(conv, name, choices, ids, codes, pick) for conv, name, choices in args}


@pytest.fixture(scope="module", autouse=True)
def _report_totals(request):
    yield
    line = f"hostile API property test: {TOTALS['requests']} requests, {TOTALS['errors']} responses of 500"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + line)


@pytest.mark.parametrize("world", ["visitor", "planner", "admin"], indirect=True)
def test_every_route_survives_every_hostile_value(world, app):
    """A fixed sweep: each route with each hostile value in each path slot, query parameter and body."""
    client, ids, codes = world
    for rule, method, args in api_routes(app):
        real = _real_values(args, ids, codes)
        for _conv, name, _choices in args:
            for value in PATH_VALUES:
                send(client, method, build_path(rule, {**real, name: value}))
        path = build_path(rule, real)
        if method == "GET":
            for value in HOSTILE_TEXT:
                send(client, method, path, query={name: value for name in QUERY_FIELDS})
        if method in WRITE_METHODS:
            # Each body spreads the hostile values over the fields, shifted from one body to the next.
            for shift in range(0, len(HOSTILE_VALUES), 7):
                send(client, method, path, body={name: HOSTILE_VALUES[(shift + i) % len(HOSTILE_VALUES)]
                                                 for i, name in enumerate(FIELDS)})
            for special in ("deep-list", "deep-object", "huge", "not-json", "bad-utf8", "form", [], "x", 5):
                send(client, method, path, body=special)


@pytest.mark.parametrize("world", ["visitor", "planner", "admin"], indirect=True)
# HOSTILE_EXAMPLES=5000 runs a deeper search; the default keeps the run near a minute per database.
@settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 500)), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_hostile_requests_never_fail_on_our_side(world, app, data):
    """Hypothesis picks a route, real or hostile path values, a query string and a body."""
    client, ids, codes = world
    rule, method, args = data.draw(st.sampled_from(api_routes(app)), label="route")
    values = {}
    for conv, name, choices in args:
        real = _real_value(conv, name, choices, ids, codes, pick=data.draw(st.integers(0, 4)))
        values[name] = data.draw(st.sampled_from([real, real, *PATH_VALUES]), label=name)
    send(client, method, build_path(rule, values), query=data.draw(queries, label="query"),
         body=data.draw(bodies, label="body") if method in WRITE_METHODS else None)
