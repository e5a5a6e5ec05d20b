"""The support sockets on the real ASGI application: the agent console's live queue and
claims, the user's feed (place in the queue, agent joined or left), the grace-period
requeue, and the chat socket refusing a closed chat."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from consumers.support import pending_requeues
from models import AgentStatus, Message, SupportChat, SupportStatus
from support import services
from tests.gateway.conftest import communicator, session_cookie
from tests.gateway.helpers import closed_with


async def next_of(socket, frame_type: str, timeout: float = 3.0) -> dict:
    """The next frame of ``frame_type``, skipping others (each feed interleaves several)."""
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == frame_type:
            return frame


@pytest.fixture
def feed(sockets):
    """``await feed(user, path)``: an admitted support socket and its snapshot frame."""

    async def open_(user, path: str = "/ws/support/"):
        cookie = await database_sync_to_async(session_cookie)(user)
        socket = communicator(path, cookie=cookie)
        sockets.append(socket)
        accepted, _ = await socket.connect()
        assert accepted
        snapshot = await socket.receive_json_from()
        assert snapshot["type"] == "support.snapshot", snapshot
        return socket, snapshot

    return open_


def call(function, *args, **kwargs):
    return database_sync_to_async(function)(*args, **kwargs)


async def test_console_admits_agents_only(uma, sockets):
    cookie = await database_sync_to_async(session_cookie)(uma)
    socket = communicator("/ws/support/console/", cookie=cookie)
    sockets.append(socket)
    await socket.connect()
    error, code = await closed_with(socket)
    assert (error["code"], code) == ("not_agent", 4403)
    anonymous = communicator("/ws/support/console/")
    sockets.append(anonymous)
    await anonymous.connect()
    error, code = await closed_with(anonymous)
    assert (error["code"], code) == ("not_authenticated", 4401)


async def test_queue_is_live_and_a_console_claim_reaches_the_user(
    uma, ann, feed, connect, settle_timers
):
    console, snapshot = await feed(ann, "/ws/support/console/")
    assert snapshot["queue"] == [] and snapshot["status"]["presence"] == "online"
    user_feed, _ = await feed(uma)

    chat = await call(services.open_chat, uma, "Payout", "Where is my payout?", "c1")
    added = await next_of(console, "support.queue.added")
    assert added["chat"]["id"] == chat.pk and added["chat"]["first_message"] == (
        "Where is my payout?"
    )
    position = await next_of(user_feed, "support.queue.position")
    assert (position["chat"], position["position"]) == (chat.pk, 1)

    chat_socket = await connect(uma, chat.conversation_id, expect_presence=1)
    await console.send_json_to({"type": "claim", "chat": chat.pk})
    assert (await next_of(console, "support.queue.removed"))["chat"] == chat.pk
    assigned = await next_of(console, "support.chat.assigned")
    assert assigned["chat"]["agent"]["id"] == ann.pk
    joined = await next_of(user_feed, "support.agent.joined")
    assert joined["agent"]["display_name"] == "Ann"
    assert (await next_of(chat_socket, "support.agent.joined"))["chat"] == chat.pk

    # A second claim of the same chat is an error frame; the console stays usable.
    await console.send_json_to({"type": "claim", "chat": chat.pk})
    assert (await next_of(console, "error"))["code"] == "already_claimed"


async def test_console_bad_frames_get_error_frames(ann, feed, settle_timers):
    console, _ = await feed(ann, "/ws/support/console/")
    cases = [
        ("not json", "invalid_json"),
        ('{"type": "claim", "chat": "7"}', "invalid_field"),
        ('{"type": "presence", "status": "busy"}', "invalid"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "claim", "chat": 424242}', "not_found"),
    ]
    for text, code in cases:
        await console.send_to(text_data=text)
        assert (await next_of(console, "error"))["code"] == code
    await console.send_to(bytes_data=b"\x00")
    assert (await next_of(console, "error"))["code"] == "binary_not_supported"
    await console.send_json_to({"type": "presence", "status": "away"})
    assert (await next_of(console, "support.status"))["presence"] == "away"


async def test_agent_disconnect_requeues_after_grace_and_tells_the_user(
    uma, ann, feed, settle_timers
):
    console, _ = await feed(ann, "/ws/support/console/")
    chat = await call(services.open_chat, uma, "Payout", "Hello?", "c1")
    await call(services.claim, ann, chat.pk)
    user_feed, snapshot = await feed(uma)
    assert snapshot["chats"][0]["agent"]["id"] == ann.pk

    await console.disconnect()
    left = await next_of(user_feed, "support.agent.left")
    assert (left["chat"], left["reason"]) == (chat.pk, "disconnected")
    assert (await next_of(user_feed, "support.queue.position"))["position"] == 1
    chat = await call(SupportChat.objects.get, pk=chat.pk)
    assert chat.status == SupportStatus.QUEUED and chat.agent_id is None
    status = await call(AgentStatus.objects.get, agent=ann)
    assert status.presence == "offline"
    # The history is still there for the next agent.
    assert await call(Message.objects.filter(conversation_id=chat.conversation_id).count) == 1


async def test_no_requeue_while_the_agent_is_still_connected(
    uma, ann, feed, connect, settle_timers
):
    console, _ = await feed(ann, "/ws/support/console/")
    chat = await call(services.open_chat, uma, "Payout", "Hello?", "c1")
    await call(services.claim, ann, chat.pk)
    await connect(ann, chat.conversation_id)  # the agent's chat tab stays open
    await console.disconnect()
    await asyncio.gather(*pending_requeues)  # the grace timer ran and found them connected
    chat = await call(SupportChat.objects.get, pk=chat.pk)
    assert chat.status == SupportStatus.ACTIVE and chat.agent_id == ann.pk


async def test_sending_to_a_closed_chat_is_refused_and_nothing_is_stored(
    uma, ann, connect
):
    await call(services.set_presence, ann, "online")
    chat = await call(services.open_chat, uma, "Payout", "Hello?", "c1")
    await call(services.claim, ann, chat.pk)
    socket = await connect(uma, chat.conversation_id)
    await call(services.close, ann, chat.pk, "Answered.")
    closed = await next_of(socket, "support.closed")
    assert closed["resolution"] == "Answered."
    await socket.send_json_to({"type": "message.send", "client_id": "late", "text": "one more"})
    error = await next_of(socket, "error")
    assert error["code"] == "chat_closed"
    texts = await call(
        lambda: list(Message.objects.filter(conversation_id=chat.conversation_id)
                     .values_list("text", flat=True))
    )
    assert texts == ["Hello?"]
    # History stays readable after closing.
    await socket.send_json_to({"type": "history", "after_seq": 0})
    assert [m["text"] for m in (await next_of(socket, "history"))["messages"]] == ["Hello?"]
