"""``manage.py purge_originals``: delete original texts past their retention period.

Safe to run from cron: idempotent, one transaction, prints how many it removed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from moderation.services import purge_originals


class Command(BaseCommand):
    help = "Delete original texts of masked messages older than the retention period."

    def handle(self, *args, **options) -> None:
        removed = purge_originals()
        days = settings.MODERATION_ORIGINALS_RETENTION_DAYS
        self.stdout.write(f"purged {removed} original text(s) older than {days} days")
