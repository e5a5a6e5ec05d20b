"""Moderation's tables: violations, strikes, cases, suspensions, appeals and the audit log.

The rules that fill them live in :mod:`moderation.services`; these classes only hold the
data and the few invariants that must hold whoever writes (the audit log refuses to
change, a strike knows whether it still counts).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from models.conversation import Conversation
from models.message import Message
from moderation.crypto import SealedTextField


class Contract(models.Model):
    """A project conversation whose contract the client marked active.

    Once active, ``MODERATION_RELAX_AFTER_CONTRACT`` may apply the relaxed rules to it.
    """

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="contract"
    )
    activated_at = models.DateTimeField()
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"contract of conversation {self.conversation_id}"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed (false positive)"
    WARNED = "warned", "Warned"
    SUSPENDED = "suspended", "Suspended"


class Case(models.Model):
    """What a moderator reviews: one user's violations in one conversation.

    ``severity`` is refreshed whenever a violation joins the case: the user's active strike
    points plus one for every other conversation the same contact detail went into.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_cases"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="moderation_cases"
    )
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    severity = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    flagged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-severity", "-updated_at")
        indexes = (models.Index(fields=["status", "severity", "updated_at"], name="case_queue"),)

    def __str__(self) -> str:
        return f"case {self.pk}: {self.user_id} in {self.conversation_id} ({self.status})"


class HoldState(models.TextChoices):
    PENDING = "pending", "Waiting for a moderator"
    ALLOWED = "allowed", "Allowed and delivered"
    DENIED = "denied", "Denied"


class Violation(models.Model):
    """One attempt to share contact details: a message, or all the pieces of a split one.

    ``matched`` is the original text of what was masked, sealed (moderators reveal it
    through an audited call; purged with the originals); ``action`` is what the policy
    did with the message.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="violations"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="violations"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="violations"
    )
    #: The message that completed the attempt; null once a withheld message is discarded.
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Every message the attempt is spread over (one for a plain attempt).
    messages = models.ManyToManyField(Message, related_name="violations", blank=True)
    client_id = models.CharField(max_length=64, blank=True)
    kinds = models.JSONField(default=list)
    disguised = models.BooleanField(default=False)
    action = models.CharField(max_length=16)
    #: Null once purged after the retention period.
    matched = SealedTextField(null=True, blank=True)
    #: A held message's whole text, delivered if a moderator allows it.
    held_text = SealedTextField(null=True, blank=True)
    hold_state = models.CharField(max_length=16, choices=HoldState.choices, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at",)
        indexes = (models.Index(fields=["user", "created_at"], name="violation_by_user"),)

    def __str__(self) -> str:
        return f"violation {self.pk} by {self.user_id} ({', '.join(self.kinds)})"


class Fingerprint(models.Model):
    """A keyed hash of one matched detail, so repeats are found without storing the detail."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="fingerprints")
    kind = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.digest[:8]}"


class StrikeQuerySet(models.QuerySet):
    def active(self, now: datetime | None = None) -> StrikeQuerySet:
        return self.filter(removed_at__isnull=True, expires_at__gt=now or timezone.now())


class Strike(models.Model):
    """Points against a user for one violation: 1, or 2 for a disguised attempt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strikes"
    )
    violation = models.OneToOneField(Violation, on_delete=models.CASCADE, related_name="strike")
    points = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    #: Set when a moderator dismisses the case or accepts an appeal: it no longer counts.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = StrikeQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.points} point(s) against {self.user_id}"


class Suspension(models.Model):
    """A period during which the user may not chat; ``User.suspended_at`` mirrors the open one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="suspensions"
    )
    automatic = models.BooleanField(default=False)
    reason = models.TextField()
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("-started_at",)

    def __str__(self) -> str:
        return f"suspension of {self.user_id} from {self.started_at:%Y-%m-%d %H:%M}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Appeal(models.Model):
    """A user's request to remove a strike or lift a suspension; enters the moderators' queue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    strike = models.ForeignKey(
        Strike, on_delete=models.CASCADE, null=True, blank=True, related_name="appeals"
    )
    suspension = models.ForeignKey(
        Suspension, on_delete=models.CASCADE, null=True, blank=True, related_name="appeals"
    )
    text = models.TextField()
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(strike__isnull=False) | models.Q(suspension__isnull=False),
                name="appeal_has_a_subject",
            ),
        )

    def __str__(self) -> str:
        return f"appeal {self.pk} by {self.user_id} ({self.status})"


class AuditLogQuerySet(models.QuerySet):
    """Bulk changes are refused like single ones: the log only grows."""

    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditLog(models.Model):
    """Who did what to whom, when and why; append-only.

    ``actor`` is null for what the system did on its own (automatic suspension, purge).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="audit"
    )
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} by {self.actor_id or 'system'}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")
