"""The chat over the real Redis channel layer, as configured from REDIS_URL.

A second layer instance stands in for another daphne process: what one process
broadcasts reaches the other's sockets only through Redis. Both of channels-redis's
layers are checked (``CHANNEL_LAYER_BACKEND``).
"""

from __future__ import annotations

import uuid

import pytest
from channels.layers import get_channel_layer
from django.utils.module_loading import import_string

from chatgateway.layers import channel_layer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def private_layer(redis_url, settings, backend: str = "pubsub") -> dict:
    """A ``CHANNEL_LAYERS`` entry as settings.py builds it from REDIS_URL."""
    # A private prefix keeps parallel runs and leftovers out of this test's groups.
    return channel_layer(
        redis_url, capacity=settings.CHANNEL_LAYER_CAPACITY, expiry=settings.CHANNEL_LAYER_EXPIRY,
        group_expiry=settings.CHANNEL_LAYER_GROUP_EXPIRY, prefix=f"test-{uuid.uuid4().hex[:8]}",
        backend=backend,
    )


@pytest.fixture(params=["pubsub", "lists"])
def redis_layer(request, redis_url, settings):
    """Point Channels at Redis the way settings.py does when REDIS_URL is set."""
    layer = private_layer(redis_url, settings, request.param)
    settings.CHANNEL_LAYERS = {"default": layer}
    return layer


async def test_message_crosses_processes_through_redis(
    redis_layer, alice, bob, conversation, connect
):
    """A message sent on this process reaches a group member on another layer instance,
    and a broadcast from that other instance reaches this process's socket."""
    backend = import_string(redis_layer["BACKEND"])
    assert isinstance(get_channel_layer(), backend)
    other_process = backend(**redis_layer["CONFIG"])
    remote_channel = await other_process.new_channel()
    await other_process.group_add(f"chat.{conversation.pk}", remote_channel)

    alices = await connect(alice, conversation.pk, expect_presence=1)
    presence = await other_process.receive(remote_channel)
    assert presence["type"] == "chat.relay" and presence["frame"]["status"] == "online"

    await alices.send_json_to({"type": "message.send", "client_id": "c1", "text": "over redis"})
    ack = await alices.receive_json_from()
    relayed = await other_process.receive(remote_channel)
    assert relayed["type"] == "chat.sequenced"
    assert relayed["frames"][0]["id"] == ack["id"] and relayed["frames"][0]["text"] == "over redis"
    assert (await alices.receive_json_from())["seq"] == ack["seq"]

    typing = {"type": "typing", "conversation": conversation.pk, "user": {"id": bob.pk}}
    await other_process.group_send(
        f"chat.{conversation.pk}", {"type": "chat.relay", "frame": typing, "skip": None}
    )
    assert await alices.receive_json_from() == typing
    await other_process.flush()


async def test_a_batch_of_group_sends_goes_out_in_order(redis_url, settings):
    """``group_send_many`` (the send batcher's one pipeline per batch) delivers every
    message of the batch to another process, in the order given, across groups."""
    config = private_layer(redis_url, settings)
    backend = import_string(config["BACKEND"])
    this_process, other_process = backend(**config["CONFIG"]), backend(**config["CONFIG"])
    first, second = await other_process.new_channel(), await other_process.new_channel()
    await other_process.group_add("chat.1", first)
    await other_process.group_add("chat.2", second)
    sends = [(f"chat.{1 + n % 2}", {"type": "chat.sequenced", "n": n}) for n in range(40)]
    await this_process.group_send_many(sends)
    got_first = [(await other_process.receive(first))["n"] for _ in range(20)]
    got_second = [(await other_process.receive(second))["n"] for _ in range(20)]
    assert got_first == list(range(0, 40, 2)) and got_second == list(range(1, 40, 2))
    await this_process.flush()
    await other_process.flush()
