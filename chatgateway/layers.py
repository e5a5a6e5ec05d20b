"""The channel layer's configuration, from ``REDIS_URL`` or the in-memory default."""

from __future__ import annotations

from typing import Any


def channel_layer(
    redis_url: str,
    *,
    capacity: int,
    expiry: int,
    group_expiry: int,
    prefix: str,
    backend: str = "pubsub",
) -> dict[str, Any]:
    """A ``CHANNEL_LAYERS`` entry: channels-redis when ``redis_url`` is set, else in-memory.

    ``backend`` picks between channels-redis's two layers. ``pubsub`` (Redis Pub/Sub):
    a group message is one ``PUBLISH`` and Redis pushes it to every subscribed process.
    ``lists`` (``RedisChannelLayer``): a message is queued in a sorted set per process and
    each receiving process pays four round trips per message (cleanup script, ``BZPOPMIN``,
    backup, ack), one message at a time, which capped relaying far below what the rest of
    the gateway carries. Pub/Sub delivers at most once, with no queue to survive a
    disconnect; the gateway does not need one: messages are stored before they are
    broadcast, and sockets replay gaps from the database and resync with ``history``.
    """
    if not redis_url:
        return {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": capacity, "expiry": expiry, "group_expiry": group_expiry},
        }
    host = {
        "address": redis_url,
        # No read timeout: channels-redis blocks reading, and redis-py 8's 5 s default
        # kills idle connections (channels_redis#422). Keepalive and health checks notice
        # dead peers instead.
        "socket_timeout": None,
        "socket_connect_timeout": 5,
        "socket_keepalive": True,
        "health_check_interval": 30,
        "retry_on_timeout": True,
    }
    if backend == "pubsub":
        return {
            # channels-redis's Pub/Sub layer with batched publishing (chatgateway/pubsub.py).
            "BACKEND": "chatgateway.pubsub.PipelinedPubSubChannelLayer",
            "CONFIG": {"hosts": [host], "prefix": prefix},
        }
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [host],
            "prefix": prefix,
            "capacity": capacity,
            "expiry": expiry,
            "group_expiry": group_expiry,
        },
    }
