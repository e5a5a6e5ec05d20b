"""Suspension and moderation pushes on live sockets (real ASGI stack, in-memory layer),
and the retention purge."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.management import call_command
from django.test import Client

from chatgateway.asgi import application
from models import AuditLog, MessageOriginal, Violation
from moderation import services

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@database_sync_to_async
def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _socket(user, path: str) -> WebsocketCommunicator:
    cookie = await _session_cookie(user)
    return WebsocketCommunicator(application, path, headers=[ORIGIN, (b"cookie", cookie)])


async def _receive_until(socket: WebsocketCommunicator, kind: str) -> dict:
    while True:
        frame = await socket.receive_json_from(timeout=5)
        if frame["type"] == kind:
            return frame


async def _closed_with(socket: WebsocketCommunicator) -> int:
    while True:
        output = await socket.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output["code"]


@pytest.fixture
async def opened():
    sockets: list[WebsocketCommunicator] = []
    yield sockets
    for socket in sockets:
        await socket.disconnect()


async def _open(opened, user, path) -> WebsocketCommunicator:
    socket = await _socket(user, path)
    connected, _ = await socket.connect()
    assert connected
    opened.append(socket)
    return socket


@pytest.mark.django_db(transaction=True)
async def test_third_strike_closes_every_socket_of_the_user_and_refuses_new_ones(
    opened, freelancer, client_user, moderator, make_conversation, make_user
):
    project = await database_sync_to_async(make_conversation)(freelancer, client_user)
    other = await database_sync_to_async(make_conversation)(
        freelancer, await database_sync_to_async(make_user)("cleo", "client")
    )
    feed = await _open(opened, moderator, "/ws/moderation/")
    assert (await feed.receive_json_from(timeout=5)) == {"type": "queue", "cases": []}
    sender = await _open(opened, freelancer, f"/ws/chat/{project.pk}/")
    elsewhere = await _open(opened, freelancer, f"/ws/chat/{other.pk}/")
    recipient = await _open(opened, client_user, f"/ws/chat/{project.pk}/")

    for text in ("call me at 98765 43210", "my email is jane.doe@gmail.com"):
        await sender.send_json_to(
            {"type": "message.send", "client_id": str(uuid.uuid4()), "text": text}
        )
        await _receive_until(sender, "warning")
    flagged = await _receive_until(feed, "case.flagged")
    assert flagged["case"]["user"]["username"] == "fay"

    await sender.send_json_to({"type": "message.send", "client_id": "third",
                               "text": "ping me: dev.guy@outlook.com"})
    warning = await _receive_until(sender, "warning")
    assert "suspended" in warning["detail"]
    updated = await _receive_until(feed, "case.updated")
    assert (updated["case"]["id"], updated["case"]["severity"]) == (flagged["case"]["id"], 3)
    for socket in (sender, elsewhere):
        frame = await _receive_until(socket, "suspended")
        assert "3 strike points" in frame["detail"] and "appeal" in frame["detail"]
        assert await _closed_with(socket) == 4403
    # The other participant stays connected and got the masked message.
    delivered = [(await _receive_until(recipient, "message"))["text"] for _ in range(3)]
    assert delivered[-1] == "ping me: [email removed]"

    refused = await _socket(freelancer, f"/ws/chat/{project.pk}/")
    await refused.connect()
    assert (await refused.receive_json_from(timeout=5))["code"] == "suspended"
    assert await _closed_with(refused) == 4403

    await database_sync_to_async(services.lift)(freelancer, actor=moderator, reason="reviewed")
    back = await _open(opened, freelancer, f"/ws/chat/{project.pk}/")
    await back.send_json_to({"type": "message.send", "client_id": "after", "text": "sorry"})
    assert (await _receive_until(back, "message.ack"))["client_id"] == "after"


@pytest.mark.django_db(transaction=True)
async def test_a_moderators_warning_reaches_the_users_sockets(
    opened, freelancer, client_user, moderator, make_conversation, send
):
    project = await database_sync_to_async(make_conversation)(freelancer, client_user)
    await database_sync_to_async(send)(freelancer, project, "call me at 98765 43210")
    socket = await _open(opened, freelancer, f"/ws/chat/{project.pk}/")
    case = await database_sync_to_async(lambda: Violation.objects.get().case)()
    await database_sync_to_async(services.act_on_case)(
        case.pk, moderator, "warn", "keep contact details off the chat"
    )
    frame = await _receive_until(socket, "moderation.warning")
    assert frame["detail"] == "keep contact details off the chat"


@pytest.mark.django_db(transaction=True)
async def test_the_feed_is_for_moderators_only_and_takes_no_frames(opened, freelancer, moderator):
    refused = await _socket(freelancer, "/ws/moderation/")
    await refused.connect()
    assert (await refused.receive_json_from(timeout=5))["code"] == "not_moderator"
    assert await _closed_with(refused) == 4403
    feed = await _open(opened, moderator, "/ws/moderation/")
    await feed.receive_json_from(timeout=5)
    await feed.send_to(text_data="{not json")
    assert (await feed.receive_json_from(timeout=5))["code"] == "read_only"


def test_purge_removes_originals_past_retention_only(send, freelancer, project, clock, capsys):
    send(freelancer, project, "call me at 98765 43210")
    clock(timedelta(days=60))
    send(freelancer, project, "my email is jane.doe@gmail.com")
    clock(timedelta(days=31))  # the first is 91 days old, the second 31
    call_command("purge_originals")
    assert "purged 1 original text(s) older than 90 days" in capsys.readouterr().out
    assert list(MessageOriginal.objects.values_list("message__seq", flat=True)) == [2]
    matched = {v.message.seq: v.matched for v in Violation.objects.select_related("message")}
    assert matched[1] is None and matched[2].reveal() == "jane.doe@gmail.com"
    call_command("purge_originals")
    assert "purged 0" in capsys.readouterr().out
    assert AuditLog.objects.filter(action="purge", actor=None).count() == 2
