"""Moderation in the browser: a resident flags a comment, the planner hides it from the queue, the public sees the
notice instead of the comment; on a desktop and on a 390 px wide phone."""
import re

from playwright.sync_api import expect

from webapp.reports import triage

SECRET = "옆집 아저씨 전화번호는 010-1234-5678"
PHONE = {"width": 390, "height": 844}
CENTRE = "element => element.scrollIntoView({block: 'center'})"


def signed_in_page(new_page, app, live_server, sign_in, user):
    """A browser page carrying the session of a test client signed in with the login helper."""
    client = app.test_client()
    sign_in(client, user)
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    page = new_page()
    page.context.add_cookies([{"name": name, "value": client.get_cookie(name).value, "url": live_server}])
    return page


def test_flagged_comment_is_hidden_by_the_planner(
    new_page, app, live_server, sign_in, resident, neighbour, planner, add_report, screenshot
):
    with app.app_context():
        report = add_report(resident, title="횡단보도 신호등이 고장났어요", description="아침마다 위험합니다.")
        comment = triage.add_comment(resident, report.id, SECRET)
        report_id, comment_id = report.id, comment.id
    report_url = f"/reports/{report_id}"
    details = f"#mod-comment-{comment_id}"

    # A neighbour reports the comment for containing personal data.
    flagger = signed_in_page(new_page, app, live_server, sign_in, neighbour)
    flagger.goto(report_url)
    flagger.locator(f"{details} summary").click()
    flagger.select_option(f"{details}-reason", "personal_data")
    flagger.fill(f"{details}-note", "전화번호가 공개되어 있어요")
    flagger.locator(f"{details} form").evaluate(CENTRE)
    screenshot(flagger, "moderation-flag-form")
    flagger.set_viewport_size(PHONE)
    flagger.locator(f"{details} form").evaluate(CENTRE)
    screenshot(flagger, "moderation-flag-form-phone")
    flagger.locator(f"{details} button[type=submit]").click()
    expect(flagger).to_have_url(re.compile(rf"{report_url}#comment-{comment_id}$"))
    expect(flagger.locator(".flash.success")).to_be_visible()

    # The planner finds it in the queue through the header link and hides it with a reason.
    staff = signed_in_page(new_page, app, live_server, sign_in, planner)
    staff.goto("/")
    staff.locator("header.top a[href='/moderation/']").click()
    entry = staff.locator(f"#q-comment-{comment_id}")
    expect(entry).to_contain_text(SECRET)
    expect(entry.locator("[data-reason=personal_data]")).to_have_attribute("data-count", "1")
    expect(entry).to_contain_text("전화번호가 공개되어 있어요")
    screenshot(staff, "moderation-queue")
    staff.set_viewport_size(PHONE)
    screenshot(staff, "moderation-queue-phone")
    entry.locator("input[name=reason]").fill("개인정보(전화번호)가 포함되어 숨깁니다")
    entry.locator(".hide-form button[type=submit]").click()
    expect(staff.locator(".flash.success")).to_be_visible()
    expect(staff.locator(f"#q-comment-{comment_id}")).to_have_count(0)
    expect(staff.locator(f"#h-comment-{comment_id}")).to_contain_text("개인정보(전화번호)가 포함되어 숨깁니다")

    # The public page shows the notice in place of the comment.
    visitor = new_page()
    visitor.goto(report_url)
    notice = visitor.locator(f"#comment-{comment_id} [data-hidden='comment-{comment_id}']")
    expect(notice).to_contain_text("개인정보(전화번호)가 포함되어 숨깁니다")
    expect(visitor.locator("#comments")).not_to_contain_text(SECRET)
    notice.evaluate(CENTRE)
    screenshot(visitor, "moderation-hidden-comment")
    visitor.set_viewport_size(PHONE)
    notice.evaluate(CENTRE)
    screenshot(visitor, "moderation-hidden-comment-phone")

    # Staff still read it on the page, with the notice and a button to show it again.
    staff.goto(f"{report_url}#comment-{comment_id}")
    expect(staff.locator(f"#comment-{comment_id}")).to_contain_text(SECRET)
    staff.locator(f"#comment-{comment_id} .unhide-form").evaluate(CENTRE)
    screenshot(staff, "moderation-hidden-comment-staff-phone")
    staff.locator(f"#comment-{comment_id} .unhide-form button").click()
    visitor.goto(report_url)
    expect(visitor.locator(f"#comment-{comment_id}")).to_contain_text(SECRET)

    # Staff can also hide the report itself from its page; the public then sees its number and the reason only.
    staff.goto(report_url)
    staff.locator(f"#mod-report-{report_id} summary").click()
    staff.fill(f"#mod-report-{report_id}-reason", "욕설이 포함되어 숨깁니다")
    staff.locator(f"#mod-report-{report_id} button[type=submit]").click()
    expect(staff.locator(f"[data-hidden='report-{report_id}']")).to_be_visible()
    visitor.goto(report_url)
    expect(visitor.locator("h1")).not_to_contain_text("횡단보도 신호등이 고장났어요")
    expect(visitor.locator(f"[data-hidden='report-{report_id}']")).to_contain_text("욕설이 포함되어 숨깁니다")
    expect(visitor.locator("#comments")).to_have_count(0)
    screenshot(visitor, "moderation-hidden-report-phone")
    visitor.set_viewport_size({"width": 1280, "height": 800})
    screenshot(visitor, "moderation-hidden-report")
