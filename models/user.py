from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    FREELANCER = "freelancer", "Freelancer"
    CLIENT = "client", "Client"
    AGENT = "agent", "Support agent"
    MODERATOR = "moderator", "Moderator"


class User(AbstractUser):
    """A marketplace account.

    ``suspended_at`` is the one switch the gateway checks at connect and on every send;
    moderation sets and clears it (and keeps the why in its own models).
    """

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CLIENT)
    display_name = models.CharField(max_length=150, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.username

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_moderator(self) -> bool:
        return self.role == Role.MODERATOR or self.is_superuser

    def get_display_name(self) -> str:
        return self.display_name or self.username
