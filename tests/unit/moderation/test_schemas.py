"""Moderation output schemas dumped with a hand-made viewer and plain stand-ins, outside any app or request."""
from datetime import datetime

import pytest
from flask import has_app_context

from webapp.core.output import Viewer
from webapp.models import Flag, Proposal, ProposalComment
from webapp.moderation.schemas import EntryOut, FlagOut, Linked, TargetOut
from webapp.moderation.service import QueueEntry, Target

WHEN = datetime(2024, 5, 1, 3, 4, 5)  # as SQLite hands it back: UTC without its zone
VIEWER = Viewer(lang="en", may=lambda action, target=None: False, url=lambda e, **v: f"/{e}/{v}")


@pytest.fixture(autouse=True)
def _no_app_at_all():
    assert not has_app_context()  # nothing here may lean on an app, a request or a signed-in user
    yield


def test_a_flag_says_whether_this_request_made_it_and_whether_staff_decided():
    flag = Flag(target_kind="report", target_id=9, reason="personal_data", note="전화번호가 있어요")
    assert FlagOut(VIEWER, created=True).dump(flag) == {"kind": "report", "id": 9, "reason": "personal_data",
                                                        "note": "전화번호가 있어요", "created": True, "resolved": False}
    flag.resolved_at = WHEN
    shown = FlagOut(VIEWER, created=False).dump(flag)
    assert shown["created"] is False and shown["resolved"] is True


def _comment_target(**hidden):
    proposal = Proposal(id=4, municipality_id=2)
    return Target("proposal_comment", ProposalComment(id=11, proposal_id=4, body="댓글", **hidden), proposal)


def test_a_target_is_its_kind_id_municipality_state_and_the_page_it_was_given():
    hidden = _comment_target(hidden_at=WHEN, hidden_reason="개인정보")
    assert TargetOut(VIEWER).dump(Linked(hidden, "/proposals/4#comment-11")) == {
        "kind": "proposal_comment", "id": 11, "municipality_id": 2, "url": "/proposals/4#comment-11",
        "hidden": True, "hidden_reason": "개인정보"}
    shown = TargetOut(VIEWER).dump([Linked(_comment_target(), "/p")], many=True)
    assert shown[0]["hidden"] is False and shown[0]["hidden_reason"] is None


def test_a_queue_entry_counts_every_reason_and_gives_its_time_with_the_offset():
    entry = QueueEntry(target=_comment_target(), counts={"abusive": 2}, notes=["욕설"], first_flagged_at=WHEN)
    assert EntryOut(VIEWER).dump(Linked(entry, "/proposals/4#comment-11")) == {
        "kind": "proposal_comment", "id": 11, "municipality_id": 2, "url": "/proposals/4#comment-11",
        "hidden": False, "hidden_reason": None, "flags": 2, "counts": {"abusive": 2, "personal_data": 0},
        "notes": ["욕설"], "first_flagged_at": "2024-05-01T03:04:05+00:00"}
