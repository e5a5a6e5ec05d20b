from __future__ import annotations

from django.conf import settings
from django.db import models

from models.conversation import Conversation


class ConnectionLog(models.Model):
    """One WebSocket connection: who, from where, when (for moderators and fraud review).

    ``last_seen_at`` is a heartbeat written by the live socket; a row that is still open
    but silent for several heartbeats belongs to a process that died without closing it,
    and stops counting against the user's connection cap.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    connected_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    disconnected_at = models.DateTimeField(null=True, blank=True)
    close_code = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("-connected_at",)
        indexes = (
            models.Index(fields=["user", "disconnected_at"], name="connection_open_by_user"),
        )

    def __str__(self) -> str:
        return f"{self.user} from {self.ip} at {self.connected_at:%Y-%m-%d %H:%M:%S}"
