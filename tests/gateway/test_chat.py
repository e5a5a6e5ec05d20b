"""Sending, acknowledging, relaying, editing, deleting and resyncing over the socket."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from messaging import actions
from models import Message, MessageOriginal

from .helpers import frames_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def pair(alice, bob, conversation, connect):
    """Alice's and Bob's sockets, both admitted and drained of presence frames."""
    alices = await connect(alice, conversation.pk, expect_presence=1)
    bobs = await connect(bob, conversation.pk, expect_presence=2)
    await alices.receive_json_from()  # Bob's "online"
    return alices, bobs


async def send(socket, text: str, client_id: str | None = None) -> str:
    client_id = client_id or str(uuid.uuid4())
    await socket.send_json_to({"type": "message.send", "client_id": client_id, "text": text})
    return client_id


async def test_message_is_acked_and_relayed_to_everyone(pair, alice, conversation):
    """The sender gets an ack, then every socket (sender included) gets the message."""
    alices, bobs = pair
    client_id = await send(alices, "Hello Bob, when can we start?")
    ack = await alices.receive_json_from()
    assert ack["type"] == "message.ack" and ack["client_id"] == client_id
    assert (ack["seq"], ack["redacted"]) == (1, False)
    for socket in (alices, bobs):
        message = await socket.receive_json_from()
        assert message["type"] == "message"
        assert message["id"] == ack["id"] and message["seq"] == 1
        assert message["text"] == "Hello Bob, when can we start?"
        assert message["sender"] == {"id": alice.pk, "display_name": "Alice", "role": "freelancer"}
        assert message["conversation"] == conversation.pk and not message["deleted"]
    stored = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
    assert stored.text == "Hello Bob, when can we start?" and stored.client_id == client_id


async def test_contact_details_are_masked_once_and_only_sender_is_warned(pair):
    """An email is masked before storing and relaying; the sender alone gets a warning."""
    alices, bobs = pair
    await send(alices, "write to me at jane.doe@gmail.com please")
    ack = await alices.receive_json_from()
    warning = await alices.receive_json_from()
    assert ack["redacted"] is True
    assert warning["type"] == "warning" and warning["code"] == "contact_details_removed"
    assert warning["types"] == ["email"]
    relayed = await bobs.receive_json_from()
    assert relayed["type"] == "message" and relayed["redacted"] is True
    assert "jane.doe" not in relayed["text"] and "gmail.com" not in relayed["text"]
    assert (await alices.receive_json_from())["text"] == relayed["text"]
    stored = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
    original = await database_sync_to_async(MessageOriginal.objects.get)(message=stored)
    assert stored.text == relayed["text"]
    assert original.text.reveal() == "write to me at jane.doe@gmail.com please"
    assert original.detail_types == ["email"]
    assert await bobs.receive_nothing()


async def test_resent_client_id_gets_the_same_ack_and_no_duplicate(pair, conversation):
    """Idempotency: the same client_id again answers the first ack and relays nothing."""
    alices, bobs = pair
    client_id = await send(alices, "only once")
    first = await alices.receive_json_from()
    await alices.receive_json_from()
    await bobs.receive_json_from()
    await send(alices, "only once (retry)", client_id=client_id)
    second = await alices.receive_json_from()
    assert second == first
    assert await bobs.receive_nothing()
    count = await database_sync_to_async(Message.objects.filter(conversation=conversation).count)()
    assert count == 1


async def test_typing_reaches_the_others_only(pair, alice):
    """``typing`` is relayed to the other sockets, not echoed to the typist."""
    alices, bobs = pair
    await alices.send_json_to({"type": "typing"})
    frame = await bobs.receive_json_from()
    assert frame["type"] == "typing" and frame["user"]["id"] == alice.pk
    assert await alices.receive_nothing()


async def test_read_moves_forward_and_is_broadcast(pair, bob, conversation):
    """``read`` stores the marker (clamped to the last seq) and tells everyone; never backwards."""
    alices, bobs = pair
    await send(alices, "one")
    await frames_until(alices, "message")
    await bobs.receive_json_from()
    await bobs.send_json_to({"type": "read", "seq": 99})
    for socket in (alices, bobs):
        frame = await socket.receive_json_from()
        assert (frame["type"], frame["seq"], frame["user"]["id"]) == ("read", 1, bob.pk)
    await bobs.send_json_to({"type": "read", "seq": 0})
    assert await alices.receive_nothing()


async def test_history_resyncs_a_reconnecting_client(pair, alice, conversation, connect):
    """After reconnecting, ``history {after_seq}`` returns everything missed, in order."""
    alices, bobs = pair
    await bobs.disconnect()
    for number in range(5):
        await send(alices, f"message {number}")
        await frames_until(alices, "message")
    bobs = await connect(alice, conversation.pk)  # any participant's fresh socket
    await frames_until(bobs, "presence")
    await bobs.send_json_to({"type": "history", "after_seq": 2, "limit": 2})
    page = await frames_until(bobs, "history")
    history = page[-1]
    assert [item["seq"] for item in history["messages"]] == [3, 4]
    assert history["has_more"] is True
    assert [item["text"] for item in history["messages"]] == ["message 2", "message 3"]
    await bobs.send_json_to({"type": "history", "after_seq": 4})
    last = (await frames_until(bobs, "history"))[-1]
    assert [item["seq"] for item in last["messages"]] == [5] and last["has_more"] is False


async def test_history_limit_over_the_maximum_is_clamped(alice, conversation, connect, settings):
    """A ``limit`` above GATEWAY_HISTORY_MAX is clamped, not refused."""
    settings.GATEWAY_HISTORY_MAX = 2
    alices = await connect(alice, conversation.pk, expect_presence=1)
    for number in range(3):
        await send(alices, f"m{number}")
        await frames_until(alices, "message")
    await alices.send_json_to({"type": "history", "after_seq": 0, "limit": 1000})
    history = await alices.receive_json_from()
    assert len(history["messages"]) == 2 and history["has_more"] is True


async def test_edit_is_redacted_again_and_sequenced(pair):
    """An edit passes through redaction and reaches everyone as ``message.update``."""
    alices, bobs = pair
    await send(alices, "draft")
    ack = await alices.receive_json_from()
    await alices.receive_json_from()
    await bobs.receive_json_from()
    await alices.send_json_to(
        {"type": "message.edit", "id": ack["id"], "text": "mail jane.doe@gmail.com"}
    )
    warning = await alices.receive_json_from()
    assert warning["type"] == "warning" and warning["types"] == ["email"]
    for socket in (alices, bobs):
        update = await socket.receive_json_from()
        assert update["type"] == "message.update" and update["reason"] == "edit"
        assert (update["id"], update["seq"]) == (ack["id"], 2)
        assert update["redacted"] and "jane.doe" not in update["text"]
        assert update["edited_at"] is not None


async def test_delete_empties_the_message_everywhere_and_in_history(pair):
    """A deletion is an event with its own seq; replay shows the message empty and deleted."""
    alices, bobs = pair
    await send(alices, "oops")
    ack = await alices.receive_json_from()
    await alices.receive_json_from()
    await bobs.receive_json_from()
    await alices.send_json_to({"type": "message.delete", "id": ack["id"]})
    update = await bobs.receive_json_from()
    assert (update["type"], update["reason"], update["seq"]) == ("message.update", "delete", 2)
    assert (update["text"], update["deleted"]) == ("", True)
    await bobs.send_json_to({"type": "history", "after_seq": 0})
    history = (await frames_until(bobs, "history"))[-1]
    assert [(item["type"], item["seq"], item["deleted"]) for item in history["messages"]] == [
        ("message", 1, True),
        ("message.update", 2, True),
    ]
    assert all(item["text"] == "" for item in history["messages"])


@pytest.mark.parametrize(
    ("who", "age_minutes", "code"),
    [("bob", 0, "not_author"), ("alice", 16, "edit_window_closed")],
)
async def test_edit_and_delete_are_refused_outside_the_rules(pair, who, age_minutes, code):
    """Only the author may edit or delete, and only within the edit window (15 min)."""
    alices, bobs = pair
    await send(alices, "mine")
    ack = await alices.receive_json_from()
    await alices.receive_json_from()
    await bobs.receive_json_from()
    await database_sync_to_async(Message.objects.filter(pk=ack["id"]).update)(
        created_at=timezone.now() - timezone.timedelta(minutes=age_minutes)
    )
    socket = alices if who == "alice" else bobs
    for frame in ({"type": "message.edit", "id": ack["id"], "text": "changed"},
                  {"type": "message.delete", "id": ack["id"]}):
        await socket.send_json_to(frame)
        error = await socket.receive_json_from()
        assert (error["type"], error["code"]) == ("error", code)
    stored = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
    assert (stored.text, stored.deleted_at) == ("mine", None)


async def test_edit_of_unknown_or_deleted_message_is_refused(pair):
    """Editing a message that is not there, or is deleted, is a clear error."""
    alices, _bobs = pair
    await alices.send_json_to({"type": "message.edit", "id": 424242, "text": "x"})
    assert (await alices.receive_json_from())["code"] == "not_found"
    await send(alices, "gone soon")
    ack = await alices.receive_json_from()
    await alices.receive_json_from()
    await alices.send_json_to({"type": "message.delete", "id": ack["id"]})
    await frames_until(alices, "message.update")
    await alices.send_json_to({"type": "message.edit", "id": ack["id"], "text": "back"})
    assert (await alices.receive_json_from())["code"] == "message_deleted"


async def test_live_frames_arrive_in_seq_order_even_when_the_layer_drops_one(
    pair, alice, conversation
):
    """A broadcast that skips ahead of a lost one makes the socket replay the gap first."""
    _alices, bobs = pair
    # Store two messages without broadcasting them, as if the layer had lost the frames.
    first = await database_sync_to_async(actions.send_message)(alice, conversation.pk, "a", "one")
    second = await database_sync_to_async(actions.send_message)(alice, conversation.pk, "b", "two")
    third = await database_sync_to_async(actions.send_message)(
        alice, conversation.pk, "c", "three"
    )
    # Deliver the third and then, late, the second.
    await get_channel_layer().group_send(
        f"chat.{conversation.pk}", {"type": "chat.sequenced", "frames": list(third.broadcast)}
    )
    await get_channel_layer().group_send(
        f"chat.{conversation.pk}", {"type": "chat.sequenced", "frames": list(second.broadcast)}
    )
    received = [await bobs.receive_json_from() for _ in range(3)]
    assert [(frame["seq"], frame["text"]) for frame in received] == [
        (1, "one"), (2, "two"), (3, "three")
    ]
    assert first.broadcast[0]["seq"] == 1
    assert await bobs.receive_nothing()


async def test_a_frame_reordered_within_the_gap_wait_needs_no_replay(
    pair, alice, conversation, monkeypatch
):
    """Frames the two processes reorder briefly are put back in order without the database."""
    _alices, bobs = pair
    first = await database_sync_to_async(actions.send_message)(alice, conversation.pk, "a", "one")
    second = await database_sync_to_async(actions.send_message)(alice, conversation.pk, "b", "two")
    replays = []
    monkeypatch.setattr(actions, "replay_between", lambda *args: replays.append(args) or [])
    layer = get_channel_layer()
    for outcome in (second, first):
        await layer.group_send(
            f"chat.{conversation.pk}", {"type": "chat.sequenced", "frames": list(outcome.broadcast)}
        )
    received = [await bobs.receive_json_from() for _ in range(2)]
    assert [frame["text"] for frame in received] == ["one", "two"]
    assert await bobs.receive_nothing(timeout=0.5)
    assert replays == []


async def test_suspension_during_a_connection_refuses_the_send_and_closes(pair, alice):
    """A user suspended after connecting gets a ``suspended`` error and 4403 on send; the
    other side sees them go offline at once, and never sees the refused message."""
    alices, bobs = pair
    alice.suspended_at = timezone.now()
    await database_sync_to_async(alice.save)()
    await send(alices, "hello?")
    error = await alices.receive_json_from()
    assert error["code"] == "suspended"
    closed = await alices.receive_output()
    assert (closed["type"], closed["code"]) == ("websocket.close", 4403)
    offline = await bobs.receive_json_from()
    assert (offline["type"], offline["status"]) == ("presence", "offline")
    assert await bobs.receive_nothing()


async def test_frames_are_plain_json_text(pair):
    """Server frames are JSON text frames (not binary), one object each."""
    alices, _ = pair
    await alices.send_json_to({"type": "history", "after_seq": 0})
    output = await alices.receive_output()
    assert output["type"] == "websocket.send" and "bytes" not in output
    assert json.loads(output["text"]) == {"type": "history", "messages": [], "has_more": False}
