"""Group messages from synchronous services: scheduled from the database thread, in order."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from messaging import broadcast


class SlowLayer:
    """Records group messages; each send waits until the test releases it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []
        self.release = asyncio.Event()

    async def group_send(self, group: str, event: dict) -> None:
        await self.release.wait()
        self.sent.append((group, event))


async def test_from_the_database_thread_the_send_is_scheduled_not_awaited(monkeypatch):
    layer = SlowLayer()
    monkeypatch.setattr(broadcast, "get_channel_layer", lambda: layer)

    def service() -> None:
        for number in range(3):
            broadcast.group_send("feed", {"n": number})

    # Returns although no send can finish yet: the thread is not held by the loop.
    await asyncio.wait_for(sync_to_async(service)(), 2)
    assert layer.sent == []
    layer.release.set()
    for _ in range(50):
        if len(layer.sent) == 3:
            break
        await asyncio.sleep(0.01)
    assert layer.sent == [("feed", {"n": 0}), ("feed", {"n": 1}), ("feed", {"n": 2})]


def test_without_a_calling_loop_the_send_completes_before_returning():
    layer = get_channel_layer()
    channel = asyncio.run(layer.new_channel())
    asyncio.run(layer.group_add("feed", channel))
    broadcast.group_send("feed", {"type": "feed.frame", "n": 1})
    assert asyncio.run(layer.receive(channel))["n"] == 1


@pytest.fixture(autouse=True)
def in_memory_layer(settings) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
