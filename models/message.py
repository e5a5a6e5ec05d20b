from __future__ import annotations

from django.conf import settings
from django.db import models

from models.conversation import Conversation
from moderation.crypto import SealedTextField


class Message(models.Model):
    """A chat message as everyone sees it: ``text`` is always the masked text.

    The text a user actually typed, when anything was masked, lives in
    :class:`MessageOriginal`, apart from this table and visible to moderators only.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveBigIntegerField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sent_messages"
    )
    client_id = models.CharField(max_length=64)
    text = models.TextField()
    redacted = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # By the column, not the relation: ``"conversation"`` would order by the
        # conversation's own ordering, joining and sorting conversations in every query.
        ordering = ("conversation_id", "seq")
        constraints = (
            models.UniqueConstraint(
                fields=["conversation", "seq"], name="message_seq_unique_per_conversation"
            ),
            # Idempotency: a resent client_id must never store a second message.
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                name="message_client_id_unique_per_sender",
            ),
        )

    def __str__(self) -> str:
        return f"#{self.seq} in {self.conversation_id} by {self.sender_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class MessageEventKind(models.TextChoices):
    EDIT = "edit", "Edited"
    DELETE = "delete", "Deleted"
    RETRO = "retro", "Masked retroactively"


class MessageEvent(models.Model):
    """A change to an earlier message, numbered in the conversation's sequence.

    Giving changes their own ``seq`` is what lets ``history {after_seq}`` replay edits,
    deletions and retroactive masking to a client that missed them.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="message_events"
    )
    seq = models.PositiveBigIntegerField()
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=MessageEventKind.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("conversation_id", "seq")
        constraints = (
            models.UniqueConstraint(
                fields=["conversation", "seq"], name="message_event_seq_unique_per_conversation"
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} of message {self.message_id} at #{self.seq}"


class MessageOriginal(models.Model):
    """The unmasked text behind a masked message version; moderators only.

    One row per masking: the first send, each edit that needed masking, and retroactive
    masking of an earlier piece keep their own original. ``text`` is encrypted at rest
    and loads as :class:`~moderation.crypto.Sealed` (an audited reveal decrypts it);
    ``manage.py purge_originals`` deletes rows older than ``MODERATION_ORIGINALS_RETENTION_DAYS``.
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="originals")
    reason = models.CharField(max_length=16, default="send")
    text = SealedTextField()
    detail_types = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("message_id", "created_at")

    def __str__(self) -> str:
        return f"original of message {self.message_id} ({self.reason})"
