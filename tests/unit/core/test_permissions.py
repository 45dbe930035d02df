"""The permission rules, checked with plain stand-ins for users and reports (no database)."""
from dataclasses import dataclass, field

import pytest
from flask_login import AnonymousUserMixin

from webapp.errors import Forbidden, Unauthorized
from webapp.permissions import can, require

EAST, WEST = 1, 2


@dataclass
class FakeUser:
    id: int
    roles: list = field(default_factory=list)  # (role, municipality_id or None)
    is_active: bool = True
    is_authenticated: bool = True

    def has_role(self, role, municipality_id=None):
        return any(r == role and (municipality_id is None or m == municipality_id) for r, m in self.roles)


@dataclass
class FakeReport:
    author_id: int = 10
    municipality_id: int | None = EAST
    status: str = "submitted"
    anonymous: bool = False


ANONYMOUS = AnonymousUserMixin()
AUTHOR = FakeUser(10)
RESIDENT = FakeUser(11)
EAST_PLANNER = FakeUser(20, [("planner", EAST)])
WEST_PLANNER = FakeUser(21, [("planner", WEST)])
ADMIN = FakeUser(30, [("admin", None)])
EAST_CONSULTANT = FakeUser(40, [("consultant", EAST)])


@pytest.mark.parametrize("action", ["report.create", "report.vote", "report.comment"])
def test_resident_actions_need_a_signed_in_active_user(action):
    assert can(RESIDENT, action, FakeReport())
    assert not can(ANONYMOUS, action, FakeReport())
    assert not can(None, action, FakeReport())
    assert not can(FakeUser(12, is_active=False), action, FakeReport())


def test_planner_triages_only_reports_of_their_municipality():
    report = FakeReport(municipality_id=EAST)
    assert can(EAST_PLANNER, "report.triage", report)
    assert not can(WEST_PLANNER, "report.triage", report)


def test_admin_triages_everywhere_residents_and_consultants_never():
    for place in (EAST, WEST):
        assert can(ADMIN, "report.triage", FakeReport(municipality_id=place))
    assert not can(AUTHOR, "report.triage", FakeReport())
    assert not can(RESIDENT, "report.triage", FakeReport())
    assert not can(EAST_CONSULTANT, "report.triage", FakeReport())
    assert not can(ANONYMOUS, "report.triage", FakeReport())


def test_triage_without_a_report_is_denied():
    assert not can(EAST_PLANNER, "report.triage", None)
    assert not can(ADMIN, "report.triage", None)


def test_report_without_municipality_gives_no_planner_rights():
    # has_role(role, None) means "in any municipality": that must not open every report to a planner.
    assert not can(EAST_PLANNER, "report.triage", FakeReport(municipality_id=None))
    assert not can(EAST_PLANNER, "report.see_author", FakeReport(municipality_id=None, anonymous=True))


def test_inactive_planner_cannot_triage():
    inactive = FakeUser(22, [("planner", EAST)], is_active=False)
    assert not can(inactive, "report.triage", FakeReport())


@pytest.mark.parametrize("status", ["submitted", "under_review", "planned", "in_progress", "closed"])
def test_reporter_cannot_reopen_a_report_that_is_not_resolved(status):
    assert not can(AUTHOR, "report.reopen", FakeReport(status=status))


def test_reporter_and_staff_may_reopen_a_resolved_report_others_not():
    resolved = FakeReport(status="resolved")
    assert can(AUTHOR, "report.reopen", resolved)
    assert can(EAST_PLANNER, "report.reopen", resolved)
    assert can(ADMIN, "report.reopen", resolved)
    assert not can(RESIDENT, "report.reopen", resolved)
    assert not can(WEST_PLANNER, "report.reopen", resolved)
    assert not can(ANONYMOUS, "report.reopen", resolved)


def test_author_of_a_public_report_is_shown_to_everyone():
    assert can(ANONYMOUS, "report.see_author", FakeReport(anonymous=False))


@pytest.mark.parametrize("action", ["report.see_author", "proposal.see_author"])
def test_author_of_an_anonymous_item_is_shown_to_author_and_staff_only(action):
    hidden = FakeReport(anonymous=True)  # a proposal has the same municipality, author and flag
    assert can(AUTHOR, action, hidden)
    assert can(EAST_PLANNER, action, hidden)
    assert can(ADMIN, action, hidden)
    assert not can(RESIDENT, action, hidden)
    assert not can(WEST_PLANNER, action, hidden)
    assert not can(ANONYMOUS, action, hidden)


@pytest.mark.parametrize("action", ["catalog.manage", "call.manage"])
def test_managing_the_catalogue_and_calls_is_for_admins_only(action):
    assert can(ADMIN, action)
    assert not can(EAST_PLANNER, action)
    assert not can(RESIDENT, action)


def test_evaluation_rubrics_are_managed_by_active_admins_only():
    assert can(ADMIN, "evaluation.manage")
    for user in (EAST_PLANNER, EAST_CONSULTANT, RESIDENT, ANONYMOUS, None,
                 FakeUser(31, [("admin", None)], is_active=False), FakeUser(32, [("evaluator", None)])):
        assert not can(user, "evaluation.manage")
    with pytest.raises(Unauthorized):
        require(ANONYMOUS, "evaluation.manage")
    with pytest.raises(Forbidden):
        require(EAST_PLANNER, "evaluation.manage")


def test_unknown_action_is_denied_even_to_admins():
    assert not can(ADMIN, "report.delete_everything", FakeReport())
    with pytest.raises(Forbidden):
        require(ADMIN, "report.delete_everything", FakeReport())


def test_require_raises_unauthorized_for_visitors_and_forbidden_for_others():
    with pytest.raises(Unauthorized) as not_signed_in:
        require(ANONYMOUS, "report.triage", FakeReport())
    assert not_signed_in.value.status == 401
    with pytest.raises(Forbidden) as forbidden:
        require(WEST_PLANNER, "report.triage", FakeReport())
    assert forbidden.value.status == 403
    require(EAST_PLANNER, "report.triage", FakeReport())  # allowed: no exception


@dataclass
class FakeComment:
    author_id: int = 10


def test_signed_in_residents_flag_what_others_wrote_never_their_own():
    assert can(RESIDENT, "content.flag", FakeComment())
    assert can(EAST_PLANNER, "content.flag", FakeReport())
    assert not can(AUTHOR, "content.flag", FakeComment())
    assert not can(AUTHOR, "content.flag", FakeReport())
    assert not can(ANONYMOUS, "content.flag", FakeComment())
    assert not can(FakeUser(12, is_active=False), "content.flag", FakeComment())


def test_flagging_needs_an_item_with_an_author():
    assert not can(RESIDENT, "content.flag", None)
    assert not can(RESIDENT, "content.flag", object())


def test_staff_of_the_items_municipality_moderate_it():
    assert can(EAST_PLANNER, "content.moderate", FakeReport(municipality_id=EAST))
    assert can(ADMIN, "content.moderate", FakeReport(municipality_id=WEST))
    assert not can(WEST_PLANNER, "content.moderate", FakeReport(municipality_id=EAST))
    for user in (AUTHOR, RESIDENT, EAST_CONSULTANT, ANONYMOUS):
        assert not can(user, "content.moderate", FakeReport())


def test_moderation_fails_closed_without_a_municipality():
    assert not can(EAST_PLANNER, "content.moderate", None)
    assert not can(EAST_PLANNER, "content.moderate", FakeReport(municipality_id=None))
    assert not can(EAST_PLANNER, "content.moderate", object())
    assert not can(ADMIN, "content.moderate", None)
    assert not can(ADMIN, "content.moderate", object())


def test_moderation_queue_is_for_planners_and_admins():
    assert can(EAST_PLANNER, "moderation.queue") and can(ADMIN, "moderation.queue")
    for user in (RESIDENT, EAST_CONSULTANT, ANONYMOUS, FakeUser(23, [("planner", EAST)], is_active=False)):
        assert not can(user, "moderation.queue")


def test_moderated_municipalities_are_a_planners_own_or_all_for_admins():
    from types import SimpleNamespace

    from webapp.permissions import moderated_municipalities

    def with_grants(*grants):
        user = FakeUser(50, [(role, place) for role, place in grants])
        user.grants = [SimpleNamespace(role=role, municipality_id=place) for role, place in grants]
        return user

    assert moderated_municipalities(with_grants(("planner", EAST), ("consultant", WEST))) == {EAST}
    assert moderated_municipalities(with_grants(("admin", None))) is None
    assert moderated_municipalities(with_grants()) == set()
    assert moderated_municipalities(ANONYMOUS) == set()


@dataclass
class FakeHiddenReport(FakeReport):
    hidden: bool = True


@pytest.mark.parametrize("action", ["report.vote", "report.comment", "proposal.vote", "proposal.comment"])
def test_nobody_votes_for_or_comments_on_a_hidden_item(action):
    assert can(RESIDENT, action, FakeReport())
    assert not can(RESIDENT, action, FakeHiddenReport())
    assert not can(ADMIN, action, FakeHiddenReport())
