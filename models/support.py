"""Live support chat: the workflow around a Conversation of kind ``support``.

The chat's messages, typing and read events are the gateway's own (``ws/chat/<id>/``);
these tables hold what only support has: the queue and its assignments, agents' presence
and capacity, internal notes, canned replies, the history of handovers, and the rating.
The services in :mod:`support.services` are the only writers.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from models.conversation import Conversation


class SupportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting in the queue"
    ACTIVE = "active", "With an agent"
    CLOSED = "closed", "Closed"


class SupportChat(models.Model):
    """One user's support request, from the queue to its resolution.

    ``opened_at`` orders the queue, so a chat sent back to the queue keeps its place;
    ``queued_at`` is when the current wait began, the start of the wait time an
    assignment records.
    """

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="support_chat"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_chats"
    )
    subject = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=SupportStatus.choices, default=SupportStatus.QUEUED
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_support_chats",
    )
    opened_at = models.DateTimeField()
    queued_at = models.DateTimeField()
    assigned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(blank=True)
    #: Set when an agent refers the chat to moderation; only then may moderators read it.
    flagged_at = models.DateTimeField(null=True, blank=True)
    flag_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("opened_at", "id")
        constraints = (
            # The rule "one open support chat per user" holds even for two racing requests.
            models.UniqueConstraint(
                fields=["user"],
                condition=~Q(status="closed"),
                name="support_one_open_chat_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status="queued", agent__isnull=True)
                | Q(status="active", agent__isnull=False)
                | Q(status="closed"),
                name="support_agent_matches_status",
            ),
        )
        indexes = (models.Index(fields=["status", "opened_at"], name="support_queue_order"),)

    def __str__(self) -> str:
        return f"Support #{self.pk}: {self.subject}"


class AgentPresence(models.TextChoices):
    ONLINE = "online", "Online"
    AWAY = "away", "Away"
    OFFLINE = "offline", "Offline"


class AgentStatus(models.Model):
    """A support agent's presence and capacity (``None``: ``SUPPORT_AGENT_CAPACITY``)."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_status"
    )
    presence = models.CharField(
        max_length=16, choices=AgentPresence.choices, default=AgentPresence.OFFLINE
    )
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "agent statuses"

    def __str__(self) -> str:
        return f"{self.agent} ({self.presence})"

    @property
    def effective_capacity(self) -> int:
        return self.capacity if self.capacity is not None else settings.SUPPORT_AGENT_CAPACITY


class SupportEventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    ASSIGNED = "assigned", "Assigned"
    TRANSFERRED = "transferred", "Transferred to an agent"
    REQUEUED = "requeued", "Sent back to the queue"
    CLOSED = "closed", "Closed"
    FLAGGED = "flagged", "Flagged for moderation"


class SupportEvent(models.Model):
    """A step in a chat's workflow, for its transcript and for the queue's wait statistics.

    ``waited`` (seconds) is set on assignments from the queue: the recent values are what
    a waiting user's estimate is made of.
    """

    chat = models.ForeignKey(SupportChat, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=SupportEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    waited = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.kind} of support #{self.chat_id}"


class InternalNote(models.Model):
    """A note agents keep on a chat; never shown to the user, nor in the user's transcript."""

    chat = models.ForeignKey(SupportChat, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"note by {self.author} on support #{self.chat_id}"


class CannedReply(models.Model):
    """A prepared answer agents insert into their reply; managed in the admin."""

    title = models.CharField(max_length=100)
    shortcut = models.SlugField(max_length=50, unique=True)
    text = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("title",)
        verbose_name_plural = "canned replies"

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    """The user's rating of a closed chat; one per chat, enforced by the primary key."""

    chat = models.OneToOneField(
        SupportChat, on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="support_rating_score_1_to_5"
            ),
        )

    def __str__(self) -> str:
        return f"{self.score}/5 for support #{self.chat_id}"
