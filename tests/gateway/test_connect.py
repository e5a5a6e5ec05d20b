"""Who may open a chat socket, and how refusals reach the client."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from consumers.chat import relay_event
from messaging import actions
from messaging.serializers import presence_frame, user_payload
from messaging.tickets import issue_ticket
from models import ConnectionLog

from .conftest import communicator, session_cookie
from .helpers import closed_with

pytestmark = pytest.mark.django_db(transaction=True)


async def test_participant_is_admitted_and_sees_presence(alice, conversation, connect):
    """A participant with a session cookie is accepted and told who is online (itself)."""
    socket = await connect(alice, conversation.pk)
    frame = await socket.receive_json_from()
    assert frame == {
        "type": "presence",
        "conversation": conversation.pk,
        "user": {"id": alice.pk, "display_name": "Alice", "role": "freelancer"},
        "status": "online",
    }


async def test_anonymous_socket_is_accepted_then_closed_4401(conversation):
    """Without a session or ticket the handshake succeeds, then 4401 with an error frame."""
    socket = communicator(f"/ws/chat/{conversation.pk}/")
    accepted, _ = await socket.connect()
    assert accepted
    error, code = await closed_with(socket)
    assert code == 4401
    assert error["code"] == "not_authenticated"


async def test_non_participant_gets_4403(mallory, conversation, connect):
    """A signed-in user outside the conversation is refused with 4403."""
    socket = await connect(mallory, conversation.pk)
    error, code = await closed_with(socket)
    assert (error["code"], code) == ("forbidden", 4403)


async def test_unknown_conversation_gets_4404(alice, conversation, connect):
    """A conversation id that does not exist closes with 4404."""
    socket = await connect(alice, conversation.pk + 1000)
    error, code = await closed_with(socket)
    assert (error["code"], code) == ("not_found", 4404)


async def test_suspended_user_gets_4403(alice, conversation, connect):
    """A suspended participant is refused at connect with 4403."""
    alice.suspended_at = timezone.now()
    await database_sync_to_async(alice.save)()
    socket = await connect(alice, conversation.pk)
    error, code = await closed_with(socket)
    assert (error["code"], code) == ("suspended", 4403)


@pytest.mark.parametrize(
    "origin", [b"http://evil.example.com", None], ids=["foreign-origin", "no-origin"]
)
async def test_origin_is_checked_at_the_handshake(alice, conversation, origin):
    """A foreign or missing Origin is refused before accept (HTTP 403 at the handshake)."""
    cookie = await database_sync_to_async(session_cookie)(alice)
    socket = communicator(f"/ws/chat/{conversation.pk}/", cookie=cookie, origin=origin)
    accepted, _ = await socket.connect()
    assert not accepted


async def test_valid_ticket_authenticates_without_cookie(alice, conversation):
    """``?ticket=`` from POST /api/ws-ticket/ stands in for the session cookie."""
    ticket = await database_sync_to_async(issue_ticket)(alice)
    socket = communicator(f"/ws/chat/{conversation.pk}/?ticket={ticket}")
    accepted, _ = await socket.connect()
    assert accepted
    frame = await socket.receive_json_from()
    assert frame["type"] == "presence" and frame["user"]["id"] == alice.pk
    await socket.disconnect()


async def test_forged_ticket_gets_4401(alice, conversation):
    """A ticket whose signature does not verify is refused, even with a valid session."""
    ticket = await database_sync_to_async(issue_ticket)(alice)
    forged = ticket[:-3] + ("AAA" if not ticket.endswith("AAA") else "BBB")
    cookie = await database_sync_to_async(session_cookie)(alice)
    socket = communicator(f"/ws/chat/{conversation.pk}/?ticket={forged}", cookie=cookie)
    await socket.connect()
    error, code = await closed_with(socket)
    assert code == 4401
    assert "not valid" in error["detail"]


async def test_expired_ticket_gets_4401(alice, conversation, settings):
    """A ticket older than GATEWAY_TICKET_MAX_AGE is refused with 4401."""
    ticket = await database_sync_to_async(issue_ticket)(alice)
    settings.GATEWAY_TICKET_MAX_AGE = -1  # any ticket is already too old
    socket = communicator(f"/ws/chat/{conversation.pk}/?ticket={ticket}")
    await socket.connect()
    error, code = await closed_with(socket)
    assert code == 4401
    assert "expired" in error["detail"]


async def test_ticket_dies_with_a_password_change(alice, conversation):
    """Changing the password voids outstanding tickets, like it logs out sessions."""
    ticket = await database_sync_to_async(issue_ticket)(alice)
    alice.set_password("a-new-password-456")
    await database_sync_to_async(alice.save)()
    socket = communicator(f"/ws/chat/{conversation.pk}/?ticket={ticket}")
    await socket.connect()
    _, code = await closed_with(socket)
    assert code == 4401


async def test_connections_per_user_are_capped(alice, conversation, connect, settings):
    """Past GATEWAY_MAX_CONNECTIONS_PER_USER the next socket is closed with 4429."""
    settings.GATEWAY_MAX_CONNECTIONS_PER_USER = 2
    await connect(alice, conversation.pk, expect_presence=1)
    await connect(alice, conversation.pk, expect_presence=1)
    third = await connect(alice, conversation.pk)
    error, code = await closed_with(third)
    assert (error["code"], code) == ("too_many_connections", 4429)


async def test_stale_connection_rows_do_not_count(alice, conversation, connect, settings):
    """Rows left open by a dead process (no heartbeat) stop counting against the cap."""
    settings.GATEWAY_MAX_CONNECTIONS_PER_USER = 1
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    await database_sync_to_async(ConnectionLog.objects.create)(
        user=alice, conversation=conversation, connected_at=long_ago, last_seen_at=long_ago
    )
    await connect(alice, conversation.pk, expect_presence=1)


async def test_connection_ip_and_times_are_logged(alice, conversation, connect):
    """Each socket leaves a log row with IP, user agent, open and close times and code."""
    socket = await connect(alice, conversation.pk, expect_presence=1, ip="198.51.100.4")
    log = await database_sync_to_async(ConnectionLog.objects.get)(user=alice)
    assert (log.ip, log.user_agent, log.disconnected_at) == ("198.51.100.4", "pytest", None)
    await socket.disconnect(code=1001)
    await database_sync_to_async(log.refresh_from_db)()
    assert log.disconnected_at is not None and log.close_code == 1001
    assert log.disconnected_at >= log.connected_at


async def test_idle_socket_is_closed_4408(alice, conversation, connect, settings):
    """No client frame for GATEWAY_IDLE_TIMEOUT seconds closes the socket with 4408."""
    settings.GATEWAY_IDLE_TIMEOUT = 0.2
    socket = await connect(alice, conversation.pk, expect_presence=1)
    error, code = await closed_with(socket)
    assert (error["code"], code) == ("idle", 4408)


async def test_presence_tells_others_when_a_user_comes_and_goes(
    alice, bob, conversation, connect
):
    """Others get ``online`` when a user connects and ``offline`` when their last socket goes."""
    watcher = await connect(alice, conversation.pk, expect_presence=1)
    bobs = await connect(bob, conversation.pk, expect_presence=2)
    online = await watcher.receive_json_from()
    assert (online["user"]["id"], online["status"]) == (bob.pk, "online")
    await bobs.disconnect()
    offline = await watcher.receive_json_from()
    assert (offline["user"]["id"], offline["status"]) == (bob.pk, "offline")


def admitted_then(monkeypatch, send: Callable[[actions.Opened], tuple[str, dict]]) -> None:
    """Admission sends ``(group, event) = send(opened)`` right after it has read its
    snapshot: what another socket or a moderator does while this one is being admitted."""
    admit = actions.open_connection

    def admit_then_send(*args, **kwargs) -> actions.Opened:
        opened = admit(*args, **kwargs)
        async_to_sync(get_channel_layer().group_send)(*send(opened))
        return opened

    monkeypatch.setattr(actions, "open_connection", admit_then_send)


async def test_presence_sent_while_a_socket_is_admitted_reaches_it(
    alice, bob, conversation, connect, monkeypatch
):
    """Bob coming online after Alice's presence snapshot was read is not lost between
    that read and her socket joining the conversation's group."""
    online = presence_frame(conversation.pk, user_payload(bob), "online")
    admitted_then(monkeypatch, lambda opened: (opened.group, relay_event(online)))
    socket = await connect(alice, conversation.pk, expect_presence=1)
    assert await socket.receive_json_from() == online


async def test_a_suspension_while_a_socket_is_admitted_closes_it(
    alice, conversation, connect, monkeypatch
):
    """A moderator's close for every socket of the user, sent while this one is being
    admitted, closes it too."""
    suspended = {"type": "suspended", "detail": "test"}
    event = {"type": "user.disconnect", "code": 4403, "frame": suspended}
    admitted_then(monkeypatch, lambda opened: (f"user.{alice.pk}", event))
    socket = await connect(alice, conversation.pk, expect_presence=1)
    assert await socket.receive_json_from() == suspended
    output = await socket.receive_output()
    assert (output["type"], output["code"]) == ("websocket.close", 4403)


async def test_server_can_close_all_sockets_of_a_user(alice, conversation, connect):
    """A ``user.disconnect`` event on the user's group closes every socket (moderation seam)."""
    first = await connect(alice, conversation.pk, expect_presence=1)
    second = await connect(alice, conversation.pk, expect_presence=1)
    await get_channel_layer().group_send(
        f"user.{alice.pk}",
        {"type": "user.disconnect", "code": 4403,
         "frame": {"type": "suspended", "detail": "test"}},
    )
    for socket in (first, second):
        received = await socket.receive_json_from()
        while received["type"] == "presence":
            received = await socket.receive_json_from()
        assert received["type"] == "suspended"
        output = await socket.receive_output()
        assert (output["type"], output["code"]) == ("websocket.close", 4403)


async def test_a_failure_while_admitting_is_reported_not_crashed(
    alice, conversation, connect, monkeypatch
):
    """If admitting fails unexpectedly, the client gets ``internal_error`` and 4500."""
    def unavailable(*args, **kwargs):
        raise ConnectionError("database is down")

    monkeypatch.setattr(actions, "open_connection", unavailable)
    socket = await connect(alice, conversation.pk)
    error, code = await closed_with(socket)
    assert (error["code"], code) == ("internal_error", 4500)
