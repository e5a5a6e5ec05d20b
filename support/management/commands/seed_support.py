"""``manage.py seed_support [--agents N]``: canned replies and support agents, idempotent."""

from __future__ import annotations

import os

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from models import CannedReply, Role, User

CANNED_REPLIES = (
    ("Greeting", "hello", "Hi, thanks for reaching out! I'm looking into this now."),
    ("Need details", "details",
     "Could you tell me the project name and roughly when this happened?"),
    ("Payout timing", "payout",
     "Payouts are released within 5 business days after the client approves a milestone."),
    ("Off-platform contact", "contact",
     "For everyone's safety, please keep all communication and payments on the platform."),
    ("Closing", "bye", "Glad I could help. Is there anything else I can do for you today?"),
)


class Command(BaseCommand):
    help = (
        "Create the demo canned replies for support and, with --agents N, the support "
        "agents agent-1…agent-N (password DEMO_PASSWORD). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agents", type=int, default=0, help="also create N agents")

    def handle(self, *args, agents: int, **options) -> None:
        if agents < 0:
            raise CommandError("--agents must be 0 or more")
        password = os.environ.get("DEMO_PASSWORD", "demo-pass-123")
        if not password:
            raise CommandError("DEMO_PASSWORD is set but empty")
        with transaction.atomic():
            replies = 0
            for title, shortcut, text in CANNED_REPLIES:
                _, created = CannedReply.objects.get_or_create(
                    shortcut=shortcut, defaults={"title": title, "text": text}
                )
                replies += created
            names = [f"agent-{n}" for n in range(1, agents + 1)]
            existing = set(User.objects.filter(username__in=names).values_list("username",
                                                                                flat=True))
            missing = [name for name in names if name not in existing]
            if missing:
                hashed = make_password(password)  # one deliberate hash for every new agent
                User.objects.bulk_create(
                    User(username=name, password=hashed, role=Role.AGENT,
                         display_name=f"Agent {name.split('-')[1]}")
                    for name in missing
                )
        self.stdout.write(
            f"Support data ready: {replies} new canned replies, {len(missing)} new agents."
        )
