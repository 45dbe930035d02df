"""XSS: our payload corpus stored in every user-writable text field stays plain text on every page and map feature."""
import secrets
from datetime import date
from decimal import Decimal

import pytest
from geoalchemy2.shape import from_shape
from shapely.geometry import Point

from tests.fixtures.plans import kpi, make_call, make_plan, solution, submit
from tests.fixtures.xss_payloads import PAYLOADS, chunks
from webapp.auth import service as users
from webapp.extensions import db
from webapp.models import BudgetLine, KpiTarget, Milestone, PlanSite
from webapp.moderation import service as moderation
from webapp.plans import comments as plan_comments
from webapp.proposals import service as proposals
from webapp.reports import triage

# Reports sit on a 10 x 7 grid around the centre of the test municipality (127.05, 37.05): close enough for one hot
# spot, far enough apart (about 53 m x 67 m) to be separate markers once the map is zoomed in.
COLUMNS, SPACING = 10, 0.0006
CENTRE = (127.05, 37.05)

# Every element with an on* attribute, every script we did not write, every embedding or navigation element, and
# every javascript: URL: none of them may exist anywhere in a page.
SCAN_PAGE = """() => {
  const bad = [];
  const short = (e) => e.outerHTML.slice(0, 120);
  for (const e of document.querySelectorAll("*")) {
    for (const a of e.attributes) {
      const url = ["href", "src", "action", "formaction", "data", "xlink:href"].includes(a.name);
      const script = url && /^\\s*javascript:/i.test(a.value);
      if (/^on/i.test(a.name) || script || a.name === "formaction") bad.push(short(e));
    }
    const tag = e.tagName.toLowerCase();
    if (tag === "script" && !e.src && e.type !== "application/json") bad.push(short(e));
    if (["iframe", "object", "embed", "marquee", "keygen", "math", "video", "audio"].includes(tag))
      bad.push(short(e));
    if (["base", "meta", "link", "style"].includes(tag) && e.closest("body")) bad.push(short(e));
    if (tag === "img" && /^x(:|$)/.test(e.getAttribute("src") || "")) bad.push(short(e));
  }
  return bad;
}"""

# Hover and click every map feature matching the selector, in one synchronous pass (so that no map refresh replaces
# them half-way), and collect what each tooltip and popup showed plus any element a payload could have injected.
POKE = """(selector) => {
  const out = { count: 0, tooltips: [], popups: [], injected: [] };
  const allowed = new Set(["SPAN", "DIV", "A", "BR", "STRONG", "P", "UL", "LI"]);
  const scan = (node) => node.querySelectorAll("*").forEach((e) => {
    if (!allowed.has(e.tagName) || Array.from(e.attributes).some((a) => /^on/i.test(a.name)))
      out.injected.push(e.outerHTML.slice(0, 120));
  });
  // Each tooltip and popup counted once, however often it opens (an earlier tooltip may stay open).
  const seen = new WeakSet();
  const collect = (query, into) => document.querySelectorAll(query).forEach((node) => {
    if (seen.has(node)) return;
    seen.add(node);
    into.push(node.textContent);
    scan(node);
  });
  const fire = (el, type) => el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
  for (const el of Array.from(document.querySelectorAll(selector))) {
    if (!el.isConnected) continue;
    out.count += 1;
    fire(el, "mouseover");
    collect(".leaflet-tooltip", out.tooltips);
    fire(el, "mouseout");
    fire(el, "click");
    collect(".leaflet-popup-content", out.popups);
  }
  return out;
}"""

FEATURES = ".leaflet-interactive, .leaflet-marker-icon:not(.marker-cluster)"

# Records CSP violations (a payload's inline handler, script or foreign load would be one) before any page script runs.
WATCH_CSP = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(
    `${e.violatedDirective} ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));"""


def _grid(index: int) -> tuple[float, float]:
    row, column = divmod(index, COLUMNS)
    return (CENTRE[0] + (column - COLUMNS / 2) * SPACING, CENTRE[1] + (row - 3) * SPACING)


def _password() -> str:
    return secrets.token_urlsafe(12) + "Aa1!"


@pytest.fixture
def world(places, planner, add_report):
    """Every payload in every user-writable text field: reports, proposals, a plan, calls, catalogue, moderation."""
    east = places["east"]
    # Display names: a dozen residents named by payloads write the comments.
    authors = []
    for n, name in enumerate(PAYLOADS[::6]):
        password = _password()
        user = users.register(f"xss{n}@example.org", name, password)
        authors.append((user, password))
    writers = [user for user, _ in authors]

    def author(n):
        return writers[n % len(writers)]

    reports = [add_report(author(n), lon=_grid(n)[0], lat=_grid(n)[1], title=payload,
                          description="\n".join(PAYLOADS), category="traffic")
               for n, payload in enumerate(PAYLOADS)]
    shown_reports = reports[:3]
    for report, part in zip(shown_reports, chunks(24)):
        report.description = "\n".join(part)
        db.session.commit()
        for n, payload in enumerate(part):
            triage.add_comment(author(n), report.id, payload)

    ideas = chunks(0, 200)
    proposal_list = []
    for n, part in enumerate(ideas):
        proposal = proposals.create(author(n), {
            "reports": [r.id for r in reports], "solution": None, "idea": " ".join(part),
            "reason": "\n".join(part), "sites": [[_grid(n)[0] + SPACING / 2, _grid(n)[1] + SPACING / 2]],
            "cost_estimate": None, "anonymous": False,
        })
        for m, payload in enumerate(part):
            proposals.add_comment(author(m + n), proposal.id, payload)
        proposal_list.append(proposal)

    # The catalogue: solutions and KPIs named and described by payloads (the plan below uses the first of each).
    solutions, kpis = [], []
    for n, part in enumerate(chunks(0, 150)):
        entry = solution(code=f"xss_solution_{n}", name=" ".join(part), name_en=" ".join(part), domain="safety")
        entry.description = entry.description_en = entry.results = entry.results_en = "\n".join(PAYLOADS)
        solutions.append(entry)
        kpis.append(kpi(code=f"xss_kpi_{n}", name=" ".join(part), name_en=" ".join(part), unit=part[0],
                        unit_en=part[-1]))
    db.session.commit()

    plan = make_plan(east, planner, reports=reports, proposals=proposal_list[:3], title=" ".join(ideas[0]))
    plan.summary = plan.goals = "\n".join(PAYLOADS)
    plan.call.title = " ".join(ideas[1])
    first, second = plan.items
    first.solution_id = solutions[0].id
    first.title, second.title = " ".join(ideas[2]), " ".join(ideas[3])
    first.description = second.description = "\n".join(PAYLOADS)
    for n, part in enumerate(ideas):
        first.sites.append(PlanSite(name=" ".join(part), geom=from_shape(
            Point(_grid(n)[0] - SPACING / 3, _grid(n)[1] - SPACING / 3), srid=4326)))
        first.budget_lines.append(BudgetLine(source="local", amount=1_000_000, year=2026, description=" ".join(part)))
    first.kpi_targets.append(KpiTarget(kpi_id=kpis[0].id, baseline_value=Decimal("3"), baseline_on=date(2025, 12, 31),
                                       target_value=Decimal("1"), target_on=date(2027, 12, 31),
                                       method="\n".join(PAYLOADS)))
    first.milestones.extend(Milestone(title=payload, due_on=date(2026, 9, 1)) for payload in PAYLOADS)
    db.session.commit()
    for n, part in enumerate(chunks(12)):
        plan_comments.consult(planner, plan.id, "\n".join(part), item_id=first.id if n % 2 else None)
    submit(plan, planner)
    for n, part in enumerate(chunks(12)):
        plan_comments.comment_public(author(n), plan.id, "\n".join(part))
    # A second version, so that the comparison shows both sides of a changed title.
    first.title = " ".join(ideas[4])
    db.session.commit()
    submit(plan, planner)

    calls = [make_call(title=" ".join(part)) for part in ideas]
    db.session.commit()

    # Moderation: residents' flag notes, and a public reason for hiding a report comment and a proposal comment.
    for n, payload in enumerate(PAYLOADS[:24]):
        moderation.flag(author(n), "report", reports[3 + n].id, "abusive", note=payload)
    hidden = {"comment": shown_reports[0].comments[0].id, "proposal_comment": proposal_list[0].comments[0].id}
    for (kind, target_id), reason in zip(hidden.items(), chunks(0, 480)[1:]):
        moderation.hide(planner, kind, target_id, " ".join(reason))
    return {"reports": reports, "shown_reports": shown_reports, "proposals": proposal_list, "plan": plan,
            "solutions": solutions, "calls": calls, "authors": authors}


class Guard:
    """Collects every sign of a payload running: dialogs, page and console errors, CSP violations, injected nodes."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.add_init_script(WATCH_CSP)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        page.on("console", self._console)

    def _dialog(self, dialog):
        self.problems.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response.status == 200, (path, response.status)
        self.page.wait_for_load_state("networkidle")
        self.check(path)

    def poke(self, selector: str = FEATURES) -> dict:
        result = self.page.evaluate(POKE, selector)
        self.problems.extend(f"injected into a tooltip or popup: {html}" for html in result["injected"])
        return result

    def check(self, where: str) -> None:
        self.page.wait_for_timeout(300)  # an <img onerror> fires, or is refused, a moment after insertion
        self.problems.extend(f"{where}: CSP violation {v}" for v in self.page.evaluate("window.__violations || []"))
        self.problems.extend(f"{where}: injected {html}" for html in self.page.evaluate(SCAN_PAGE))
        assert self.problems == [], "\n".join(self.problems)

    def text(self) -> str:
        return self.page.locator("body").text_content()


@pytest.fixture
def open_as(new_page, live_server, app, sign_in):
    """A guarded browser page, signed in as `user` (with the test client's session cookie) or anonymous."""

    def _open(user=None, password=None):
        page = new_page()
        if user is not None:
            client = app.test_client()
            if password:
                sign_in(client, user, password)
            else:
                sign_in(client, user)
            cookie = client.get_cookie("session")
            page.context.add_cookies([{"name": "session", "value": cookie.value, "url": live_server}])
        return Guard(page)

    return _open


def _assert_shown(text: str, payloads, where: str) -> None:
    missing = [p for p in payloads if p not in text]
    assert missing == [], f"{where}: not shown as text: {missing}"


def _zoom_map(guard, selector: str, steps: int) -> None:
    """Zoom the map in around its centre with the keyboard, as a user would."""
    guard.page.locator(selector).focus()
    for _ in range(steps):
        guard.page.keyboard.press("Equal")
        guard.page.wait_for_timeout(350)
    guard.page.wait_for_load_state("networkidle")
    guard.page.wait_for_timeout(500)


def test_map_and_report_pages_show_payloads_as_text(world, open_as):
    reports = world["reports"]
    user, password = world["authors"][0]
    guard = open_as(user, password)
    guard.visit("/?municipality=90001")
    guard.page.wait_for_selector("#results li")
    # Clusters first: hovering shows their coverage, clicking zooms in.
    clusters = guard.poke(".marker-cluster")
    assert clusters["count"] >= 1
    guard.page.wait_for_timeout(800)
    guard.visit("/?municipality=90001")
    guard.page.wait_for_selector("#results li")
    titles = guard.page.locator("#results li > a").all_text_contents()
    assert sorted(titles) == sorted(PAYLOADS)
    _zoom_map(guard, "#map", 4)
    guard.page.check("#show-proposals")
    guard.page.wait_for_selector("#map .proposal-marker")
    result = guard.poke()
    popups = " ".join(result["popups"])
    _assert_shown(popups, PAYLOADS, "map popups")
    _assert_shown(popups, [" ".join(part) for part in chunks(0, 200)], "proposal popups")
    guard.check("map")

    for report, part in zip(world["shown_reports"], chunks(24)):
        guard.visit(f"/reports/{report.id}")
        if report is world["shown_reports"][0]:
            reason = guard.page.locator(".hidden-reason").first.text_content()
            assert reason == " ".join(chunks(0, 480)[1]), "hidden comment's public reason"
        assert guard.page.locator("main h1").first.text_content() == report.title
        _assert_shown(guard.text(), part, f"report {report.id}")
        guard.poke()
        guard.check(f"report {report.id}")
    _assert_shown(guard.page.locator("header .who").text_content(), [user.display_name], "signed-in name")

    # The new-report form lists open reports nearby (within 100 m of the pin) by title.
    spot = COLUMNS * 3 + COLUMNS // 2
    centre, (lon, lat) = reports[spot], _grid(spot)
    guard.visit(f"/reports/new?lat={lat:.6f}&lon={lon:.6f}")
    guard.page.select_option("#category", "traffic")
    guard.page.wait_for_selector("#nearby-list li a")
    nearby = guard.page.locator("#nearby-list li a").all_text_contents()
    assert centre.title in nearby and len(nearby) > 1 and set(nearby) <= set(PAYLOADS)
    guard.poke()
    guard.check("new report")


def test_proposal_pages_show_payloads_as_text(world, open_as):
    reports = world["reports"]
    user, password = world["authors"][1]
    guard = open_as(user, password)
    guard.visit("/proposals/")
    _assert_shown(guard.text(), PAYLOADS, "proposals index")

    query = "&".join(f"report={r.id}" for r in reports)
    guard.visit(f"/proposals/new?{query}")
    result = guard.poke()
    assert sorted(result["tooltips"]) == sorted(PAYLOADS)
    guard.check("new proposal")
    guard.visit(f"/proposals/new?report={reports[0].id}")
    result = guard.poke()
    assert reports[0].title in result["tooltips"] and len(result["tooltips"]) > 1
    guard.check("new proposal for one report")

    expected = sorted(f"#{r.id} {r.title}" for r in reports)
    for proposal, part in zip(world["proposals"], chunks(0, 200)):
        guard.visit(f"/proposals/{proposal.id}")
        _assert_shown(guard.text(), part + [" ".join(part)], f"proposal {proposal.id}")
        result = guard.poke()
        assert sorted(result["tooltips"]) == expected
        guard.check(f"proposal {proposal.id}")


def test_plan_pages_show_payloads_as_text(world, open_as, planner):
    plan = world["plan"]
    ideas = chunks(0, 200)
    resident_user, password = world["authors"][2]
    guard = open_as(resident_user, password)
    guard.visit(f"/plans/{plan.id}")
    text = guard.text()
    _assert_shown(text, PAYLOADS, "public plan")
    _assert_shown(text, [" ".join(part) for part in ideas[:4]], "public plan (plan, call and item titles)")
    result = guard.poke()
    popups = " ".join(result["popups"])
    _assert_shown(popups, [" ".join(part) for part in ideas], "site popups")
    _assert_shown(popups, PAYLOADS, "report popups")
    guard.check("public plan")
    for path in (f"/plans/{plan.id}/versions", f"/plans/{plan.id}/compare?a=1&b=2", f"/plans/{plan.id}/print",
                 f"/plans/{plan.id}?version=1"):
        guard.visit(path)
        _assert_shown(guard.text(), [" ".join(ideas[0])], path)
    _assert_shown(guard.text(), [" ".join(ideas[2])], "version 1 item title")

    editor = open_as(planner)
    editor.visit(f"/plans/{plan.id}/edit")
    values = editor.page.evaluate("Array.from(document.querySelectorAll('input, textarea')).map((e) => e.value)")
    _assert_shown("\n".join(values), [" ".join(ideas[0]), " ".join(ideas[4]), "\n".join(PAYLOADS)] + PAYLOADS,
                  "editor fields")
    editor.page.locator("details").evaluate_all("(all) => all.forEach((d) => { d.open = true; })")
    editor.poke()
    editor.check("editor")
    editor.visit(f"/plans/{plan.id}/consultation")
    _assert_shown(editor.text(), PAYLOADS, "consultation")
    editor.visit("/plans/")
    _assert_shown(editor.text(), [" ".join(ideas[0])], "plan list")


def test_analytics_catalogue_and_calls_show_payloads_as_text(world, open_as, planner, admin):
    guard = open_as(planner)
    guard.visit("/analytics/90001")
    guard.page.wait_for_selector("#analytics-map[data-ready='1']")
    result = guard.poke(".hotspot-marker, .hotspot-outline")
    assert result["count"] >= 2
    _assert_shown(" ".join(result["popups"]), PAYLOADS, "hot-spot popups")
    guard.page.check("#heat-toggle")
    guard.page.wait_for_selector("#analytics-map[data-heat='on']")
    _assert_shown(guard.text(), PAYLOADS[:5], "analytics page")
    guard.check("analytics")
    guard.visit("/moderation/")
    _assert_shown(guard.text(), PAYLOADS[:24], "moderation queue (titles and flag notes)")

    solutions = world["solutions"]
    names = [s.name for s in solutions]
    guard.visit("/catalog/")
    _assert_shown(guard.text(), names, "catalogue")
    guard.visit(f"/catalog/solutions/{solutions[0].code}")
    _assert_shown(guard.text(), [names[0]] + PAYLOADS, "solution page")
    guard.visit("/catalog/kpis")
    _assert_shown(guard.text(), names, "KPI library")

    manager = open_as(admin)
    for path in ("/catalog/admin/solutions", "/catalog/admin/kpis", "/calls/",
                 f"/catalog/admin/solutions/{solutions[0].code}/edit"):
        manager.visit(path)
    manager.visit("/calls/")
    _assert_shown(manager.text(), [c.title for c in world["calls"]], "calls")
    manager.visit(f"/calls/{world['calls'][0].id}/edit")
