"""Proposal output schemas dumped with a hand-made viewer and model instances outside any database, app or
request: what a viewer sees follows only from what the viewer says it may do and which language it reads."""
from datetime import datetime, timezone

import pytest
from flask import has_app_context
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPoint, Point

from webapp.core.output import Viewer
from webapp.models import Municipality, Proposal, ProposalComment, Report, Solution, User
from webapp.proposals.schemas import Counted, ProposalDetailOut, ProposalOut, SuggestionOut

WHEN = datetime(2024, 5, 1, 3, 4, 5, tzinfo=timezone.utc)
HIDDEN_AT = datetime(2024, 5, 2, tzinfo=timezone.utc)


def url(endpoint, **values):
    return f"/{endpoint}/{values}"


def viewer(lang="en", allowed=()):
    """A viewer allowed exactly the `allowed` actions; every check it is asked is recorded in `asked`."""
    asked = []

    def may(action, target=None):
        asked.append((action, target))
        return action in allowed

    found = Viewer(lang=lang, may=may, url=url)
    return found, asked


@pytest.fixture(autouse=True)
def _no_app_at_all():
    assert not has_app_context()  # nothing here may lean on an app, a request or a signed-in user
    yield


@pytest.fixture
def proposal():
    east = Municipality(code="90001", name="동시", name_en="East City", province="시험도")
    crosswalk = Solution(id=4, code="smart-crosswalk", name="스마트 횡단보도", name_en="Smart crosswalk",
                         domain="transport_safety")
    reports = [Report(id=3, geom=from_shape(Point(127.05, 37.05), srid=4326)),
               Report(id=5, geom=from_shape(Point(127.052, 37.051), srid=4326))]
    comments = [ProposalComment(id=1, author=User(display_name="주민"), body="좋아요", created_at=WHEN),
                ProposalComment(id=2, author=User(display_name="손님"), body="전화번호 010", created_at=WHEN,
                                hidden_at=HIDDEN_AT, hidden_reason="개인정보")]
    return Proposal(id=7, municipality=east, solution=crosswalk, author=User(display_name="이웃"), idea="",
                    reason="아이들이 위험합니다.", cost_estimate=35_000_000, anonymous=True, status="open",
                    answer_note="", created_at=WHEN, reports=reports, comments=comments)


def test_list_feature_in_the_viewers_language_with_the_counts_it_was_given(proposal):
    english, asked = viewer("en")
    feature = ProposalOut(english).dump(Counted(proposal, 12, True))
    assert feature["type"] == "Feature" and feature["id"] == 7
    # No sites proposed: the points of the reports answered.
    assert feature["geometry"] == {"type": "MultiPoint", "coordinates": [[127.05, 37.05], [127.052, 37.051]]}
    assert feature["properties"] == {
        "id": 7, "title": "Smart crosswalk", "solution": "smart-crosswalk", "status": "open",
        "status_name": "Open for votes", "municipality": "90001", "votes": 12, "voted": True, "reports": [3, 5],
        "has_sites": False, "created_at": "2024-05-01T03:04:05+00:00", "url": "/proposals.show/{'proposal_id': 7}",
    }
    assert asked == []  # a list shows nothing that depends on permissions
    korean, _ = viewer("ko")
    assert ProposalOut(korean).dump(Counted(proposal, 0))["properties"]["title"] == "스마트 횡단보도"


def test_proposed_sites_are_the_geometry_and_an_idea_is_the_title(proposal):
    proposal.solution = None
    proposal.idea = "골목 태양광 가로등"
    proposal.sites = from_shape(MultiPoint([(127.0512345678, 37.05), (127.06, 37.06)]), srid=4326)
    features = ProposalOut(viewer()[0]).dump([Counted(proposal, 1), Counted(proposal, 2)], many=True)
    assert [f["properties"]["votes"] for f in features] == [1, 2]
    assert features[0]["geometry"]["coordinates"] == [[127.0512346, 37.05], [127.06, 37.06]]
    assert features[0]["properties"]["title"] == "골목 태양광 가로등" and features[0]["properties"]["solution"] is None
    assert features[0]["properties"]["has_sites"] is True


def test_the_author_is_shown_only_when_the_viewer_may_see_it(proposal):
    stranger, asked = viewer()
    assert ProposalDetailOut(stranger).dump(Counted(proposal, 0))["properties"]["author"] is None
    assert ("proposal.see_author", proposal) in asked
    staff, _ = viewer(allowed={"proposal.see_author"})
    assert ProposalDetailOut(staff).dump(Counted(proposal, 0))["properties"]["author"] == "이웃"


def test_detail_shows_the_text_answer_and_comments_with_hidden_comment_text_left_out(proposal):
    proposal.answer_note = "내년 계획에 반영합니다."
    proposal.answered_at = WHEN
    props = ProposalDetailOut(viewer()[0]).dump(Counted(proposal, 3))["properties"]
    assert props["reason"] == "아이들이 위험합니다." and props["idea"] == "" and props["cost_estimate"] == 35_000_000
    assert props["answer"] == "내년 계획에 반영합니다." and props["answered_at"] == "2024-05-01T03:04:05+00:00"
    assert props["hidden"] is False and "hidden_reason" not in props
    assert props["comments"] == [
        {"author": "주민", "body": "좋아요", "at": "2024-05-01T03:04:05+00:00", "hidden": False},
        {"author": "손님", "body": None, "at": "2024-05-01T03:04:05+00:00", "hidden": True,
         "hidden_reason": "개인정보"},
    ]
    moderator, asked = viewer(allowed={"content.moderate"})
    props = ProposalDetailOut(moderator).dump(Counted(proposal, 3))["properties"]
    assert props["comments"][1]["body"] == "전화번호 010" and props["comments"][1]["hidden_reason"] == "개인정보"
    assert ("content.moderate", proposal) in asked


def test_a_hidden_proposal_keeps_its_reason_and_its_text_only_for_staff(proposal):
    proposal.hidden_at, proposal.hidden_reason = HIDDEN_AT, "중복 게시"
    props = ProposalDetailOut(viewer()[0]).dump(Counted(proposal, 0))["properties"]
    assert props["hidden"] is True and props["hidden_reason"] == "중복 게시"
    assert (props["title"], props["idea"], props["reason"], props["cost_estimate"]) == (None, None, None, None)
    assert props["comments"] == []
    props = ProposalDetailOut(viewer(allowed={"content.moderate"})[0]).dump(Counted(proposal, 0))["properties"]
    assert props["hidden_reason"] == "중복 게시" and props["reason"] == "아이들이 위험합니다."
    assert props["title"] == "Smart crosswalk" and len(props["comments"]) == 2


class Suggested:
    """A stand-in for a suggestion: the solution, its score and the (already translated) reasons."""

    def __init__(self, solution, score, reasons):
        self.solution, self.score, self.reasons = solution, score, reasons


def test_suggestions_name_the_solution_in_the_viewers_language_and_link_the_proposal_form(proposal):
    suggestion = Suggested(proposal.solution, 5, ["fits the category"])
    for lang, name in (("en", "Smart crosswalk"), ("ko", "스마트 횡단보도")):
        assert SuggestionOut(viewer(lang)[0], report_id=3).dump([suggestion], many=True) == [{
            "solution": "smart-crosswalk", "solution_id": 4, "name": name, "domain": "transport_safety",
            "score": 5, "reasons": ["fits the category"],
            "propose_url": "/proposals.new/{'report': 3, 'solution': 4}",
        }]
