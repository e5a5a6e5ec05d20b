"""What the live layer loses is still delivered, and a dead layer is reported.

The Redis Pub/Sub layer delivers at most once; a socket catches up with the stored
sequence on its heartbeat, and the process's layer watch closes every socket with 4503
when Redis stops answering.
"""

from __future__ import annotations

import asyncio
import socket

import pytest
from channels.db import database_sync_to_async

from consumers.layer_watch import LayerWatch
from messaging import actions

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_message_the_layer_never_delivered_arrives_with_the_heartbeat(
    alice, bob, conversation, connect, settings
):
    settings.GATEWAY_HEARTBEAT_INTERVAL = 0.3
    bobs = await connect(bob, conversation.pk, expect_presence=1)
    # Stored and acknowledged, but its broadcast is lost (never sent to the layer).
    await database_sync_to_async(actions.send_message)(alice, conversation.pk, "c1", "lost live")
    frame = await bobs.receive_json_from(timeout=3)
    assert (frame["type"], frame["seq"], frame["text"]) == ("message", 1, "lost live")
    # Delivered once: the next heartbeat finds nothing new.
    assert await bobs.receive_nothing(timeout=0.8)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_watch_tells_every_registered_socket_when_redis_is_gone():
    watch = LayerWatch(f"redis://127.0.0.1:{closed_port()}/0", interval=0.05)
    told: list[str] = []

    class Socket:
        def __init__(self, name: str) -> None:
            self.name = name

        async def layer_down(self) -> None:
            told.append(self.name)

    first, second, gone = Socket("first"), Socket("second"), Socket("gone")
    for registered in (first, second, gone):
        watch.register(registered)
    watch.unregister(gone)
    for _ in range(100):
        if told:
            break
        await asyncio.sleep(0.05)
    assert sorted(told) == ["first", "second"]


async def test_the_watch_stays_quiet_while_redis_answers(redis_url):
    watch = LayerWatch(redis_url, interval=0.05)
    told: list[bool] = []

    class Socket:
        async def layer_down(self) -> None:
            told.append(True)

    registered = Socket()
    watch.register(registered)
    await asyncio.sleep(0.4)
    watch.unregister(registered)
    assert told == []
