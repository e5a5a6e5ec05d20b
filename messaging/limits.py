"""The gateway's limits, read once from settings into one immutable object."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class Limits:
    max_text_chars: int
    max_frame_bytes: int
    rate_limit_messages: int
    frame_rate_limit: int
    rate_limit_period: float
    rate_limit_refusals: int
    flood_cooldown: float
    history_default: int
    history_max: int
    edit_window: float
    max_connections_per_user: int
    idle_timeout: float
    heartbeat_interval: float

    @classmethod
    def from_settings(cls) -> Limits:
        """Read the ``GATEWAY_*`` settings now (so ``override_settings`` in tests applies)."""
        return cls(
            max_text_chars=settings.GATEWAY_MAX_TEXT_CHARS,
            max_frame_bytes=settings.GATEWAY_MAX_FRAME_BYTES,
            rate_limit_messages=settings.GATEWAY_RATE_LIMIT_MESSAGES,
            frame_rate_limit=settings.GATEWAY_FRAME_RATE_LIMIT,
            rate_limit_period=settings.GATEWAY_RATE_LIMIT_PERIOD,
            rate_limit_refusals=settings.GATEWAY_RATE_LIMIT_REFUSALS,
            flood_cooldown=settings.GATEWAY_FLOOD_COOLDOWN,
            history_default=settings.GATEWAY_HISTORY_DEFAULT,
            history_max=settings.GATEWAY_HISTORY_MAX,
            edit_window=settings.GATEWAY_EDIT_WINDOW,
            max_connections_per_user=settings.GATEWAY_MAX_CONNECTIONS_PER_USER,
            idle_timeout=settings.GATEWAY_IDLE_TIMEOUT,
            heartbeat_interval=settings.GATEWAY_HEARTBEAT_INTERVAL,
        )
