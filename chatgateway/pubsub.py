"""channels-redis's Pub/Sub layer, plus ``group_send_many``: one round trip per batch.

The send batcher publishes each stored message to its conversation's group. One
``group_send`` per message costs a round trip to Redis and a socket write, one after the
other (the layer holds a lock per connection), on the event loop that also reads and writes
every socket's frames: a fifth of a busy process's loop went into those writes.
``group_send_many`` sends a whole batch's ``PUBLISH`` commands in one pipeline, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from channels_redis.pubsub import RedisPubSubChannelLayer


class PipelinedPubSubChannelLayer(RedisPubSubChannelLayer):
    """:class:`RedisPubSubChannelLayer` whose ``group_send_many`` pipelines the publishes."""

    async def group_send_many(self, sends: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """``group_send`` each ``(group, message)`` in order, one pipeline per Redis shard.

        Uses the per-loop layer's shard connections and their lock (channels-redis 4.3),
        so these publishes queue in order with every other ``group_send`` of the loop.
        Raises what the pipeline raises; then none of the batch is known to be published.
        """
        layer = self._get_layer()
        by_shard: dict[Any, list[tuple[str, bytes]]] = {}
        for group, message in sends:
            channel = layer._get_group_channel_name(group)
            by_shard.setdefault(layer._get_shard(channel), []).append(
                (channel, self.serialize(message))
            )
        for shard, published in by_shard.items():
            async with shard._lock:
                shard._ensure_redis()
                pipeline = shard._redis.pipeline(transaction=False)
                for channel, data in published:
                    pipeline.publish(channel, data)
                await pipeline.execute()
