"""Call output needs no request or service: whether a call is open is read at the `now` it is given."""
from datetime import date, datetime, timedelta, timezone

from webapp.calls import window
from webapp.calls.schemas import CallListOut, CallOut
from webapp.core.output import Viewer
from webapp.models import Call

OPENS = datetime(2026, 3, 2, 0, 0, tzinfo=timezone.utc)
CLOSES = datetime(2026, 4, 30, 15, 30, tzinfo=timezone.utc)  # 1 May 00:30 in Seoul


def _call(**kw) -> Call:
    values = {"id": 3, "title": "2026 공모", "programme": "small_mid_city", "year": 2026, "opens_at": OPENS,
              "closes_at": CLOSES, "cap_total": 4_000_000_000, "max_national_share_bp": 5000,
              "max_national_amount": 2_000_000_000, "selections": 16, "build_months": 12}
    return Call(**{**values, **kw})


def _viewer(*allowed):
    return Viewer(lang="en", may=lambda action, target=None: action in allowed, url=lambda e, **v: f"/{e}/{v}")


def test_a_call_is_dumped_with_its_window_limits_and_build_period():
    body = CallOut(_viewer(), now=OPENS).dump(_call())
    assert body == {
        "id": 3, "title": "2026 공모", "title_en": None, "display_title": "2026 공모",
        "programme": "small_mid_city", "year": 2026,
        "opens_at": "2026-03-02T00:00:00+00:00", "closes_at": "2026-04-30T15:30:00+00:00",
        "cap_total": 4_000_000_000, "max_national_share_bp": 5000, "max_national_amount": 2_000_000_000,
        "selections": 16, "build_months": 12, "build_period": ["2026-05-01", "2027-05-01"], "open": True,
    }


def test_the_display_title_is_in_the_viewers_language_falling_back_to_korean():
    call = _call(title_en="2026 call")
    assert CallOut(_viewer(), now=OPENS).dump(call)["display_title"] == "2026 call"
    assert CallOut(Viewer(lang="ko"), now=OPENS).dump(call)["display_title"] == "2026 공모"
    assert CallOut(_viewer(), now=OPENS).dump(_call(title_en=""))["display_title"] == "2026 공모"


def test_open_is_read_at_the_given_moment():
    call = _call()
    assert CallOut(_viewer(), now=OPENS - timedelta(microseconds=1)).dump(call)["open"] is False
    assert CallOut(_viewer(), now=CLOSES - timedelta(microseconds=1)).dump(call)["open"] is True
    assert CallOut(_viewer(), now=CLOSES).dump(call)["open"] is False


def test_stored_times_without_a_zone_are_utc():
    # SQLite hands stored UTC times back without their zone.
    call = _call(opens_at=OPENS.replace(tzinfo=None), closes_at=CLOSES.replace(tzinfo=None))
    body = CallOut(_viewer(), now=OPENS).dump(call)
    assert body["opens_at"] == "2026-03-02T00:00:00+00:00" and body["open"] is True


def test_the_list_says_whether_the_viewer_may_manage_calls():
    calls = [_call(), _call(id=4, title="지난 공모", closes_at=OPENS + timedelta(days=1))]
    listed = CallListOut(_viewer(), now=OPENS + timedelta(days=2)).dump(calls)
    assert [(c["id"], c["open"]) for c in listed["calls"]] == [(3, True), (4, False)]
    assert listed["can_manage"] is False
    assert CallListOut(_viewer("call.manage"), now=OPENS).dump(calls)["can_manage"] is True


def test_build_period_ends_on_the_same_day_months_later_or_the_months_last_day():
    assert window.build_period(_call(build_months=1)) == (date(2026, 5, 1), date(2026, 6, 1))
    jan_31 = datetime(2026, 1, 31, 3, 0, tzinfo=timezone.utc)
    assert window.build_period(_call(closes_at=jan_31, build_months=1)) == (date(2026, 1, 31), date(2026, 2, 28))
    assert window.build_period(_call(closes_at=jan_31, build_months=13)) == (date(2026, 1, 31), date(2027, 2, 28))
