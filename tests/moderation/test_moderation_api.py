"""The moderation JSON API: permissions on every endpoint, each action audited, the
users' own data and appeals, holds, the corpus export."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from models import Appeal, AuditLog, Case, Message, Role, Strike, Suspension, User, Violation
from moderation import services
from tests.moderation.conftest import EMAIL, PHONE

#: Every moderators' endpoint: (url name, kwargs, method).
MODERATOR_ENDPOINTS = [
    ("moderation:queue", {}, "get"),
    ("moderation:case", {"case_id": 1}, "get"),
    ("moderation:reveal", {"case_id": 1}, "post"),
    ("moderation:case-action", {"case_id": 1}, "post"),
    ("moderation:hold", {"violation_id": 1}, "post"),
    ("moderation:suspend", {"user_id": 1}, "post"),
    ("moderation:lift", {"user_id": 1}, "post"),
    ("moderation:appeals", {}, "get"),
    ("moderation:decide-appeal", {"appeal_id": 1}, "post"),
    ("moderation:audit", {}, "get"),
    ("moderation:export-dismissed", {}, "get"),
]
ACCOUNT_ENDPOINTS = [
    ("moderation:my-data", {}, "get"),
    ("moderation:my-strikes", {}, "get"),
    ("moderation:my-appeal", {}, "post"),
    ("moderation:contract", {"conversation_id": 1}, "post"),
]


def _call(client, name, kwargs, method, body=None):
    url = reverse(name, kwargs=kwargs)
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize("role", [Role.FREELANCER, Role.CLIENT, Role.AGENT])
@pytest.mark.parametrize(("name", "kwargs", "method"), MODERATOR_ENDPOINTS)
def test_every_moderator_endpoint_refuses_other_roles(api, make_user, role, name, kwargs, method):
    response = _call(api(make_user(f"someone-{role}", role)), name, kwargs, method,
                     {"reason": "x", "action": "suspend", "allow": True, "accept": True})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_moderator"
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize(("name", "kwargs", "method"), MODERATOR_ENDPOINTS + ACCOUNT_ENDPOINTS)
def test_every_endpoint_wants_a_login(api, name, kwargs, method):
    response = _call(api(None), name, kwargs, method)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_wrong_method_is_a_json_405(api, moderator):
    response = api(moderator).delete(reverse("moderation:queue"))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.fixture
def flagged_case(send, freelancer, project) -> Case:
    send(freelancer, project, "hi there")
    send(freelancer, project, PHONE)
    send(freelancer, project, EMAIL)
    return Case.objects.get(flagged_at__isnull=False)


def test_queue_orders_by_severity_and_filters(api, moderator, flagged_case, make_user,
                                              make_conversation, send):
    other_user = make_user("olly", Role.FREELANCER)
    other = make_conversation(other_user, make_user("cass", Role.CLIENT))
    send(other_user, other, "nine eight seven six five four three two one zero")
    client = api(moderator)
    cases = client.get(reverse("moderation:queue")).json()
    assert [c["user"]["username"] for c in cases] == ["olly", "fay"]  # 3 points before 2
    assert [c["user"]["username"] for c in client.get(
        reverse("moderation:queue"), {"disguised": "0"}).json()] == ["fay"]
    assert [c["user"]["username"] for c in client.get(
        reverse("moderation:queue"), {"kind": "email"}).json()] == ["fay"]
    assert client.get(reverse("moderation:queue"), {"user": "olly"}).json()[0]["id"] != (
        flagged_case.pk
    )
    bad = client.get(reverse("moderation:queue"), {"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()["error"]["detail"]


def test_case_page_shows_transcript_highlights_history_and_connections(
    api, moderator, flagged_case, freelancer
):
    from django.utils import timezone

    from models import ConnectionLog

    now = timezone.now()
    ConnectionLog.objects.create(user=freelancer, ip="203.0.113.9", user_agent="ua",
                                 connected_at=now, last_seen_at=now)
    body = api(moderator).get(reverse("moderation:case", kwargs={"case_id": flagged_case.pk}))
    data = body.json()
    assert [m["seq"] for m in data["transcript"]] == [1, 2, 3]
    masked = data["transcript"][1]
    assert masked["highlights"] == [{"start": 11, "end": 26, "type": "phone"}]
    assert "98765" not in json.dumps(data)  # nothing revealed without asking
    assert len(data["strikes"]) == 2
    assert data["connections"][0]["ip"] == "203.0.113.9"


def test_reveal_needs_a_reason_and_is_audited(api, moderator, flagged_case):
    url = reverse("moderation:reveal", kwargs={"case_id": flagged_case.pk})
    refused = api(moderator).post(url, "{}", content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "reason_required"
    assert not AuditLog.objects.filter(action="reveal").exists()
    response = api(moderator).post(url, json.dumps({"reason": "checking the report"}),
                                   content_type="application/json")
    texts = [o["text"] for item in response.json()["originals"] for o in item["originals"]]
    assert sorted(texts) == sorted([PHONE, EMAIL])
    entry = AuditLog.objects.get(action="reveal")
    assert (entry.actor, entry.case, entry.reason) == (moderator, flagged_case,
                                                       "checking the report")


def test_originals_are_encrypted_at_rest(flagged_case):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM gateway_messageoriginal")
        stored = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT matched FROM gateway_violation")
        stored += [row[0] for row in cursor.fetchall()]
    assert len(stored) == 4
    assert all(value.startswith("gAAAAA") and "98765" not in value and "jane" not in value
               for value in stored)


@pytest.mark.parametrize(
    ("action", "status"),
    [("confirm", "confirmed"), ("warn", "warned"), ("dismiss", "dismissed"),
     ("suspend", "suspended")],
)
def test_every_case_action_needs_a_reason_and_is_audited(
    api, moderator, flagged_case, action, status
):
    url = reverse("moderation:case-action", kwargs={"case_id": flagged_case.pk})
    missing = api(moderator).post(url, json.dumps({"action": action, "reason": "  "}),
                                  content_type="application/json")
    assert missing.status_code == 400
    response = api(moderator).post(url, json.dumps({"action": action, "reason": "seen it"}),
                                   content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == status
    entry = AuditLog.objects.filter(actor=moderator, case=flagged_case).latest("id")
    assert (entry.action, entry.reason) == (action, "seen it")


def test_unknown_action_and_case_are_clear_errors(api, moderator, flagged_case):
    url = reverse("moderation:case-action", kwargs={"case_id": flagged_case.pk})
    unknown = api(moderator).post(url, json.dumps({"action": "ban", "reason": "r"}),
                                  content_type="application/json")
    assert unknown.status_code == 400 and "dismiss" in unknown.json()["error"]["detail"]
    missing = api(moderator).get(reverse("moderation:case", kwargs={"case_id": 999}))
    assert missing.status_code == 404
    garbage = api(moderator).post(url, "not json", content_type="application/json")
    assert garbage.status_code == 400


def test_dismissing_removes_strikes_and_lifts_an_automatic_suspension(
    api, moderator, send, freelancer, project
):
    send(freelancer, project, PHONE)
    send(freelancer, project, "nine eight seven six five four three two one zero")
    assert User.objects.get(pk=freelancer.pk).is_suspended
    case = Case.objects.get()
    response = api(moderator).post(
        reverse("moderation:case-action", kwargs={"case_id": case.pk}),
        json.dumps({"action": "dismiss", "reason": "they were quoting a product code"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert services.active_points(freelancer) == 0
    assert not User.objects.get(pk=freelancer.pk).is_suspended
    assert list(AuditLog.objects.filter(actor=moderator).values_list("action", flat=True)) == [
        "lift", "dismiss"
    ]


def test_suspend_and_lift_a_user_outside_a_case(api, moderator, freelancer):
    client = api(moderator)
    url = reverse("moderation:suspend", kwargs={"user_id": freelancer.pk})
    assert client.post(url, json.dumps({"reason": "fraud report"}),
                       content_type="application/json").status_code == 200
    again = client.post(url, json.dumps({"reason": "again"}), content_type="application/json")
    assert again.json()["error"]["code"] == "already_suspended"
    assert User.objects.get(pk=freelancer.pk).is_suspended
    lift = reverse("moderation:lift", kwargs={"user_id": freelancer.pk})
    assert client.post(lift, json.dumps({"reason": "resolved"}),
                       content_type="application/json").status_code == 200
    assert not User.objects.get(pk=freelancer.pk).is_suspended
    assert list(AuditLog.objects.values_list("action", "reason")) == [
        ("lift", "resolved"), ("suspend", "fraud report")
    ]


def test_strike_history_never_echoes_the_detail_and_appeals_flow(
    api, moderator, flagged_case, freelancer
):
    mine = api(freelancer).get(reverse("moderation:my-strikes")).json()
    assert "98765" not in json.dumps(mine) and "jane" not in json.dumps(mine)
    assert sorted(kind for s in mine["strikes"] for kind in s["kinds"]) == ["email", "phone"]
    assert mine["active_points"] == 2 and mine["suspend_at"] == 3
    strike_id = mine["strikes"][0]["id"]
    appeal_url = reverse("moderation:my-appeal")
    created = api(freelancer).post(
        appeal_url, json.dumps({"strike": strike_id, "text": "that was my order number"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    duplicate = api(freelancer).post(
        appeal_url, json.dumps({"strike": strike_id, "text": "again"}),
        content_type="application/json",
    )
    assert duplicate.json()["error"]["code"] == "already_appealed"
    queue = api(moderator).get(reverse("moderation:appeals")).json()
    assert [a["id"] for a in queue] == [created.json()["id"]]
    decided = api(moderator).post(
        reverse("moderation:decide-appeal", kwargs={"appeal_id": queue[0]["id"]}),
        json.dumps({"accept": True, "reason": "checked the order"}),
        content_type="application/json",
    )
    assert decided.json()["status"] == "accepted"
    assert Strike.objects.get(pk=strike_id).removed_at is not None
    outcome = api(freelancer).get(reverse("moderation:my-strikes")).json()["appeals"][0]
    assert (outcome["status"], outcome["outcome"]) == ("accepted", "checked the order")
    assert AuditLog.objects.filter(action="appeal.accept", actor=moderator).exists()
    assert AuditLog.objects.filter(action="appeal", actor=freelancer).exists()


def test_nobody_appeals_someone_elses_strike(api, flagged_case, client_user):
    strike = Strike.objects.first()
    response = api(client_user).post(
        reverse("moderation:my-appeal"), json.dumps({"strike": strike.pk, "text": "mine?"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_a_suspended_user_can_read_why_and_appeal(api, moderator, freelancer):
    services.suspend(freelancer, actor=moderator, reason="sent a phone number three times")
    mine = api(freelancer).get(reverse("moderation:my-strikes")).json()
    assert mine["suspended"]
    assert mine["suspensions"][0]["reason"] == "sent a phone number three times"
    appeal = api(freelancer).post(
        reverse("moderation:my-appeal"),
        json.dumps({"suspension": mine["suspensions"][0]["id"], "text": "please review"}),
        content_type="application/json",
    )
    services.decide_appeal(appeal.json()["id"], moderator, True, "first offence")
    assert not User.objects.get(pk=freelancer.pk).is_suspended
    assert Suspension.objects.get().lift_reason.endswith("first offence")


def test_download_my_data(api, flagged_case, freelancer, project):
    response = api(freelancer).get(reverse("moderation:my-data"))
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = response.json()
    assert data["profile"]["username"] == "fay"
    assert [c["id"] for c in data["conversations"]] == [project.pk]
    assert [m["text"] for m in data["messages"]] == [
        "hi there", "call me at [phone removed]", "my email is [email removed]"
    ]
    assert sorted(v["kinds"][0] for v in data["violations"]) == ["email", "phone"]
    assert "98765" not in response.content.decode()


def test_contract_endpoint(api, client_user, freelancer, project):
    url = reverse("moderation:contract", kwargs={"conversation_id": project.pk})
    assert api(freelancer).post(url).status_code == 403
    assert api(client_user).post(url).status_code == 200
    elsewhere = reverse("moderation:contract", kwargs={"conversation_id": 999})
    assert api(client_user).post(elsewhere).status_code == 404


def test_held_message_allowed_is_delivered_masked(
    api, moderator, send, freelancer, project, settings, frame_of
):
    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES, "project": {"strikes": True, "actions": {"*": "hold"}}
    }
    send(freelancer, project, PHONE, client_id="held-1")
    assert not Message.objects.exists()
    violation = Violation.objects.get()
    url = reverse("moderation:hold", kwargs={"violation_id": violation.pk})
    response = api(moderator).post(url, json.dumps({"allow": True, "reason": "a landline of the"
                                                    " client's office, shared on request"}),
                                   content_type="application/json")
    assert response.json()["hold_state"] == "allowed"
    message = Message.objects.get()
    assert (message.client_id, message.text) == ("held-1", "call me at [phone removed]")
    violation.refresh_from_db()
    assert violation.message == message
    assert services.active_points(freelancer) == 1  # the allow did not strike again
    twice = api(moderator).post(url, json.dumps({"allow": False, "reason": "r"}),
                                content_type="application/json")
    assert twice.json()["error"]["code"] == "not_held"
    assert AuditLog.objects.filter(action="hold.allow", actor=moderator).count() == 1


def test_held_message_denied_is_never_delivered(api, moderator, send, freelancer, project,
                                                settings):
    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES, "project": {"strikes": True, "actions": {"*": "hold"}}
    }
    send(freelancer, project, PHONE)
    violation = Violation.objects.get()
    api(moderator).post(reverse("moderation:hold", kwargs={"violation_id": violation.pk}),
                        json.dumps({"allow": False, "reason": "contact detail"}),
                        content_type="application/json")
    assert not Message.objects.exists()
    assert Violation.objects.get().hold_state == "denied"


def test_export_dismissed_cases_as_corpus_jsonl(api, moderator, flagged_case):
    services.act_on_case(flagged_case.pk, moderator, "dismiss", "not contact details")
    response = api(moderator).get(reverse("moderation:export-dismissed"))
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert sorted(line["text"] for line in lines) == sorted([PHONE, EMAIL])
    assert all(set(line) == {"id", "text", "spans", "tags"} for line in lines)
    assert all(line["spans"] == [] and "false-positive" in line["tags"] for line in lines)
    assert AuditLog.objects.filter(action="export", actor=moderator).exists()


def test_audit_log_is_append_only(api, moderator, flagged_case):
    entry = AuditLog.objects.first()
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.update(reason="gone")
    listed = api(moderator).get(reverse("moderation:audit"), {"case": flagged_case.pk}).json()
    assert [e["action"] for e in listed] == ["flag"]


def test_audit_log_is_read_only_in_the_admin(moderator):
    from django.contrib import admin
    from django.test import RequestFactory

    from models import AuditLog as Log

    model_admin = admin.site._registry[Log]
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("root", password="pw-for-tests-123")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)



def test_admin_pages_list_and_show_moderation_data(flagged_case):
    root = User.objects.create_superuser("root", password="pw-for-tests-123")
    client = Client()
    client.force_login(root)
    violation = Violation.objects.first()
    for url in (
        "/admin/gateway/case/", f"/admin/gateway/case/{flagged_case.pk}/change/",
        "/admin/gateway/violation/", f"/admin/gateway/violation/{violation.pk}/change/",
        "/admin/gateway/strike/", "/admin/gateway/auditlog/", "/admin/gateway/appeal/",
        "/admin/gateway/suspension/", "/admin/gateway/messageoriginal/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "98765" not in response.content.decode(), url  # sealed texts stay sealed


def test_a_moderator_takes_over_an_automatic_suspension(api, moderator, send, freelancer,
                                                        project):
    send(freelancer, project, PHONE)
    send(freelancer, project, "nine eight seven six five four three two one zero")
    case = Case.objects.get()
    services.act_on_case(case.pk, moderator, "suspend", "confirmed: repeated attempts")
    suspension = Suspension.objects.get()
    assert (suspension.automatic, suspension.started_by, suspension.reason) == (
        False, moderator, "confirmed: repeated attempts"
    )
    services.act_on_case(case.pk, moderator, "dismiss", "on second thought, a product code")
    assert User.objects.get(pk=freelancer.pk).is_suspended  # a moderator's call stays


def test_a_text_sealed_with_a_lost_key_does_not_break_the_review(
    api, moderator, flagged_case, settings
):
    from cryptography.fernet import Fernet

    settings.MODERATION_FERNET_KEYS = [Fernet.generate_key().decode()]
    response = api(moderator).post(
        reverse("moderation:reveal", kwargs={"case_id": flagged_case.pk}),
        json.dumps({"reason": "audit"}), content_type="application/json",
    )
    assert response.status_code == 200
    assert all(o["text"] is None for item in response.json()["originals"]
               for o in item["originals"])


def test_ids_beyond_the_database_range_are_not_found(api, moderator, freelancer):
    huge = 2**64
    assert api(moderator).get(f"/api/moderation/cases/{huge}/").status_code == 404
    assert api(moderator).get(reverse("moderation:queue"), {"user": str(huge)}).json() == []
    response = api(freelancer).post(
        reverse("moderation:my-appeal"), json.dumps({"strike": huge, "text": "why"}),
        content_type="application/json",
    )
    assert response.status_code == 400
