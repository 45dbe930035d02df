"""Programme types give a new call its default limits; calls have an optional English title."""
import pytest

from tests.fixtures.people import login
from webapp.extensions import db
from webapp.models import Call

BODY = {"title": "2026 리빙랩 공모", "year": 2026, "opens_at": "2026-03-02T09:00", "closes_at": "2026-04-30 18:00"}
LIMITS = ("cap_total", "max_national_share_bp", "max_national_amount", "selections", "build_months")


def _limits(body: dict) -> tuple:
    return tuple(body[name] for name in LIMITS)


@pytest.mark.parametrize("programme, limits", [
    ("small_mid_city", (4_000_000_000, 5000, 2_000_000_000, 16, 12)),
    ("public_private", (1_500_000_000, 5000, 750_000_000, 10, 12)),
    ("living_lab", (1_000_000_000, 5000, 500_000_000, 5, 12)),
])
def test_a_call_of_a_programme_takes_its_defaults(client, admin, programme, limits):
    login(client, admin)
    response = client.post("/api/v1/calls", json={**BODY, "programme": programme})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["programme"] == programme and _limits(response.get_json()) == limits
    stored = db.session.get(Call, response.get_json()["id"])
    assert (stored.programme, *(getattr(stored, name) for name in LIMITS)) == (programme, *limits)


def test_limits_given_win_over_the_programmes_defaults(client, admin):
    login(client, admin)
    body = client.post("/api/v1/calls", json={**BODY, "programme": "public_private", "cap_total": "1,200,000,000",
                                               "selections": 8}).get_json()
    assert _limits(body) == (1_200_000_000, 5000, 750_000_000, 8, 12)


def test_an_unknown_programme_is_refused(client, admin):
    login(client, admin)
    response = client.post("/api/v1/calls", json={**BODY, "programme": "mega_city"})
    assert response.status_code == 422 and "programme" in response.get_json()["error"]["fields"]
    assert db.session.query(Call).count() == 0
    created = client.post("/api/v1/calls", json=BODY).get_json()
    patched = client.patch(f"/api/v1/calls/{created['id']}", json={"programme": "mega_city"})
    assert patched.status_code == 422 and "programme" in patched.get_json()["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(Call, created["id"]).programme == "small_mid_city"


def test_the_service_refuses_an_unknown_programme_too(ctx, admin):
    from webapp.calls import service as calls
    from webapp.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        calls.create(admin, {**BODY, "programme": "mega_city"})
    assert "programme" in refused.value.fields


def test_changing_the_programme_of_a_call_keeps_its_limits(client, admin):
    login(client, admin)
    created = client.post("/api/v1/calls", json=BODY).get_json()
    patched = client.patch(f"/api/v1/calls/{created['id']}", json={"programme": "living_lab"}).get_json()
    assert patched["programme"] == "living_lab" and _limits(patched) == _limits(created)


def test_the_english_title_falls_back_to_the_korean_one(client, admin):
    login(client, admin)
    korean_only = client.post("/api/v1/calls", json=BODY).get_json()
    assert korean_only["title_en"] is None and korean_only["display_title"] == BODY["title"]
    both = client.post("/api/v1/calls", json={**BODY, "title_en": "2026 living lab call"}).get_json()
    english = client.get(f"/api/v1/calls/{both['id']}?lang=en").get_json()
    assert english["title_en"] == "2026 living lab call" and english["display_title"] == "2026 living lab call"
    assert english["title"] == BODY["title"]
    assert client.get(f"/api/v1/calls/{both['id']}?lang=ko").get_json()["display_title"] == BODY["title"]
    assert client.get(f"/api/v1/calls/{korean_only['id']}?lang=en").get_json()["display_title"] == BODY["title"]
    listed = {c["id"]: c["display_title"] for c in client.get("/api/v1/calls?lang=en").get_json()["calls"]}
    assert listed == {korean_only["id"]: BODY["title"], both["id"]: "2026 living lab call"}
    cleared = client.patch(f"/api/v1/calls/{both['id']}?lang=en", json={"title_en": None}).get_json()
    assert cleared["title_en"] is None and cleared["display_title"] == BODY["title"]


def test_the_calls_page_shows_the_title_and_programme_in_the_viewers_language(client, admin):
    login(client, admin)
    client.post("/api/v1/calls", json={**BODY, "title_en": "Living lab call", "programme": "living_lab"})
    english = client.get("/calls/?lang=en").get_data(as_text=True)
    assert "Living lab call" in english and "Citizen-led living lab" in english
    korean = client.get("/calls/?lang=ko").get_data(as_text=True)
    assert BODY["title"] in korean and "시민주도 리빙랩형" in korean and "Living lab call" not in korean


FORM = {"title": "웹 리빙랩 공모", "year": "2026", "opens_at": "2026-03-02T09:00", "closes_at": "2026-04-30T18:00"}


def test_the_form_creates_a_call_of_a_programme_with_its_defaults_and_an_english_title(client, admin):
    login(client, admin)
    page = client.get("/calls/new?lang=en").get_data(as_text=True)
    assert 'name="programme"' in page and 'value="living_lab"' in page and 'name="title_en"' in page
    assert 'name="cap_total" type="text" value=""' in page  # empty: the programme's default
    form = {**FORM, "programme": "living_lab", "title_en": "Web living lab", "cap_total": "", "selections": ""}
    assert client.post("/calls/new", data=form).status_code == 302
    call = db.session.query(Call).one()
    assert (call.programme, call.title_en, call.cap_total, call.selections) == ("living_lab", "Web living lab",
                                                                               1_000_000_000, 5)
    edit = client.get(f"/calls/{call.id}/edit").get_data(as_text=True)
    assert 'value="Web living lab"' in edit and '<option value="living_lab" selected>' in edit


def test_the_form_refuses_an_unknown_programme_and_clears_an_emptied_english_title(client, admin):
    login(client, admin)
    assert client.post("/calls/new", data={**FORM, "programme": "mega_city"}).status_code == 422
    assert db.session.query(Call).count() == 0
    client.post("/calls/new", data={**FORM, "title_en": "Web call"})
    call = db.session.query(Call).one()
    edit = {**FORM, "title_en": "", "programme": "small_mid_city", "cap_total": "4,000,000,000",
            "max_national_share_percent": "50", "max_national_amount": "2,000,000,000", "selections": "16",
            "build_months": "12"}
    assert client.post(f"/calls/{call.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    assert db.session.get(Call, call.id).title_en is None
