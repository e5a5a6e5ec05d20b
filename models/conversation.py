from __future__ import annotations

from django.conf import settings
from django.db import models


class ConversationKind(models.TextChoices):
    PROJECT = "project", "Project chat"
    SUPPORT = "support", "Support chat"


def conversation_group(conversation_id: int) -> str:
    """The channel-layer group of a conversation, known by its id alone."""
    return f"chat.{conversation_id}"


class Conversation(models.Model):
    """A chat between participants.

    ``last_seq`` is the last number handed out in the conversation's one sequence, shared
    by messages and by the events that change them; it is bumped under a row lock in the
    same transaction that stores the message or event, so the sequence has no gaps and
    no duplicates on PostgreSQL and SQLite alike.
    """

    kind = models.CharField(max_length=16, choices=ConversationKind.choices)
    title = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Participant", related_name="conversations"
    )

    class Meta:
        ordering = ("-last_message_at", "-id")

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"

    @property
    def group_name(self) -> str:
        """The channel-layer group every socket of this conversation joins."""
        return conversation_group(self.pk)


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    last_read_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["conversation", "user"], name="participant_once_per_conversation"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} in {self.conversation}"
