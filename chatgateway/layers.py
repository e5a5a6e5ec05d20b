"""The channel layer's configuration, from ``REDIS_URL`` or the in-memory default."""

from __future__ import annotations

from typing import Any


def channel_layer(
    redis_url: str, *, capacity: int, expiry: int, group_expiry: int, prefix: str
) -> dict[str, Any]:
    """A ``CHANNEL_LAYERS`` entry: channels-redis when ``redis_url`` is set, else in-memory."""
    if not redis_url:
        return {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": capacity, "expiry": expiry, "group_expiry": group_expiry},
        }
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": redis_url,
                    # No read timeout: channels-redis blocks on BZPOPMIN, and redis-py 8's
                    # 5 s default kills idle connections (channels_redis#422). Keepalive
                    # and health checks notice dead peers instead.
                    "socket_timeout": None,
                    "socket_connect_timeout": 5,
                    "socket_keepalive": True,
                    "health_check_interval": 30,
                    "retry_on_timeout": True,
                }
            ],
            "prefix": prefix,
            "capacity": capacity,
            "expiry": expiry,
            "group_expiry": group_expiry,
        },
    }
