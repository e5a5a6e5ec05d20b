"""The support workflow through the JSON API: queue, claim, auto-assign, transfer, notes,
close, rating, transcripts, and every bad input with its code."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from models import (
    InternalNote,
    Message,
    Participant,
    Rating,
    SupportChat,
    SupportEvent,
    SupportStatus,
)
from support import services
from support.errors import SupportError

# --- Opening and the queue -------------------------------------------------------------------


def test_open_chat_queues_it_with_a_place_and_stores_the_first_message(api, uma):
    body = {"subject": "Refund", "text": "Call me at +1 415 555 0132"}
    status, chat = api(uma, "POST", "chats/", body)
    assert status == 201
    assert chat["status"] == "queued"
    assert chat["position"] == 1
    assert chat["estimate_seconds"] is None  # no recent waits: no made-up estimate
    message = Message.objects.get(conversation_id=chat["conversation"])
    assert message.sender == uma
    assert "415" not in message.text and message.redacted  # the same redaction as any chat


def test_a_second_open_chat_is_refused_and_the_first_is_kept(api, uma, opened):
    first = opened()
    status, body = api(uma, "POST", "chats/", {"subject": "Again", "text": "hello?"})
    assert status == 409
    assert body["error"]["code"] == "open_chat_exists"
    assert f"#{first.pk}" in body["error"]["detail"]
    assert list(SupportChat.objects.values_list("pk", flat=True)) == [first.pk]


def test_after_closing_a_user_may_open_a_new_chat(api, uma, ann, opened):
    first = opened()
    services.close(uma, first.pk, "")
    status, _ = api(uma, "POST", "chats/", {"subject": "New question", "text": "hi"})
    assert status == 201


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"subject": "", "text": "hi"}, "invalid"),
        ({"subject": "x" * 201, "text": "hi"}, "invalid"),
        ({"subject": "Help", "text": "   "}, "invalid"),
        ({"subject": "Help"}, "invalid"),
        ({"subject": 5, "text": "hi"}, "invalid"),
        ("not json", "invalid"),
        ("[1, 2]", "invalid"),
    ],
)
def test_bad_open_requests_get_400_and_store_nothing(api, uma, body, code):
    status, answer = api(uma, "POST", "chats/", body)
    assert (status, answer["error"]["code"]) == (400, code)
    assert not SupportChat.objects.exists()


def test_agents_and_moderators_do_not_open_support_chats(api, ann, moe):
    for user in (ann, moe):
        status, body = api(user, "POST", "chats/", {"subject": "Help", "text": "hi"})
        assert (status, body["error"]["code"]) == (403, "not_a_customer")


def test_positions_follow_the_queue_and_estimates_come_from_recent_waits(
    make_user, uma, fred, ann, opened
):
    third_user = make_user("tess", "client")
    chats = [opened(user) for user in (uma, fred, third_user)]
    assert [services.queue_spot(chat).position for chat in chats] == [1, 2, 3]
    services.set_presence(ann, "online")
    services.claim(ann, chats[0].pk)
    waited = SupportEvent.objects.get(chat=chats[0], kind="assigned").waited
    assert waited is not None and waited >= 0
    spots = [services.queue_spot(SupportChat.objects.get(pk=c.pk)) for c in chats]
    assert spots[0] is None  # no longer waiting
    assert [spot.position for spot in spots[1:]] == [1, 2]
    # One agent online: the second in line waits about two recent waits.
    assert spots[1].estimate_seconds == round(waited, 1)
    assert spots[2].estimate_seconds == round(waited * 2, 1)


# --- Claiming --------------------------------------------------------------------------------


def test_claim_makes_the_agent_a_participant(api, ann, opened, online):
    chat = opened()
    status, body = api(ann, "POST", f"chats/{chat.pk}/claim/")
    assert status == 200
    assert body["status"] == "active" and body["agent"]["id"] == ann.pk
    assert Participant.objects.filter(conversation=chat.conversation, user=ann).exists()


def test_claim_refusals_have_codes_and_change_nothing(api, uma, ann, art, opened, online):
    chat = opened()
    assert api(uma, "POST", f"chats/{chat.pk}/claim/")[1]["error"]["code"] == "not_agent"
    api(ann, "POST", f"chats/{chat.pk}/claim/")
    status, body = api(art, "POST", f"chats/{chat.pk}/claim/")
    assert (status, body["error"]["code"]) == (409, "already_claimed")
    assert SupportChat.objects.get(pk=chat.pk).agent == ann
    services.close(ann, chat.pk, "Sorted out the payout.")
    status, body = api(art, "POST", f"chats/{chat.pk}/claim/")
    assert (status, body["error"]["code"]) == (409, "chat_closed")
    assert api(art, "POST", "chats/999999/claim/")[0] == 404


def test_offline_agents_cannot_claim_and_capacity_is_enforced(
    api, make_user, ann, opened, settings
):
    settings.SUPPORT_AGENT_CAPACITY = 1
    first = opened()
    second = opened(make_user("tess", "client"))
    status, body = api(ann, "POST", f"chats/{first.pk}/claim/")
    assert (status, body["error"]["code"]) == (409, "agent_offline")
    services.set_presence(ann, "online")
    assert api(ann, "POST", f"chats/{first.pk}/claim/")[0] == 200
    status, body = api(ann, "POST", f"chats/{second.pk}/claim/")
    assert (status, body["error"]["code"]) == (409, "at_capacity")
    assert SupportChat.objects.get(pk=second.pk).status == SupportStatus.QUEUED


def test_two_agents_racing_for_one_chat_one_wins(ann, art, opened, online):
    """Threads on the real database: the conditional UPDATE lets exactly one through."""
    chat = opened()
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def claimer(agent):
        try:
            barrier.wait()
            services.claim(agent, chat.pk)
            results[agent.username] = "won"
        except SupportError as error:
            results[agent.username] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(agent,)) for agent in (ann, art)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["already_claimed", "won"]
    winner = next(name for name, result in results.items() if result == "won")
    chat.refresh_from_db()
    assert chat.agent.username == winner
    assert SupportEvent.objects.filter(chat=chat, kind="assigned").count() == 1
    assert Participant.objects.filter(conversation=chat.conversation).count() == 2


def test_auto_assign_picks_the_least_loaded_online_agent(
    make_user, ann, art, opened, online, settings
):
    users = [make_user(f"user{i}", "client") for i in range(3)]
    services.claim(ann, opened(users[0]).pk)
    settings.SUPPORT_AUTO_ASSIGN = True
    second = opened(users[1])
    assert SupportChat.objects.get(pk=second.pk).agent == art  # ann already has one
    third = opened(users[2])
    assert SupportChat.objects.get(pk=third.pk).agent in (ann, art)
    loads = sorted(SupportChat.objects.filter(status="active").values_list("agent", flat=True))
    assert loads.count(ann.pk) <= 2 and loads.count(art.pk) <= 2


def test_auto_assign_leaves_chats_queued_when_everyone_is_full_or_away(
    make_user, ann, art, opened, settings
):
    settings.SUPPORT_AUTO_ASSIGN = True
    settings.SUPPORT_AGENT_CAPACITY = 1
    services.set_presence(ann, "online")
    services.set_presence(art, "away")
    first, second = opened(make_user("a1", "client")), opened(make_user("a2", "client"))
    assert SupportChat.objects.get(pk=first.pk).agent == ann
    assert SupportChat.objects.get(pk=second.pk).status == SupportStatus.QUEUED
    services.set_presence(art, "online")  # coming online takes the waiting chat
    assert SupportChat.objects.get(pk=second.pk).agent == art


# --- Transfer, notes, close, rating ------------------------------------------------------


def test_transfer_to_another_agent_moves_the_chat_and_keeps_the_note(api, ann, art, opened, online):
    chat = opened()
    services.claim(ann, chat.pk)
    status, body = api(ann, "POST", f"chats/{chat.pk}/transfer/",
                       {"to": art.pk, "note": "Billing question, art knows payouts."})
    assert status == 200 and body["agent"]["id"] == art.pk
    members = set(Participant.objects.filter(conversation=chat.conversation)
                  .values_list("user__username", flat=True))
    assert members == {"uma", "art"}
    assert InternalNote.objects.get(chat=chat).text == "Billing question, art knows payouts."


def test_transfer_back_to_the_queue_keeps_the_chats_place(api, make_user, ann, opened, online):
    chat = opened()
    later = opened(make_user("tess", "client"))
    services.claim(ann, chat.pk)
    status, body = api(ann, "POST", f"chats/{chat.pk}/transfer/", {"to": None, "note": "Bye"})
    assert status == 200 and body["status"] == "queued" and body["agent"] is None
    assert [c.pk for c in services.queue()] == [chat.pk, later.pk]


def test_bad_transfers_are_refused_and_the_chat_stays(
    api, make_user, uma, ann, art, opened, settings
):
    settings.SUPPORT_AGENT_CAPACITY = 1
    chat = opened()
    other = opened(make_user("tess", "client"))
    services.set_presence(ann, "online")
    services.claim(ann, chat.pk)
    cases = [
        (art, {"to": art.pk}, 403, "not_your_chat"),  # art does not hold it
        (uma, {"to": art.pk}, 403, "not_agent"),
        (ann, {"to": art.pk}, 409, "agent_offline"),  # art is offline
        (ann, {"to": uma.pk}, 400, "invalid"),  # not an agent
        (ann, {"to": "art"}, 400, "invalid"),
        (ann, {"to": ann.pk}, 400, "invalid"),
    ]
    for user, body, status, code in cases:
        answer = api(user, "POST", f"chats/{chat.pk}/transfer/", body)
        assert answer[0] == status and answer[1]["error"]["code"] == code, (body, answer)
    services.set_presence(art, "online")
    services.claim(art, other.pk)  # art is now full
    status, body = api(ann, "POST", f"chats/{chat.pk}/transfer/", {"to": art.pk})
    assert (status, body["error"]["code"]) == (409, "agent_full")
    assert SupportChat.objects.get(pk=chat.pk).agent == ann
    assert not InternalNote.objects.exists()


def test_notes_are_for_agents_only(api, uma, ann, opened, online):
    chat = opened()
    services.claim(ann, chat.pk)
    status, note = api(ann, "POST", f"chats/{chat.pk}/notes/", {"text": "Asked for the invoice id"})
    assert status == 201 and note["author"] == "Ann"
    assert api(ann, "GET", f"chats/{chat.pk}/notes/")[1][0]["text"] == "Asked for the invoice id"
    for method in ("GET", "POST"):
        status, body = api(uma, method, f"chats/{chat.pk}/notes/", {"text": "let me see"})
        assert (status, body["error"]["code"]) == (403, "not_agent")
    assert api(ann, "POST", f"chats/{chat.pk}/notes/", {"text": " "})[0] == 400
    assert InternalNote.objects.count() == 1


def test_close_and_rate_once(api, uma, ann, art, opened, online):
    chat = opened()
    services.claim(ann, chat.pk)
    status, body = api(uma, "POST", f"chats/{chat.pk}/rating/", {"score": 5})
    assert (status, body["error"]["code"]) == (409, "not_closed")
    assert api(art, "POST", f"chats/{chat.pk}/close/", {"resolution": "x"})[1]["error"]["code"] == (
        "not_your_chat"
    )
    assert api(ann, "POST", f"chats/{chat.pk}/close/", {})[0] == 400  # a resolution is required
    status, body = api(ann, "POST", f"chats/{chat.pk}/close/", {"resolution": "Payout re-sent."})
    assert status == 200 and body["status"] == "closed" and body["resolution"] == "Payout re-sent."
    status, body = api(ann, "POST", f"chats/{chat.pk}/close/", {"resolution": "again"})
    assert (status, body["error"]["code"]) == (409, "chat_closed")
    for bad in ({"score": 0}, {"score": 6}, {"score": "5"}, {"score": True}, {}):
        assert api(uma, "POST", f"chats/{chat.pk}/rating/", bad)[1]["error"]["code"] == "invalid"
    assert api(ann, "POST", f"chats/{chat.pk}/rating/", {"score": 1})[0] == 403
    status, body = api(uma, "POST", f"chats/{chat.pk}/rating/", {"score": 4, "comment": "Quick"})
    assert status == 201 and body["score"] == 4
    status, body = api(uma, "POST", f"chats/{chat.pk}/rating/", {"score": 1})
    assert (status, body["error"]["code"]) == (409, "already_rated")
    assert Rating.objects.get(chat=chat).score == 4


def test_a_waiting_user_may_withdraw(api, uma, opened):
    chat = opened()
    status, body = api(uma, "POST", f"chats/{chat.pk}/close/", {})
    assert status == 200 and body["resolution"] == "Withdrawn by the user."
    assert services.queue() == []


# --- Transcripts -----------------------------------------------------------------------------


def test_transcripts_user_copy_has_no_notes_agents_copy_does(api, uma, ann, opened, online):
    chat = opened(text="Where is my payout?")
    services.claim(ann, chat.pk)
    services.add_note(ann, chat.pk, "Checked the ledger: pending")
    services.close(ann, chat.pk, "Payout released.")
    services.rate(uma, chat.pk, 5, "Thanks")

    status, mine = api(uma, "GET", f"chats/{chat.pk}/transcript/")
    assert status == 200 and mine["copy"] == "user"
    kinds = [item["kind"] for item in mine["items"]]
    assert "note" not in kinds and "message" in kinds
    assert mine["resolution"] == "Payout released." and mine["rating"]["score"] == 5
    status, text = api(uma, "GET", f"chats/{chat.pk}/transcript/?format=text")
    assert status == 200
    assert "Uma (client): Where is my payout?" in text
    assert "Checked the ledger" not in text and "Resolution: Payout released." in text

    status, theirs = api(ann, "GET", f"chats/{chat.pk}/transcript/")
    assert theirs["copy"] == "agents"
    assert any(item["kind"] == "note" for item in theirs["items"])
    status, text = api(ann, "GET", f"chats/{chat.pk}/transcript/?format=text")
    assert "[internal note] Ann: Checked the ledger: pending" in text
    assert "assigned to Ann" in text
    assert api(ann, "GET", f"chats/{chat.pk}/transcript/?format=pdf")[0] == 400
