"""The strike policy, driven through the gateway's real send action and engine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ObjectDoesNotExist

from messaging.errors import Suspended
from models import (
    AuditLog,
    Case,
    Contract,
    ConversationKind,
    Message,
    Strike,
    Suspension,
    User,
    Violation,
)
from moderation import services
from tests.moderation.conftest import EMAIL, PHONE, SPELLED


def test_a_plain_attempt_is_one_strike_and_the_warning_counts_what_is_left(
    frame_of, send, freelancer, project
):
    outcome = send(freelancer, project, PHONE)
    warning = frame_of(outcome, "warning")
    assert "2 strikes left before your account is suspended" in warning["detail"]
    assert "phone numbers" in warning["detail"]
    assert "98765" not in warning["detail"]
    violation = Violation.objects.get()
    assert (violation.kinds, violation.disguised, violation.action) == (["phone"], False, "mask")
    assert list(violation.messages.values_list("seq", flat=True)) == [1]
    assert violation.strike.points == 1
    assert violation.matched.reveal() == "98765 43210"


def test_a_disguised_attempt_counts_double(send, freelancer, project):
    send(freelancer, project, SPELLED)
    violation = Violation.objects.get()
    assert violation.disguised
    assert services.active_points(freelancer) == 2


def test_flagged_for_review_at_two_points(send, freelancer, project):
    send(freelancer, project, PHONE)
    case = Case.objects.get()
    assert case.flagged_at is None
    send(freelancer, project, EMAIL)
    case.refresh_from_db()
    assert case.flagged_at is not None
    assert case.severity == 2
    assert AuditLog.objects.filter(action="flag", case=case, actor=None).count() == 1
    assert not User.objects.get(pk=freelancer.pk).is_suspended


def test_suspended_automatically_at_three_points_and_further_sends_refused(
    frame_of, send, freelancer, project
):
    send(freelancer, project, PHONE)
    outcome = send(freelancer, project, SPELLED)
    assert "suspended until a moderator reviews it" in frame_of(outcome, "warning")["detail"]
    freelancer.refresh_from_db()
    assert freelancer.is_suspended
    suspension = Suspension.objects.get(user=freelancer)
    assert suspension.automatic and suspension.lifted_at is None
    assert "3 strike points" in suspension.reason
    assert AuditLog.objects.filter(action="suspend", subject=freelancer, actor=None).exists()
    # Pending review: the case stays open in the moderators' queue.
    assert Case.objects.get().status == "open"
    with pytest.raises(Suspended):
        send(freelancer, project, "hello again")


def test_strikes_expire_after_thirty_days(frame_of, send, freelancer, project, clock):
    send(freelancer, project, PHONE)
    send(freelancer, project, EMAIL)
    clock(timedelta(days=30, seconds=1))
    assert services.active_points(freelancer) == 0
    outcome = send(freelancer, project, PHONE)
    assert "2 strikes left" in frame_of(outcome, "warning")["detail"]
    assert not User.objects.get(pk=freelancer.pk).is_suspended


def test_strikes_within_thirty_days_add_up(send, freelancer, project, clock):
    send(freelancer, project, PHONE)
    clock(timedelta(days=29))
    send(freelancer, project, EMAIL)
    clock(timedelta(days=0, hours=23))
    send(freelancer, project, "ping me: dev.guy@outlook.com")
    assert User.objects.get(pk=freelancer.pk).is_suspended


def test_a_split_attempt_is_one_violation_naming_every_piece(frame_of, send, freelancer, project):
    first = send(freelancer, project, "my number is 98765")
    assert frame_of(first, "warning") is None
    assert not Violation.objects.exists()
    send(freelancer, project, "43210 call me")
    violation = Violation.objects.get()
    assert sorted(violation.messages.values_list("seq", flat=True)) == [1, 2]
    assert violation.disguised  # splitting is a disguise
    assert services.active_points(freelancer) == 2


def test_support_chats_mask_without_strikes(frame_of, make_conversation, send, freelancer, agent):
    support = make_conversation(freelancer, agent, kind=ConversationKind.SUPPORT)
    outcome = send(freelancer, support, EMAIL)
    assert Message.objects.get(conversation=support).text == "my email is [email removed]"
    assert "strike" not in frame_of(outcome, "warning")["detail"]
    assert Violation.objects.get().kinds == ["email"]
    assert not Strike.objects.exists()


def test_an_active_contract_relaxes_only_when_the_setting_allows(
    send, freelancer, client_user, project, settings
):
    services.activate_contract(project.pk, client_user)
    send(freelancer, project, PHONE)
    assert services.active_points(freelancer) == 1  # off by default: still strikes
    settings.MODERATION_RELAX_AFTER_CONTRACT = True
    project.refresh_from_db()
    send(freelancer, project, EMAIL)
    assert services.active_points(freelancer) == 1
    assert Contract.objects.get().activated_by == client_user


def test_only_the_client_marks_a_contract(freelancer, project):
    with pytest.raises(services.NotAllowed):
        services.activate_contract(project.pk, freelancer)
    with pytest.raises(ObjectDoesNotExist):
        project.contract  # noqa: B018 - the reverse accessor raises when absent


def test_the_same_detail_in_several_conversations_is_one_escalating_pattern(
    make_conversation, make_user, send, freelancer, project
):
    other = make_conversation(freelancer, make_user("cleo", "client"))
    send(freelancer, project, PHONE)
    send(freelancer, other, "reach me on +91 98765 43210")
    latest = Violation.objects.filter(conversation=other).get()
    assert services.pattern_conversations(latest) == sorted([project.pk, other.pk])
    # Two points plus one for the second conversation the number went into.
    assert latest.case.severity == 3
    # The detail itself is not stored in the clear: only keyed digests.
    digests = set(latest.fingerprints.values_list("digest", flat=True))
    assert all("98765" not in digest for digest in digests)
    assert digests == set(
        Violation.objects.get(conversation=project).fingerprints.values_list("digest", flat=True)
    )


@pytest.mark.parametrize(
    ("action", "frame_text"),
    [("block", False), ("bounce", True), ("hold", False)],
)
def test_withheld_sends_reach_nobody_and_keep_the_sequence(
    frame_of, send, freelancer, project, settings, action, frame_text
):
    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES, "project": {"strikes": True, "actions": {"phone": action}}
    }
    send(freelancer, project, "hello")
    outcome = send(freelancer, project, PHONE, client_id="x1")
    assert outcome.broadcast == ()
    withheld = frame_of(outcome, "message.withheld")
    assert withheld["action"] == action and withheld["client_id"] == "x1"
    assert ("text" in withheld) is frame_text
    assert frame_of(outcome, "warning") is not None
    assert list(Message.objects.values_list("seq", flat=True)) == [1]
    project.refresh_from_db()
    assert project.last_seq == 1
    # The resent frame is the same attempt: same answer, no second strike.
    again = send(freelancer, project, PHONE, client_id="x1")
    assert frame_of(again, "message.withheld")["action"] == action
    assert services.active_points(freelancer) == 1
    # Other kinds keep the default.
    assert send(freelancer, project, EMAIL).broadcast[0]["text"] == "my email is [email removed]"


def test_the_flag_action_delivers_and_flags_at_once(send, freelancer, project, settings):
    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES, "project": {"strikes": True, "actions": {"*": "flag"}}
    }
    outcome = send(freelancer, project, PHONE)
    assert outcome.broadcast[0]["text"] == "call me at [phone removed]"
    assert Case.objects.get().flagged_at is not None


def test_an_edit_is_masked_never_withheld(send, freelancer, project, settings):
    from messaging import actions
    from messaging.limits import Limits

    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES, "project": {"strikes": True, "actions": {"*": "block"}}
    }
    sent = send(freelancer, project, "hello")
    outcome = actions.edit_message(
        freelancer, project.pk, sent.reply[0]["id"], PHONE, limits=Limits.from_settings()
    )
    assert outcome.broadcast[0]["text"] == "call me at [phone removed]"
    assert Violation.objects.get().action == "mask"


def test_a_bad_rule_names_its_stage(send, freelancer, project, settings):
    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES, "project": {"strikes": True, "actions": {"*": "explode"}}
    }
    with pytest.raises(ValueError, match="MODERATION_RULES\\['project'\\]"):
        send(freelancer, project, PHONE)
    assert not Message.objects.exists()  # nothing stored half-way
