"""Who sees which support chat: each rule of docs/support.md, through the API."""

from __future__ import annotations

from support import services


def test_anonymous_callers_get_401_json(api):
    for path in ("chats/", "queue/", "agent/status/", "canned/"):
        status, body = api(None, "GET", path)
        assert (status, body["error"]["code"]) == (401, "not_authenticated")


def test_a_user_sees_only_their_own_chats(api, uma, fred, opened):
    mine, theirs = opened(uma), opened(fred)
    status, listed = api(uma, "GET", "chats/")
    assert status == 200 and [chat["id"] for chat in listed] == [mine.pk]
    assert api(uma, "GET", f"chats/{mine.pk}/")[0] == 200
    # Another user's chat does not exist for them, whatever they ask.
    for path in ("", "transcript/", "transcript/?format=text"):
        status, body = api(uma, "GET", f"chats/{theirs.pk}/{path}")
        assert (status, body["error"]["code"]) == (404, "not_found")
    status, body = api(uma, "POST", f"chats/{theirs.pk}/close/", {})
    assert status == 404
    assert api(uma, "GET", "queue/")[1]["error"]["code"] == "not_agent"


def test_agents_see_the_queue_and_their_chats_not_a_colleagues(api, ann, art, opened, fred, online):
    waiting, taken = opened(), opened(fred)
    services.claim(art, taken.pk)
    status, queue = api(ann, "GET", "queue/")
    assert status == 200 and [chat["id"] for chat in queue] == [waiting.pk]
    assert api(ann, "GET", f"chats/{waiting.pk}/")[0] == 200  # queued: any agent reads it
    status, body = api(ann, "GET", f"chats/{taken.pk}/transcript/")
    assert (status, body["error"]["code"]) == (403, "not_your_chat")
    assert [chat["id"] for chat in api(art, "GET", "chats/")[1]] == [taken.pk]
    # An agent who handed a chat over still reads what they handled.
    services.transfer(art, taken.pk, ann.pk, "")
    assert api(art, "GET", f"chats/{taken.pk}/transcript/")[0] == 200


def test_moderators_see_support_chats_only_through_a_flagged_case(api, ann, moe, opened, online):
    chat = opened()
    assert api(moe, "GET", "chats/")[1] == []
    status, body = api(moe, "GET", f"chats/{chat.pk}/transcript/")
    assert (status, body["error"]["code"]) == (403, "not_flagged")
    assert api(moe, "GET", "queue/")[0] == 403
    services.claim(ann, chat.pk)
    assert api(moe, "POST", f"chats/{chat.pk}/flag/", {"reason": "x"})[1]["error"]["code"] == (
        "not_agent"
    )
    status, _ = api(ann, "POST", f"chats/{chat.pk}/flag/", {"reason": "Threatened the freelancer"})
    assert status == 200
    assert [c["id"] for c in api(moe, "GET", "chats/")[1]] == [chat.pk]
    status, transcript = api(moe, "GET", f"chats/{chat.pk}/transcript/")
    assert status == 200 and any(item.get("event") == "flagged" for item in transcript["items"])


def test_agent_status_and_canned_replies_are_for_agents(api, uma, ann):
    from models import CannedReply

    CannedReply.objects.create(title="Greeting", shortcut="hi", text="Hi, how can I help?")
    CannedReply.objects.create(title="Old", shortcut="old", text="x", active=False)
    assert api(ann, "GET", "canned/")[1] == [
        {"id": CannedReply.objects.get(shortcut="hi").pk, "title": "Greeting",
         "shortcut": "hi", "text": "Hi, how can I help?"}
    ]
    assert api(uma, "GET", "canned/")[0] == 403
    assert api(uma, "GET", "agent/status/")[1]["error"]["code"] == "not_agent"
    status, body = api(ann, "POST", "agent/status/", {"presence": "away"})
    assert status == 200 and body == {"agent": ann.pk, "presence": "away", "capacity": 3,
                                      "active_chats": 0}
    status, body = api(ann, "POST", "agent/status/", {"presence": "busy"})
    assert (status, body["error"]["code"]) == (400, "invalid")
    assert api(ann, "PUT", "agent/status/")[0] == 405


def test_admin_shows_chats_with_their_transcript_and_manages_canned_replies(
    api, make_user, ann, opened, online
):
    from django.test import Client

    chat = opened(text="Where is my payout?")
    services.claim(ann, chat.pk)
    services.add_note(ann, chat.pk, "Ledger says pending")
    admin_user = make_user("root", "moderator")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    page = client.get(f"/admin/gateway/supportchat/{chat.pk}/change/")
    assert page.status_code == 200
    assert b"Where is my payout?" in page.content and b"Ledger says pending" in page.content
    assert client.get("/admin/gateway/cannedreply/add/").status_code == 200


def test_a_flagged_moderation_case_opens_the_chat_to_moderators(api, uma, moe, opened):
    from django.utils import timezone

    from models import Case

    chat = opened()
    now = timezone.now()
    case = Case.objects.create(user=uma, conversation=chat.conversation, opened_at=now,
                               updated_at=now)
    assert api(moe, "GET", f"chats/{chat.pk}/")[0] == 403  # a case, not yet flagged
    case.flagged_at = now
    case.save()
    assert api(moe, "GET", f"chats/{chat.pk}/")[0] == 200
    assert [c["id"] for c in api(moe, "GET", "chats/")[1]] == [chat.pk]
