"""The per-socket sliding-window rate limiter, and the socket that ignores its refusals."""

from __future__ import annotations

import doctest
import uuid
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from messaging import ratelimit
from messaging.ratelimit import RateLimiter
from models import ConnectionLog, Message

from .helpers import closed_with


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_cannot_cross_the_window_boundary():
    """Unlike fixed buckets, 30 at the end of one window and 30 at the start of the next
    are not both allowed: any 10 seconds hold at most 30."""
    clock = Clock()
    limiter = RateLimiter(30, 10.0, clock=clock)
    clock.now = 9.9
    assert all(limiter.allow() for _ in range(30))
    clock.now = 10.1
    assert not limiter.allow()
    clock.now = 19.95
    assert limiter.allow()


def test_refused_events_do_not_extend_the_penalty():
    """A client that keeps hammering is let through again once the window has passed."""
    clock = Clock()
    limiter = RateLimiter(2, 1.0, clock=clock)
    assert limiter.allow() and limiter.allow()
    for step in range(9):
        clock.now = step * 0.1
        assert not limiter.allow()
    clock.now = 1.0
    assert limiter.allow()


def test_nonsense_limits_are_rejected():
    """A zero limit or period is a configuration error, not a silent block-everything."""
    with pytest.raises(ValueError):
        RateLimiter(0, 10.0)
    with pytest.raises(ValueError):
        RateLimiter(5, 0)


def test_docstring_example():
    """The example in the class docstring holds."""
    assert doctest.testmod(ratelimit).failed == 0


@pytest.mark.django_db(transaction=True)
async def test_a_client_briefly_over_its_limit_is_only_told_to_slow_down(
    alice, conversation, connect, settings
):
    """Past GATEWAY_RATE_LIMIT_MESSAGES sends in the period, sends get ``rate_limited``; up
    to GATEWAY_RATE_LIMIT_REFUSALS of those, the socket stays open and usable."""
    settings.GATEWAY_RATE_LIMIT_MESSAGES = 3
    settings.GATEWAY_RATE_LIMIT_REFUSALS = 1
    settings.GATEWAY_RATE_LIMIT_PERIOD = 60.0
    socket = await connect(alice, conversation.pk, expect_presence=1)
    for number in range(4):
        await socket.send_json_to({"type": "message.send", "client_id": f"m{number}", "text": "x"})
    # Replies and broadcasts travel separately (the broadcast through the layer), so only
    # the tally is fixed, not the interleaving.
    received = [await socket.receive_json_from() for _ in range(7)]
    tally = sorted((frame["type"], frame.get("code")) for frame in received)
    assert tally == [("error", "rate_limited")] + [("message", None)] * 3 + [
        ("message.ack", None)
    ] * 3
    assert await database_sync_to_async(Message.objects.count)() == 3
    assert await socket.receive_nothing()  # not closed
    # Reading is not writing: history still answers.
    await socket.send_json_to({"type": "history", "after_seq": 0})
    assert (await socket.receive_json_from())["type"] == "history"


@pytest.mark.django_db(transaction=True)
async def test_a_flooder_is_told_why_then_closed_4429_and_others_are_served(
    alice, bob, conversation, connect, settings
):
    """One refusal past the allowance: an ``error flooding`` frame, close 4429, and the
    frames it had queued behind are dropped unanswered; another user's socket on the same
    process keeps sending and receiving."""
    settings.GATEWAY_FRAME_RATE_LIMIT = 5
    settings.GATEWAY_RATE_LIMIT_REFUSALS = 3
    settings.GATEWAY_RATE_LIMIT_PERIOD = 60.0
    bobs = await connect(bob, conversation.pk, expect_presence=1)
    alices = await connect(alice, conversation.pk, expect_presence=2)
    assert (await bobs.receive_json_from())["type"] == "presence"  # Alice online
    for _ in range(12):
        await alices.send_to(text_data="garbage")
    codes = [(await alices.receive_json_from())["code"] for _ in range(8)]
    assert codes == ["invalid_json"] * 5 + ["rate_limited"] * 3
    error, code = await closed_with(alices)
    assert (error["code"], code) == ("flooding", 4429)
    assert "closing" in error["detail"]
    assert await alices.receive_nothing()  # the three frames after the close decision
    offline = await bobs.receive_json_from()  # logged off at the close, not at the goodbye
    assert (offline["type"], offline["status"]) == ("presence", "offline")

    client_id = str(uuid.uuid4())
    await bobs.send_json_to({"type": "message.send", "client_id": client_id, "text": "still"})
    received = [await bobs.receive_json_from() for _ in range(2)]
    assert sorted(frame["type"] for frame in received) == ["message", "message.ack"]
    assert {frame["client_id"] for frame in received} == {client_id}


async def flood_until_closed(socket) -> None:
    """Send garbage until the socket is closed ``flooding`` (limits set low by the caller)."""
    for _ in range(12):
        await socket.send_to(text_data="garbage")
    for _ in range(8):  # the answered frames: 5 invalid_json, 3 rate_limited
        await socket.receive_json_from()
    error, code = await closed_with(socket)
    assert (error["code"], code) == ("flooding", 4429)
    await socket.disconnect()  # the client goes; its connection log records 4429


def flood_settings(settings, cooldown: float) -> None:
    settings.GATEWAY_FRAME_RATE_LIMIT = 5
    settings.GATEWAY_RATE_LIMIT_REFUSALS = 3
    settings.GATEWAY_RATE_LIMIT_PERIOD = 60.0
    settings.GATEWAY_FLOOD_COOLDOWN = cooldown


@pytest.mark.django_db(transaction=True)
async def test_a_flooder_cannot_come_straight_back_but_others_can(
    alice, bob, conversation, connect, settings
):
    """After a ``flooding`` close the same user's new sockets are refused 4429 for
    GATEWAY_FLOOD_COOLDOWN seconds (fresh per-socket limits would invite the next flood);
    the other participant is admitted as usual."""
    flood_settings(settings, cooldown=60.0)
    await flood_until_closed(await connect(alice, conversation.pk, expect_presence=1))

    again = await connect(alice, conversation.pk)
    error, code = await closed_with(again)
    assert (error["code"], code) == ("flooding", 4429)
    assert "reconnect in" in error["detail"]
    logs = ConnectionLog.objects.filter(user=alice).order_by("pk")
    assert [log.close_code async for log in logs] == [4429]  # the refusal logged nothing

    await connect(bob, conversation.pk, expect_presence=1)  # admitted: no error frame


@pytest.mark.django_db(transaction=True)
async def test_the_cool_down_ends_and_can_be_turned_off(alice, conversation, connect, settings):
    """Once the cool-down has passed since the flooding close, the user is admitted; with
    GATEWAY_FLOOD_COOLDOWN=0 there is no cool-down at all."""
    flood_settings(settings, cooldown=60.0)
    await flood_until_closed(await connect(alice, conversation.pk, expect_presence=1))
    # Sixty-one seconds later, as the connection log sees it.
    long_ago = timezone.now() - timedelta(seconds=61)
    await ConnectionLog.objects.filter(user=alice).aupdate(disconnected_at=long_ago)
    await flood_until_closed(await connect(alice, conversation.pk, expect_presence=1))

    settings.GATEWAY_FLOOD_COOLDOWN = 0
    await connect(alice, conversation.pk, expect_presence=1)
