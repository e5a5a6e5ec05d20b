"""``manage.py seed_demo [--pairs N]``: demo accounts and conversations, idempotent."""

from __future__ import annotations

import os

from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from models import Conversation, ConversationKind, Participant, Role, User

DEMO_USERS = (
    ("freelancer", "Freya Freelancer", Role.FREELANCER),
    ("client", "Carl Client", Role.CLIENT),
    ("agent", "Ada Agent", Role.AGENT),
    ("moderator", "Mona Moderator", Role.MODERATOR),
)


class Command(BaseCommand):
    help = (
        "Create the demo users (freelancer, client, agent, moderator) and a project "
        "conversation between freelancer and client; --pairs N adds freelancer-1…N / "
        "client-1…N, each pair with its own conversation. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pairs", type=int, default=0, help="also create N freelancer/client pairs"
        )

    def handle(self, *args, pairs: int, **options) -> None:
        if pairs < 0:
            raise CommandError("--pairs must be 0 or more")
        password = os.environ.get("DEMO_PASSWORD", "demo-pass-123")
        if not password:
            raise CommandError("DEMO_PASSWORD is set but empty")
        # Hashing is deliberately slow (~0.3 s); one hash serves every account so that
        # 1,000 pairs take seconds, not minutes.
        hashed = make_password(password)
        specs = [(name, display, role) for name, display, role in DEMO_USERS]
        for number in range(1, pairs + 1):
            specs.append((f"freelancer-{number}", f"Freelancer {number}", Role.FREELANCER))
            specs.append((f"client-{number}", f"Client {number}", Role.CLIENT))
        with transaction.atomic():
            users = self._ensure_users(specs, password, hashed)
            pair_names = [("freelancer", "client")] + [
                (f"freelancer-{n}", f"client-{n}") for n in range(1, pairs + 1)
            ]
            created = self._ensure_conversations(
                [(users[a], users[b]) for a, b in pair_names]
            )
        demo = Conversation.objects.filter(
            kind=ConversationKind.PROJECT, title="freelancer ↔ client"
        ).first()
        self.stdout.write(
            f"Demo data ready: {len(users)} users, {created} new conversations.\n"
            "Open http://127.0.0.1:8000/accounts/login/ and sign in as freelancer, client, "
            f"agent or moderator with the password {password!r} (DEMO_PASSWORD).\n"
            f"The demo conversation is #{demo.pk}: ws://127.0.0.1:8000/ws/chat/{demo.pk}/"
        )

    def _ensure_users(
        self, specs: list[tuple[str, str, str]], password: str, hashed: str
    ) -> dict[str, User]:
        """Create missing users and reset the demo password of existing ones that lost it.

        A user whose hash still verifies keeps it: a new hash (new salt) would log out every
        session of that user, the browser's after each ``make run`` and a load test's saved
        ones. The demo users share one hash per run, so one check per distinct hash suffices.
        """
        names = [name for name, _, _ in specs]
        stored = dict(User.objects.filter(username__in=names).values_list("username", "password"))
        existing = set(stored)
        verdicts = {value: check_password(password, value) for value in set(stored.values())}
        stale = [name for name, value in stored.items() if not verdicts[value]]
        User.objects.bulk_create(
            [
                User(username=name, display_name=display, role=role, password=hashed)
                for name, display, role in specs
                if name not in existing
            ],
            batch_size=500,
        )
        User.objects.filter(username__in=stale).update(password=hashed)
        return {user.username: user for user in User.objects.filter(username__in=names)}

    def _ensure_conversations(self, pairs: list[tuple[User, User]]) -> int:
        """One project conversation per pair, titled after it; returns how many are new."""
        titles = {f"{a.username} ↔ {b.username}": (a, b) for a, b in pairs}
        existing = set(
            Conversation.objects.filter(
                kind=ConversationKind.PROJECT, title__in=titles
            ).values_list("title", flat=True)
        )
        missing = [title for title in titles if title not in existing]
        Conversation.objects.bulk_create(
            [Conversation(kind=ConversationKind.PROJECT, title=title) for title in missing],
            batch_size=500,
        )
        # bulk_create returns primary keys on PostgreSQL and SQLite alike, but re-reading
        # by title keeps this independent of the backend.
        conversations = Conversation.objects.filter(
            kind=ConversationKind.PROJECT, title__in=missing
        )
        Participant.objects.bulk_create(
            [
                Participant(conversation=conversation, user=user)
                for conversation in conversations
                for user in titles[conversation.title]
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        return len(missing)
